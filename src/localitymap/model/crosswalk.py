"""Move ward counts from one set of wards to another (e.g. Croydon's 24 pre-2018 wards to the 28
of 2018) with a weighted lookup, conserving every count exactly.

A lookup says what share of each old ward goes to each new ward (``old_code, new_code, weight``;
weights of an old ward add up to 1). It can come from populations (e.g. small-area populations
in each old/new ward pair) or, when only boundaries exist, from area overlap
(:func:`lookup_from_boundaries`, area-weighted interpolation for counts as in PySAL's tobler).
Each old ward's count is split by largest remainder, so integer counts add up exactly. A
suppressed count becomes, in each new ward, the range of its splits over every value the old
count may take (largest remainder is not monotone, so splitting the two ends alone can miss
values); an unbounded count stays unbounded above.

>>> split_count(7, [0.5, 0.5])
[4, 3]
>>> split_range(1, 9, [0.057, 0.297, 0.646])
[(0, 1), (0, 3), (1, 6)]
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from localitymap.errors import InputError, InvalidInput, Report
from localitymap.inputs.files import note_input
from localitymap.inputs.wards import WardRegister
from localitymap.paths import display_path

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.inputs.indicators import IndicatorData
    from localitymap.model.geo import Boundaries

WEIGHT_TOLERANCE = 1e-6


@dataclass
class Lookup:
    """Rows ``old_code, new_code, weight`` (and names when known), and how the weights were made."""

    table: pd.DataFrame
    weighting: str

    def old_register(self, lad_code: str = "", lad_name: str = "old wards") -> WardRegister:
        """A register of the old wards, so old data can be read and matched by code or name."""
        first = self.table.drop_duplicates("old_code")
        names = first["old_name"] if "old_name" in first else first["old_code"]
        return WardRegister(tuple(first["old_code"]), tuple(map(str, names)), lad_code or "unknown",
                            lad_name, "before crosswalk", "lookup")  # fmt: skip


def split_count(count: int, weights: list[float]) -> list[int]:
    """Split a whole count by weights (largest remainder): the parts always add up to ``count``."""
    total = sum(weights)
    raw = [count * w / total for w in weights]
    parts = [math.floor(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - parts[i], -i), reverse=True)
    for i in order[: count - sum(parts)]:
        parts[i] += 1
    return parts


def split_range(low: int, high: float, weights: list[float]) -> list[tuple[int, float]]:
    """Each part's ``(lowest, highest)`` split over every count from ``low`` to ``high``
    (``high`` NaN or inf: unbounded, and every part's highest is NaN unless its weight is 0).

    For every count the old ward may hold, each part's split lies within its range.
    """
    total = sum(weights)
    lows = split_count(low, weights)
    if math.isfinite(high):
        highs = list(lows)
        for count in range(low + 1, int(high) + 1):
            parts = split_count(count, weights)
            lows = [min(a, b) for a, b in zip(lows, parts, strict=True)]
            highs = [max(a, b) for a, b in zip(highs, parts, strict=True)]
        return list(zip(lows, highs, strict=True))
    # Unbounded: a part's split is at least floor(count * share), which grows with the count, so
    # once that floor reaches the lowest split seen no larger count can go lower.
    count = low
    while any(math.floor(count * w / total) < lo for w, lo in zip(weights, lows, strict=True)):
        count += 1
        lows = [min(a, b) for a, b in zip(lows, split_count(count, weights), strict=True)]
    return [(lo, 0.0 if w == 0 else math.nan) for lo, w in zip(lows, weights, strict=True)]


def read_lookup(path: Path, register: WardRegister | None = None) -> Lookup:
    """A lookup CSV (``old_code, new_code, weight``; optional ``old_name, new_name``; ``#`` notes,
    of which ``# weighting: ...`` says how it was made). Problems are collected, not stopped at."""
    import pandas as pd

    shown = display_path(path)
    if not path.is_file():
        raise InputError(f"{shown}: lookup not found")
    note_input(path)  # so no output of this run is written over it
    with path.open(encoding="utf-8-sig", newline="") as fh:
        lines = fh.read().splitlines()
    notes = [line.lstrip("#").strip() for line in lines if line.startswith("#")]
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    if not rows or not {"old_code", "new_code", "weight"} <= set(rows[0]):
        raise InputError(f"{shown}: a lookup needs the columns old_code, new_code and weight")
    report = Report()
    for i, r in enumerate(rows, start=2):
        try:
            r["weight"] = float(r["weight"])
        except ValueError:
            report.add(f"weight {r['weight']!r} is not a number", file=shown, row=i, field="weight")
            continue
        if not 0 <= r["weight"] <= 1:
            report.add(
                f"weight {r['weight']} must be between 0 and 1", file=shown, row=i, field="weight"
            )
        if register is not None and register.match(r["new_code"]) is None:
            msg, hint = register.unknown_ward_problem(r["new_code"])
            report.add(f"new {msg}", file=shown, row=i, hint=hint)
    report.raise_if_errors(shown)
    table = pd.DataFrame(rows)
    if register is not None:
        table["new_code"] = [register.match(c) for c in table["new_code"]]
    sums = table.groupby("old_code", sort=False)["weight"].sum()
    for code, total in sums.items():
        if abs(total - 1) > WEIGHT_TOLERANCE:
            report.add(f"the weights of old ward {code} add up to {total:.6g}, not 1", file=shown,
                       hint="each old ward must be shared out completely")  # fmt: skip
    if report.errors:
        raise InvalidInput(shown, report)
    weighting = next(
        (n.split(":", 1)[1].strip() for n in notes if n.lower().startswith("weighting:")), ""
    )
    # The weighting is written into the output: the file's name, never the folder it sits in.
    return Lookup(table, weighting or f"weights from {path.name}")


def lookup_from_boundaries(old: Boundaries, new: Boundaries) -> Lookup:
    """Area-overlap weights: the share of each old ward's area that lies in each new ward
    (EPSG:27700). Slivers under 1 m² from generalisation are dropped before normalising."""
    import geopandas as gpd
    import pandas as pd

    a = old.frame[["ward_code", "ward_name", "geometry"]].reset_index(drop=True)
    b = new.frame[["ward_code", "ward_name", "geometry"]].reset_index(drop=True)
    pieces = gpd.overlay(a, b, how="intersection", keep_geom_type=True)
    pieces["area"] = pieces.geometry.area
    pieces = pieces[pieces["area"] >= 1.0]
    pieces["weight"] = pieces["area"] / pieces.groupby("ward_code_1")["area"].transform("sum")
    table = pd.DataFrame({
        "old_code": pieces["ward_code_1"], "old_name": pieces["ward_name_1"],
        "new_code": pieces["ward_code_2"], "new_name": pieces["ward_name_2"],
        "weight": pieces["weight"],
    }).sort_values(["old_code", "new_code"]).reset_index(drop=True)  # fmt: skip
    missing = sorted(set(a["ward_code"]) - set(table["old_code"]))
    if missing:
        raise InputError(f"old wards that overlap no new ward: {', '.join(missing)}",
                         hint="check both files cover the same authority")  # fmt: skip
    return Lookup(table, "area overlap (EPSG:27700)")


def crosswalk(data: IndicatorData, lookup: Lookup, target: WardRegister) -> pd.DataFrame:
    """Counts on the new wards: ``ward_code, ward_name, indicator, period, low, high, status``.

    Every old ward with data must be in the lookup (reported by name otherwise). Exact counts are
    split by largest remainder and add up exactly; a suppressed count gives each new ward the
    range of its splits over every value the old count may take (:func:`split_range`), so every
    possible value is covered; an unbounded high stays unbounded.
    """
    import pandas as pd

    shares: dict[str, list[tuple[str, float]]] = {}
    for r in lookup.table.itertuples():
        shares.setdefault(r.old_code, []).append((r.new_code, float(r.weight)))
    missing = sorted(set(data.values["ward_code"]) - set(shares))
    if missing:
        raise InputError(f"{len(missing)} old ward(s) are not in the lookup: {', '.join(missing)}",
                         hint="add them to the lookup with their weights")  # fmt: skip
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in data.values.itertuples():
        targets = shares[r.ward_code]
        weights = [w for _, w in targets]
        if r.low == r.high:
            parts = [(n, float(n)) for n in split_count(int(r.low), weights)]
        else:
            parts = split_range(int(r.low), float(r.high), weights)
        for (code, _), (lo, hi) in zip(targets, parts, strict=True):
            key = (r.indicator, str(r.period), code)
            cell = out.setdefault(key, {"low": 0, "high": 0.0, "period": r.period,
                                        "suppressed": False})  # fmt: skip
            cell["low"] += lo
            cell["high"] += hi
            cell["suppressed"] |= r.status != "value"
    rows = [
        {
            "ward_code": code, "ward_name": target.name_of(code) if code in target else code,
            "indicator": ind, "period": cell["period"], "low": cell["low"], "high": cell["high"],
            "status": "value" if cell["low"] == cell["high"] else "range",
        }
        for (ind, _, code), cell in out.items()
    ]  # fmt: skip
    return pd.DataFrame(rows)


def to_csv(result: pd.DataFrame, lookup: Lookup, illustrative: bool) -> str:
    """A long CSV the indicator reader takes back (exact counts in ``value``; ranges as bounds)."""
    import io

    buf = io.StringIO()
    if illustrative:
        buf.write("# ILLUSTRATIVE DATA: counts moved from illustrative figures.\n")
    buf.write(f"# crosswalk weighting: {lookup.weighting}\n")
    buf.write(
        "# value is empty where a suppressed count leaves a range: see value_low/value_high\n"
    )
    t = result.copy()
    t["value"] = t["low"].where(t["status"] == "value").astype("Int64")
    t["value_low"] = t["low"].astype("Int64")
    t["value_high"] = t["high"].round().astype("Int64")
    t[["ward_code", "ward_name", "indicator", "period", "value", "value_low", "value_high"]].to_csv(
        buf, index=False, lineterminator="\n"
    )
    return buf.getvalue()
