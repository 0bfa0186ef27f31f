"""Published caseloads of children's social workers (DfE workforce series), for labelled defaults.

``data/workforce/csww_caseloads_2017_2025.csv`` holds England's and every authority's case-holding
FTE, cases and cases per FTE by year. :func:`caseload` turns what a user typed (a number,
``england`` or ``authority``) into a :class:`Caseload` that says where the figure came from.

>>> c = caseload("england")
>>> c.per_fte, c.year, c.area_name
(15.2, 2025, 'England')
>>> caseload("authority", lad_code="E09000008").per_fte
19.1
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from localitymap.errors import InputError
from localitymap.paths import data_dir, display_path

WORKFORCE_FILE = "csww_caseloads_2017_2025.csv"
ENGLAND = "E92000001"
SOURCE = "DfE Children's social work workforce"


@dataclass(frozen=True)
class Caseload:
    """Cases per case-holding FTE, and where the figure comes from."""

    per_fte: float
    label: str
    year: int | None = None
    area_name: str | None = None
    fte: float | None = None
    cases: int | None = None

    def describe(self) -> str:
        """One line naming the figure and its source, for printing beside the result."""
        if self.year is None:
            return f"{self.per_fte:g} cases per FTE ({self.label})"
        return (
            f"{self.per_fte:g} cases per FTE: {self.area_name}, {self.year} ({SOURCE}; "
            f"{self.cases:,} cases held by {self.fte:,.1f} case-holding FTE)"
        )


def workforce_path() -> Path:
    """The bundled extract."""
    return data_dir() / "workforce" / WORKFORCE_FILE


def read_workforce(path: Path | None = None) -> list[dict[str, str]]:
    """The extract's rows as dicts of text (markers ``x``/``u`` kept as they are)."""
    path = path or workforce_path()
    if not path.is_file():
        raise InputError(f"{display_path(path)}: workforce extract not found")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None  # x (not available) or u (low reliability): no figure, never zero


def latest(area_code: str, path: Path | None = None) -> Caseload:
    """The latest year with a published caseload for an area (``E92000001`` for England).

    >>> latest("E09000008").describe()[:40]
    '19.1 cases per FTE: Croydon, 2025 (DfE C'

    """
    rows = [r for r in read_workforce(path) if r["area_code"] == area_code]
    usable = [r for r in rows if _number(r["caseload_fte"]) is not None]
    if not usable:
        raise InputError(
            f"no published caseload for area {area_code!r} in {WORKFORCE_FILE}",
            hint="give a number instead, e.g. --caseload 17.5",
        )
    r = max(usable, key=lambda row: int(row["year"]))
    fte, cases = _number(r["case_holders_fte"]), _number(r["cases"])
    return Caseload(
        per_fte=float(r["caseload_fte"]),
        label=f"{r['area_name']} {r['year']}",
        year=int(r["year"]),
        area_name=r["area_name"],
        fte=fte,
        cases=int(cases) if cases is not None else None,
    )


def caseload(value: str | float, lad_code: str | None = None) -> Caseload:
    """A caseload from a number, ``england`` (England's latest) or ``authority`` (the latest for
    the authority ``lad_code``)."""
    text = str(value).strip().lower()
    if text == "england":
        return latest(ENGLAND)
    if text == "authority":
        if not lad_code or lad_code == "unknown":
            raise InputError(
                "the authority's caseload needs its code, which the ward register does not give",
                hint="give a number, e.g. --caseload 17.5, or use england",
            )
        return latest(lad_code)
    per = _number(text)
    if per is None or per <= 0:
        raise InputError(
            f"caseload {value!r} is not a positive number, 'england' or 'authority'",
            hint="e.g. --caseload 19.1",
        )
    return Caseload(per_fte=per, label="given")
