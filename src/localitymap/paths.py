"""Where the bundled reference data lives.

In a wheel the repository's ``data/`` folder is packed as ``localitymap/_data``; in an editable
install (a clone with ``make install``) it is read from the repository itself.

>>> (data_dir() / "schemes" / "icn6.toml").is_file()
True
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def data_dir() -> Path:
    """The folder holding ``wards/``, ``schemes/``, ``indicators/`` and ``population/``."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data", here.parents[1] / "data"):
        if (candidate / "schemes").is_dir():
            return candidate
    raise FileNotFoundError("localitymap's bundled data folder is missing; reinstall the package")


def display_path(path: Path | str) -> str:
    """A path as a user should see it: relative to the working directory when inside it,
    and bundled files as ``<bundled>/...`` so messages do not depend on where it is installed."""
    p = Path(path)
    try:
        return "<bundled>/" + p.resolve().relative_to(data_dir()).as_posix()
    except ValueError:
        pass
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
