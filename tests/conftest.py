"""Shared fixtures: the bundled register and catalogue, a writer for messy input files, and the
real Croydon figures from ../shared when they are present."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from localitymap.inputs.indicators import Indicator, load_catalogue
from localitymap.inputs.wards import WardRegister, load_register

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LOCALITYMAP_SHARED", REPO.parent / "shared"))
GOLDEN = Path(__file__).with_name("golden")
#: The published February 2019 exercise (illustrative figures); the latest snapshot is the default.
FEB2019 = REPO / "data" / "indicators" / "2019-02"


@pytest.fixture(scope="session")
def register() -> WardRegister:
    return load_register()


@pytest.fixture(scope="session")
def catalogue() -> list[Indicator]:
    return load_catalogue()


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write text (or bytes) to a file under tmp_path in a given encoding; return its path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write


@pytest.fixture(scope="session")
def shared_real() -> Path:
    """../shared/data/real (real ONS/MHCLG figures for Croydon); tests skip when it is absent."""
    folder = SHARED / "data" / "real"
    if not folder.is_dir():
        pytest.skip("../shared/data/real is not present")
    return folder


def update_golden() -> bool:
    """Set LOCALITYMAP_UPDATE_GOLDEN=1 to rewrite golden files (then review the diff)."""
    return os.environ.get("LOCALITYMAP_UPDATE_GOLDEN") == "1"
