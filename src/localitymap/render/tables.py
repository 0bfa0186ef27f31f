"""Human-readable wide views of a rollup (indicators down, localities across), shared by the
terminal, Markdown and spreadsheet writers so they all say the same thing.

>>> from localitymap.rollup import rollup
>>> w = wide(rollup(None, "icn6"), "count")
>>> w.loc["Child protection plans", "Central West"]
'113'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from localitymap.render.cells import format_count, format_rank, format_share, tied_mask

if TYPE_CHECKING:
    import pandas as pd

View = Literal["count", "share", "rank", "all"]


def cell_texts(table: pd.DataFrame) -> pd.DataFrame:
    """The rollup with text columns ``count_text``, ``share_text``, ``rank_text`` added."""
    t = table.copy()
    t["count_text"] = [
        format_count(a, b) for a, b in zip(t["count_low"], t["count_high"], strict=True)
    ]
    t["share_text"] = [
        format_share(a, b) for a, b in zip(t["share_low"], t["share_high"], strict=True)
    ]
    tied = tied_mask(t)
    t["rank_text"] = [
        format_rank(r, b, w, tied=bool(x))
        for r, b, w, x in zip(t["rank"], t["rank_best"], t["rank_worst"], tied, strict=True)
    ]
    return t


def wide(table: pd.DataFrame, view: View = "all", *, sep: str = " · ") -> pd.DataFrame:
    """Indicators (by label) down, localities across, each cell the chosen view as text."""
    t = cell_texts(table)
    if view == "all":
        t["cell"] = (
            t["count_text"]
            + sep
            + t["share_text"].where(~t["is_total"], "")
            + (sep + t["rank_text"]).where(t["rank_text"].ne(""), "")
        )
        t["cell"] = t["cell"].str.rstrip(" ·")
    else:
        t["cell"] = t[f"{view}_text"]
    out = t.pivot(index="label", columns="locality", values="cell")
    return out.loc[list(dict.fromkeys(t["label"])), list(dict.fromkeys(t["locality"]))]
