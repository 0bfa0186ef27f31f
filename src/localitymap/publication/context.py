"""The borough's rates from the locality exercise beside the authority's published figures, so a
reader sees both scales: the context block of ``rollup --rates`` and the report.

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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.publication.report import Table


def beside_published(table: pd.DataFrame, bench: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """Header and rows: each indicator with a published measure, the borough's rate from the
    exercise's publishable table, and the published authority, England, region, neighbours'
    average and range, and quartile band."""
    from localitymap.renderers.maps import period_label

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


def report_table(table: pd.DataFrame, bench: pd.DataFrame, number: int) -> Table:
    """The block as a report table (numbered ``number``)."""
    from localitymap.publication.report import Cell, Table

    head, rows = beside_published(table, bench)
    return Table(
        f"Table {number}: The borough beside its published figures, England and its neighbours",
        head,
        [[Cell(c) for c in r] for r in rows],
        "Benchmarks",
        notes=[NOTE],
        wide=True,
    )
