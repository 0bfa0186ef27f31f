"""Human-readable views of a rollup (indicators down, localities across), shared by the terminal,
Markdown and spreadsheet writers so they all say the same thing.

>>> from localitymap import read_indicators, rollup
>>> w = wide(rollup(read_indicators(period="2019-02"), "icn6"), "count")
>>> w.loc["Child protection plans", "Central West"]
'113'
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Literal

from localitymap.publication.cells import format_count, format_rank, format_share

if TYPE_CHECKING:
    import pandas as pd

View = Literal["count", "share", "rank", "all"]


def cell_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The rollup's rows as dicts with ``count_text``, ``share_text`` and ``rank_text`` added.

    Plain Python over records: pandas string operations cost more start-up than the whole table.
    """
    recs = table.to_dict("records")
    ties = Counter((r["indicator"], r["rank"]) for r in recs if not r["is_total"])
    symbol = str(table.attrs.get("disclosure_symbol", ""))
    for r in recs:
        if r.get("disclosure") == "suppressed":
            r["count_text"] = r["rank_text"] = symbol
            r["share_text"] = "" if r["is_total"] else symbol
            continue
        r["count_text"] = format_count(r["count_low"], r["count_high"])
        r["share_text"] = "" if r["is_total"] else format_share(r["share_low"], r["share_high"])
        tied = not r["is_total"] and ties[(r["indicator"], r["rank"])] > 1
        r["rank_text"] = format_rank(r["rank"], r["rank_best"], r["rank_worst"], tied=tied)
    return recs


def cell_text(rec: dict[str, Any], view: View, sep: str = " · ") -> str:
    """One cell of a wide view: count, share, rank, or all three joined by ``sep``."""
    if view != "all":
        return str(rec[f"{view}_text"])
    return sep.join(x for x in (rec["count_text"], rec["share_text"], rec["rank_text"]) if x)


def grid(recs: list[dict[str, Any]]) -> tuple[list[str], dict[str, dict[str, dict[str, Any]]]]:
    """Localities in order, and ``{label: {locality: record}}`` in indicator order."""
    localities = list(dict.fromkeys(r["locality"] for r in recs))
    rows: dict[str, dict[str, dict[str, Any]]] = {}
    for r in recs:
        rows.setdefault(r["label"], {})[r["locality"]] = r
    return localities, rows


def wide(table: pd.DataFrame, view: View = "all", *, sep: str = " · ") -> pd.DataFrame:
    """Indicators (by label) down, localities across, each cell the chosen view as text."""
    import pandas as pd

    localities, rows = grid(cell_records(table))
    data = {
        label: [cell_text(cells[loc], view, sep) for loc in localities]
        for label, cells in rows.items()
    }
    return pd.DataFrame.from_dict(data, orient="index", columns=localities)
