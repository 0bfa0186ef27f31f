"""Published authority benchmarks: DfE's LAIT figures for every English authority, region and
England, and the May 2025 statistical neighbours, read from the compact extract in
``data/benchmarks/`` (built by ``scripts/build_benchmarks.py``). Offline: nothing is fetched.

Values stay as published text, rounded to the data dictionary's decimals, so a suppressed or
missing figure (``c``, ``x``, ``..``) stays a marker rather than becoming a zero or a blank.

>>> bm = load_benchmarks()
>>> bm.find_area("E09000008").name, bm.find_area("306").name, bm.find_area("croydon").la_number
('Croydon', 'Croydon', '306')
>>> bm.find_area("London Borough of Croydon").name, bm.find_area("City of London").la_number
('Croydon', '201')
>>> bm.value("CPP_rate", "306", "2025")
'62.6'
>>> bm.region_of(bm.find_area("Croydon")).name
'London'
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from localitymap.errors import InputError
from localitymap.paths import data_dir, display_path

MARKERS = ("c", "x", "..", "z", "low", "u", "k")


@dataclass(frozen=True)
class Area:
    """A LAIT area: a local authority (with its region), a region, or England."""

    la_number: str
    name: str
    gss_code: str
    region: str
    level: str


@dataclass(frozen=True)
class Measure:
    """A LAIT measure and what its data dictionary says about it. ``polarity``: ``High`` (high is
    good), ``Low`` (low is good) or ``-`` (neither: no quartile band)."""

    id: str
    description: str
    polarity: str
    dps: int
    year_type: str
    no_quartile: bool = False


@dataclass
class Benchmarks:
    """The extract: measures, areas, each (measure, area)'s published values by year, and the
    statistical neighbours (ten LA numbers per authority, closest first)."""

    measures: dict[str, Measure]
    areas: dict[str, Area]
    values: dict[tuple[str, str], dict[str, str]]
    neighbours: dict[str, list[str]]
    folder: Path
    source_note: str = field(default="")

    def find_area(self, key: str) -> Area:
        """An area by name (any case), DfE LA number or GSS code; an InputError naming the nearest
        names otherwise."""
        text = str(key).strip()
        if text in self.areas:
            return self.areas[text]
        low = " ".join(text.lower().replace("&", "and").split())
        for area in self.areas.values():
            if low in (area.gss_code.lower(), area.name.lower().replace("&", "and")):
                return area
        short = _council_name(low)
        if short != low:
            for area in self.areas.values():
                if short == area.name.lower().replace("&", "and"):
                    return area
        # "Croydon (E09000008)", as a rollup names its authority
        if "(" in text and text.endswith(")"):
            inner = text.rsplit("(", 1)[1].rstrip(")")
            try:
                return self.find_area(inner)
            except InputError:
                return self.find_area(text.rsplit("(", 1)[0])
        names = [a.name for a in self.areas.values()]
        near = difflib.get_close_matches(text, names, n=3, cutoff=0.6)
        raise InputError(
            f"{text!r} is not an authority in the benchmark data ({display_path(self.folder)})",
            hint=f"did you mean {' or '.join(near)}?"
            if near
            else "give an English authority's name, DfE LA number (e.g. 306) or GSS code",
        )

    def region_of(self, area: Area) -> Area | None:
        """The region an authority is compared with: London for Inner and Outer London boroughs."""
        name = "London" if area.region.endswith("London") else area.region
        for a in self.areas.values():
            if a.level == "region" and a.name.lower() == name.lower():
                return a
        return None

    def england(self) -> Area:
        return next(a for a in self.areas.values() if a.level == "england")

    def years(self, measure: str) -> list[str]:
        """The years the measure has, oldest first (labels as published: 2025, 2023/24)."""
        seen = {y for (m, _), by_year in self.values.items() if m == measure for y in by_year}
        return sorted(seen, key=year_start)

    def value(self, measure: str, la_number: str, year: str) -> str:
        """The published text (``..`` where the area has no row for that year)."""
        return self.values.get((measure, la_number), {}).get(year, "..")

    def find_measure(self, key: str) -> Measure:
        """A measure by its LAIT code (any case)."""
        for m in self.measures.values():
            if m.id.lower() == key.strip().lower():
                return m
        raise InputError(
            f"no benchmark measure {key!r}",
            hint=f"choose from: {', '.join(self.measures)} (or a catalogue indicator id)",
        )


_PREFIXES = (
    "london borough of ", "royal borough of ", "metropolitan borough of ", "borough of ",
    "county of ", "city and county of ",
)  # fmt: skip
_SUFFIXES = (" council", " county council", " city council", " borough council")


def _council_name(name: str) -> str:
    """``london borough of croydon`` -> ``croydon`` (a council's name as DfE lists the area)."""
    for prefix in _PREFIXES:
        name = name.removeprefix(prefix)
    for suffix in _SUFFIXES:
        name = name.removesuffix(suffix)
    return name.strip()


def year_start(label: str) -> int:
    """The first year a period label names: ``2023/24`` -> 2023, ``2025`` -> 2025."""
    digits = label.strip()[:4]
    return int(digits) if digits.isdigit() else 0


def number(text: str) -> float | None:
    """A published value as a number, or None for a marker."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise InputError(
            f"{display_path(path)}: benchmark file not found",
            hint="rebuild it with scripts/build_benchmarks.py or reinstall localitymap",
        )
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_benchmarks(folder: Path | None = None) -> Benchmarks:
    """Read ``measures.csv``, ``areas.csv``, ``values.csv`` and ``neighbours.csv`` from ``folder``
    (default: the bundled extract)."""
    folder = folder or data_dir() / "benchmarks"
    measures = {
        r["measure"]: Measure(
            r["measure"], r["description"], r["polarity"] or "-", int(r["dps"] or 1),
            r["year_type"], bool(r.get("no_quartile")),
        )
        for r in _rows(folder / "measures.csv")
    }  # fmt: skip
    areas = {
        r["la_number"]: Area(r["la_number"], r["name"], r["gss_code"], r["region"], r["level"])
        for r in _rows(folder / "areas.csv")
    }
    values: dict[tuple[str, str], dict[str, str]] = {}
    for r in _rows(folder / "values.csv"):
        values.setdefault((r["measure"], r["la_number"]), {})[r["year"]] = r["value"]
    neighbours: dict[str, list[str]] = {}
    for r in sorted(_rows(folder / "neighbours.csv"), key=lambda r: int(r["position"])):
        neighbours.setdefault(r["la_number"], []).append(r["neighbour"])
    return Benchmarks(measures, areas, values, neighbours, folder, SOURCE_NOTE)


SOURCE_NOTE = (
    "Benchmarks: Department for Education, Local Authority Interactive Tool (LAIT) data and the "
    "May 2025 children's services statistical neighbours. Contains public sector information "
    "licensed under the Open Government Licence v3.0."
)
