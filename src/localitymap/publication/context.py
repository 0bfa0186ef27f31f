"""Published benchmarks as text: the rows and notes of the context block that ``benchmark``
prints, and the borough's rates from the locality exercise beside the authority's published
figures, so a reader sees both scales (``rollup --rates``, the report, the dashboard, profiles).

>>> from localitymap import Exercise
>>> from localitymap.inputs.benchmarks import load_benchmarks
>>> from localitymap.statistics.benchmark import benchmark
>>> ex = Exercise(scheme="icn6", disclosure="threshold5")
>>> head, rows = beside_published(ex.table(rates=True), benchmark(load_benchmarks(), "Croydon"))
>>> rows[0][:5]
['Child protection plans', '45.8', '62.6 (2025)', '40.6', '37.2']
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def range_text(row: dict[str, object]) -> str:
    """The neighbours' range as ``low–high`` (a marker when none were published)."""
    if row["neighbours_low"] == "..":
        return ".."
    return f"{row['neighbours_low']}–{row['neighbours_high']}"


def change_text(row: dict[str, object]) -> str:
    """``-3.5``, ``+0.7``, or ``..`` where the years are not consecutive or a value is a marker."""
    change = str(row["change"] or "")
    if not change:
        return ".."
    return f"+{change}" if not change.startswith("-") and change.strip("0.") else change


def unit(description: str) -> str:
    """``per 10,000`` or ``%`` from a LAIT description ("" when it names neither)."""
    low = description.lower()
    if "per 10,000" in low or "per 10k" in low:
        return "per 10,000"
    if low.startswith(("%", "percent", "total pupils with", "total persistent")):
        return "%"
    return ""


def measure_name(row: dict[str, object]) -> str:
    """The catalogue's label with the measure's unit: ``Child protection plans (per 10,000)``."""
    u = unit(str(row["description"]))
    return f"{row['label']} ({u})" if u else str(row["label"])


def context_rows(table: pd.DataFrame) -> list[list[str]]:
    """Header and one row of texts per measure, as every format prints them."""
    first = table.iloc[0] if len(table) else None
    region = str(first["region_name"]) if first is not None else "Region"
    authority = str(first["authority"]) if first is not None else "Authority"
    head = [
        "Measure", "Year", authority, "England", region or "Region", "Neighbours avg",
        "Neighbours range", "Band", "Change on year",
    ]  # fmt: skip
    rows = [head]
    for r in table.to_dict("records"):
        rows.append([
            measure_name(r), str(r["year"]), str(r["value"]), str(r["england"]),
            str(r["region"]), str(r["neighbours_average"]), range_text(r),
            str(r["band"] or "n/a"), change_text(r),
        ])  # fmt: skip
    return rows


def notes(table: pd.DataFrame) -> list[str]:
    """What a reader needs to read the block: the neighbours, the bands and the source."""
    if not len(table):
        return []
    n = int(table["neighbours_n"].min())
    return [
        "Measures (DfE LAIT): "
        + "; ".join(
            f"{r['label']}: {r['description']} [{r['measure']}]" for r in table.to_dict("records")
        )
        + ".",
        f"Neighbours: the authority's 10 children's services statistical neighbours (DfE, May "
        f"2025){'' if n == 10 else f'; some publish no value (fewest with one: {n})'}.",
        "Band: quartile among all English authorities, A the best quarter, D the worst; n/a where "
        "neither a high nor a low value is better. Change on year: from the year before, where "
        "both were published. .. = not published.",
        str(table.attrs.get("source", "")),
    ]


def beside_published(table: pd.DataFrame, bench: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """Header and rows: each indicator with a published measure, the borough's rate from the
    exercise's publishable table, and the published authority, England, region, neighbours'
    average and range, and quartile band."""
    from localitymap.publication.cells import period_label

    totals = {r["indicator"]: r for r in table.to_dict("records") if r["is_total"]}
    period = period_label(str(table.attrs.get("period") or ""))
    first = bench.iloc[0] if len(bench) else None
    authority = str(first["authority"]) if first is not None else "Authority"
    region = str(first["region_name"]) if first is not None else "Region"
    head = [
        "Indicator", f"Borough rate ({period})" if period else "Borough rate",
        f"{authority} published (year)", "England", region or "Region", "Neighbours' average",
        "Neighbours' range", "Quartile band",
    ]  # fmt: skip
    rows = []
    for b in bench.to_dict("records"):
        rec = totals.get(b["indicator"])
        if rec is None:
            continue
        rate = rec.get("rate")
        hidden = rec.get("disclosure") == "suppressed"
        ok = rate is not None and not (isinstance(rate, float) and math.isnan(rate)) and not hidden
        pct = "%" if rec.get("measure") == "%" else ""
        low, high = b["neighbours_low"], b["neighbours_high"]
        rows.append([
            str(rec["label"]), f"{rate:,.1f}{pct}" if ok else "..", f"{b['value']} ({b['year']})",
            str(b["england"]), str(b["region"]), str(b["neighbours_average"]),
            ".." if low == ".." else f"{low}–{high}", str(b["band"] or "n/a"),
        ])  # fmt: skip
    return head, rows


NOTE = (
    "The borough's rate is per 10,000 children from the locality exercise's own counts (or % where "
    "marked); the published figures are DfE's (LAIT), on their own definitions and dates, so "
    "compare scales, not values. Neighbours: the 10 statistical neighbours (DfE, May 2025). "
    "Quartile band among all English authorities: A best, D worst; n/a where neither a high nor a "
    "low value is better. .. = not published. Contains public sector information licensed under "
    "the Open Government Licence v3.0 (Department for Education)."
)


def report_table_parts(table: pd.DataFrame, bench: pd.DataFrame) -> dict[str, Any]:
    """The block as the report's table parts (header, rows, sheet, notes), or {} rows when no
    indicator has a published measure."""
    from localitymap.publication.report import Cell

    head, rows = beside_published(table, bench)
    return {
        "header": head,
        "rows": [[Cell(c) for c in r] for r in rows],
        "sheet": "Benchmarks",
        "notes": [NOTE],
    }
