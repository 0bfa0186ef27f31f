"""Writing output files safely: whole or not at all (a temporary file beside the target, then a
rename), never over an existing file without ``force``, never over a folder, device, pipe or one
of this run's inputs, and the digest of exactly what was written kept for the manifest.

Every stage that writes a file uses this module (fetched boundaries, manifests, exports,
documents), so it sits beside :mod:`localitymap.errors` and :mod:`localitymap.paths`, below them all.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from localitymap.errors import OutputError, OutputExists
from localitymap.paths import display_path


def write_atomic(path: Path, data: bytes | str, *, force: bool = False) -> str:
    """Write a whole file or nothing: to a temporary file beside it, then rename over. Returns
    the SHA-256 of the bytes written (what a manifest must record, whatever is there later).

    Refuses (:class:`~localitymap.errors.OutputExists`) to replace an existing file unless
    ``force``, so a report from last year is never lost by accident; without ``force`` the file
    is created atomically, so of two runs racing to create it one fails. Refuses
    (:class:`~localitymap.errors.OutputError`), even with ``force``, a folder, a device, a pipe
    or any other non-regular file, and an input this process has read.
    """
    import hashlib

    payload = data.encode("utf-8") if isinstance(data, str) else data
    check_output(path, force)
    tmp = _temporary(path)
    try:
        with tmp.open("wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        _publish(tmp, path, force=force)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _cannot_write(path, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    digest = hashlib.sha256(payload).hexdigest()
    _WRITTEN[_key(path)] = digest
    return digest


#: SHA-256 of what this process last wrote to each output, by resolved path.
_WRITTEN: dict[Path, str] = {}


def written_digest(path: Path) -> str | None:
    """The SHA-256 of the bytes this process last wrote to ``path`` (None if it wrote none)."""
    return _WRITTEN.get(_key(path))


def _key(path: Path) -> Path:
    return path.parent.resolve() / path.name


def check_output(path: Path, force: bool) -> None:
    """Refuse an output that is a folder, a device/pipe/socket, an input of this run, or (without
    ``force``) an existing file; each message names the output and what to do."""
    import stat

    from localitymap.inputs.files import inputs_read

    shown = display_path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{shown} is a folder", hint="give the name of a file inside it")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise OutputError(
            f"{shown} exists and is not a regular file (a device, pipe or socket)",
            hint="give the name of a new or ordinary file; --force never replaces these",
        )
    if st is not None and not force:
        raise OutputExists(f"{shown} already exists", hint="use --force to overwrite it")
    if st is not None and (_key(path) in inputs_read() or path.resolve() in inputs_read()):
        raise OutputError(
            f"{shown} is one of this run's inputs; writing the output there would destroy it",
            hint="give the output another name",
        )


def _temporary(path: Path) -> Path:
    """A new private file beside ``path`` (so the final rename stays on one file system)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    os.close(fd)
    return Path(tmp)


def _cannot_write(path: Path, exc: OSError) -> OutputError:
    """An OS error while writing, told about the output asked for, not the temporary file."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return OutputError(
        f"cannot write {display_path(path)}: {reason[:1].lower()}{reason[1:]}",
        hint="check that the folder exists and you may write to it, or choose another output",
    )


def _publish(tmp: Path, path: Path, *, force: bool = True) -> None:
    """Give a finished temporary file the permissions a normal new file would have (mkstemp makes
    it private), then move it into place: renamed over the old file with ``force``; otherwise
    linked to the new name, which fails if another run created it meanwhile."""
    mask = os.umask(0)
    os.umask(mask)
    tmp.chmod(0o666 & ~mask)
    if force:
        check_output(path, force=True)  # a FIFO may have appeared meanwhile
        tmp.replace(path)
        return
    try:
        os.link(tmp, path)
    except FileExistsError:
        tmp.unlink(missing_ok=True)
        raise OutputExists(
            f"{display_path(path)} already exists (created while this run was writing)",
            hint="use --force to overwrite it",
        ) from None
    except OSError:  # a file system without hard links: reserve the name, then rename over it
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666 & ~mask))
        except FileExistsError:
            tmp.unlink(missing_ok=True)
            raise OutputExists(
                f"{display_path(path)} already exists (created while this run was writing)",
                hint="use --force to overwrite it",
            ) from None
        tmp.replace(path)
        return
    tmp.unlink()


def write_gpkg(
    path: Path, layers: dict[str, Any], meta: dict[str, str], *, force: bool = False
) -> None:
    """A GeoPackage with one layer per entry (EPSG:27700) and an ``about`` table, written to a
    temporary file beside ``path`` and renamed into place."""
    import pandas as pd
    import pyogrio

    check_output(path, force)
    tmp = _temporary(path).with_suffix(".gpkg")
    tmp.with_suffix(".tmp").unlink()  # the driver creates the file itself
    try:
        for name, layer in layers.items():
            pyogrio.write_dataframe(layer, tmp, layer=name, driver="GPKG")
        about = pd.DataFrame({"key": list(meta), "value": list(meta.values())})
        pyogrio.write_dataframe(about, tmp, layer="about", driver="GPKG")
        from localitymap.publication.manifest import sha256

        digest = sha256(tmp)
        _publish(tmp, path, force=force)
        _WRITTEN[_key(path)] = digest
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _cannot_write(path, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
