"""What changed between two exercises: counts, shares and ranks per locality and indicator.

Both rollups must use the same scheme. Changes are carried as bounds like the counts themselves
(a suppressed cell in either period makes the change a range). An indicator found in one period
only is kept, marked ``before only`` or ``after only``. When both rollups carry rates
(:func:`localitymap.statistics.rates.add_rates`), ``ci_change`` says whether the 95% confidence intervals of
the two rates do not overlap (``higher``/``lower``) or do (``similar``).

>>> from localitymap import read_indicators, rollup
>>> feb19, feb20 = (rollup(read_indicators(period=p), "icn6") for p in ("2019-02", "2020-02"))
>>> c = compare(feb19, feb20)
>>> row = c[(c.indicator == "neet") & (c.locality == "South East")].iloc[0]
>>> int(row["count_before"]), int(row["count_after"]), int(row["rank_before"]), int(row["rank_after"])
(86, 99, 2, 1)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from localitymap.errors import InputError
from localitymap.statistics.methods import TREND_POINTS

if TYPE_CHECKING:
    import pandas as pd

COMPARE_COLUMNS = [
    "indicator", "label", "locality", "is_total", "presence",
    "count_before", "count_after", "change", "change_low", "change_high", "change_pct",
    "share_before", "share_after", "share_change_pp", "rank_before", "rank_after", "rank_change",
    "direction", "rate_before", "rate_after", "ci_change", "trend",
    "disclosure_before", "disclosure_after",
]  # fmt: skip


_KEY = ["indicator", "locality"]
#: The columns of a rollup that a comparison reads; the rest are not copied.
_READ = ["label", "is_total", "count_low", "count_high", "share", "rank", "rate", "lcl_95",
         "ucl_95", "disclosure"]  # fmt: skip


def _bounded(lo: float, hi: float) -> float:
    return lo if lo == hi else math.nan


def compare(
    before: pd.DataFrame, after: pd.DataFrame, history: list[pd.DataFrame] | None = None
) -> pd.DataFrame:
    """One row per (indicator, locality) present in either rollup; see :data:`COMPARE_COLUMNS`.

    ``rank_change`` is positive when a locality moved up (towards rank 1, more demand);
    ``direction`` is ``up``, ``down`` or ``same`` for the count (``uncertain`` for a range that
    spans zero). ``history`` is every period's rollup up to ``after``, oldest first: with five or
    more, ``trend`` holds the recent-trend test (:func:`localitymap.statistics.methods.recent_trend`);
    otherwise it says the trend cannot be calculated.
    """
    import pandas as pd

    if before.attrs.get("scheme") != after.attrs.get("scheme"):
        raise InputError(
            f"cannot compare rollups of different schemes ({before.attrs.get('scheme')} and "
            f"{after.attrs.get('scheme')})",
            hint="roll both periods up with the same --scheme",
        )
    import numpy as np

    # Column by column over the union of keys (before's order, then keys new in after): rows
    # as dicts cost two copies of each table per period at national scale.
    keys = pd.concat([before[_KEY], after[_KEY]]).drop_duplicates()
    index = pd.MultiIndex.from_frame(keys)
    # The trend first, while the aligned copies of the two periods do not exist yet.
    trend = _trend_column(history or [before, after], index)
    rb, in_b = _aligned(before, index)
    ra, in_a = _aligned(after, index)
    both = in_a & in_b

    def col(frame: pd.DataFrame, name: str) -> np.ndarray:
        if name not in frame.columns:
            return np.full(len(index), np.nan)
        return frame[name].to_numpy(dtype=float, na_value=np.nan)

    b_low, b_high, a_low, a_high = (col(rb, "count_low"), col(rb, "count_high"),
                                    col(ra, "count_low"), col(ra, "count_high"))  # fmt: skip
    nan = np.full(len(index), np.nan)
    lo, hi = a_low - b_high, a_high - b_low
    change = np.where(both & (lo == hi), lo, np.nan)
    count_before = np.where(in_b & (b_low == b_high), b_low, np.nan)
    count_after = np.where(in_a & (a_low == a_high), a_low, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where((count_before != 0) & ~np.isnan(count_before) & ~np.isnan(change),
                       change / count_before * 100, np.nan)  # fmt: skip
    b_rank, a_rank = col(rb, "rank"), col(ra, "rank")
    # Text columns stay in pandas' string arrays: converting them to NumPy makes a Python
    # string per row, several megabytes per column at national scale.
    label = ra["label"].where(in_a, rb["label"])
    cols = {
        "indicator": keys["indicator"].array, "label": label.array,
        "locality": keys["locality"].array,
        "is_total": np.where(in_a, ra["is_total"], rb["is_total"]).astype(bool),
        "presence": _words(["both", "before only", "after only"],
                           np.where(both, 0, np.where(in_b, 1, 2))),
        "count_before": count_before, "count_after": count_after,
        "change": change, "change_low": np.where(both, lo, nan), "change_high": np.where(both, hi, nan),
        "change_pct": pct,
        "share_before": np.where(both, col(rb, "share"), nan),
        "share_after": np.where(both, col(ra, "share"), nan),
        "share_change_pp": np.where(both, (col(ra, "share") - col(rb, "share")) * 100, nan),
        "rank_before": _ranks(np.where(both, b_rank, nan)),
        "rank_after": _ranks(np.where(both, a_rank, nan)),
        "rank_change": _ranks(np.where(both, b_rank - a_rank, nan)),
        "direction": _words(["up", "down", "same", "uncertain", ""], np.where(
            both, np.select([lo > 0, hi < 0, (lo == 0) & (hi == 0)], [0, 1, 2], 3), 4)),
        "rate_before": np.where(both, col(rb, "rate"), nan),
        "rate_after": np.where(both, col(ra, "rate"), nan),
        "ci_change": _ci_changes(rb, ra, both, before, after),
        "trend": trend,
        "disclosure_before": _disclosure(rb, in_b), "disclosure_after": _disclosure(ra, in_a),
    }  # fmt: skip
    out = pd.DataFrame({c: cols.pop(c) for c in COMPARE_COLUMNS})
    out.attrs.update(
        {
            "scheme": after.attrs.get("scheme"),
            "scheme_name": after.attrs.get("scheme_name"),
            "period_before": before.attrs.get("period", ""),
            "period_after": after.attrs.get("period", ""),
            "illustrative": bool(
                before.attrs.get("illustrative") or after.attrs.get("illustrative")
            ),
            "sources": [*before.attrs.get("sources", []), *after.attrs.get("sources", [])],
            "boundaries": after.attrs.get("boundaries", ""),
            "only_before": sorted(
                set(before["indicator"].unique()) - set(after["indicator"].unique())
            ),
            "only_after": sorted(
                set(after["indicator"].unique()) - set(before["indicator"].unique())
            ),
            "trend_periods": len(history or [before, after]),
            "disclosure_policy": after.attrs.get("disclosure_policy", "none"),
            "disclosure_statement": after.attrs.get("disclosure_statement", ""),
            "disclosure_symbol": after.attrs.get("disclosure_symbol", ""),
        }
    )
    return out


def _words(words: list[str], codes: Any) -> Any:
    """A text column of a few distinct words, from each row's position in ``words`` (the rows
    share the word objects rather than holding a copy each)."""
    import numpy as np

    return np.array(words, dtype=object)[codes]


def _ranks(values: Any) -> Any:
    """Whole-number ranks with gaps (NaN) as pandas' nullable integers."""
    import pandas as pd

    return pd.array(pd.array(values, dtype="Float64"), dtype="Int64")


def _aligned(table: pd.DataFrame, index: pd.MultiIndex) -> tuple[pd.DataFrame, Any]:
    """The columns of ``table`` a comparison reads, one row per key of ``index`` (NaN where the
    table lacks the key), and which keys it holds."""
    keyed = table[_KEY + [c for c in _READ if c in table.columns]].set_index(_KEY)
    return keyed.reindex(index), index.isin(keyed.index)


def _disclosure(frame: pd.DataFrame, present: Any) -> Any:
    """Each row's published status in one period ("" where the period lacks the row)."""
    import numpy as np

    status = frame["disclosure"] if "disclosure" in frame.columns else None
    shown = np.full(len(frame), "shown", dtype=object)
    if status is not None:
        shown = status.fillna("shown").to_numpy(dtype=object)
    return np.where(present, shown, "")


def trends(tables: list[pd.DataFrame]) -> dict[tuple[str, str], str]:
    """Recent-trend verdict per (indicator, locality) over a series of rollups, oldest first.

    Uses exact counts (a suppressed point makes the trend incalculable) over the rate table's
    denominators when present (plain counts otherwise); proportions use the Cochran-Armitage test.
    A key missing from some periods is tested over the last five periods that hold it.
    """
    import pandas as pd

    if len(tables) < TREND_POINTS:
        return {}  # no key has five points: every trend "cannot be calculated"
    keys = pd.concat([t[_KEY] for t in tables]).drop_duplicates()
    verdicts = _trend_column(tables, pd.MultiIndex.from_frame(keys))
    return dict(zip(keys.itertuples(index=False, name=None), verdicts, strict=True))


def _trend_column(tables: list[pd.DataFrame], index: pd.MultiIndex) -> Any:
    """The recent-trend verdict of each (indicator, locality) of ``index``, as an array.

    Each key's last five points are gathered into arrays (keys x 5), newest period first, rather
    than key by key into Python lists: at national scale ten periods of 45,000 keys made half a
    million tuples. Periods older than every key's fifth point are not read.
    """
    import numpy as np

    from localitymap.statistics.methods import recent_trends

    out = np.full(len(index), "cannot be calculated", dtype=object)
    if len(tables) < TREND_POINTS:
        return out
    counts = np.full((len(index), TREND_POINTS), np.nan)
    with_den = all("denominator" in t.columns for t in tables)
    dens = np.full(counts.shape, np.nan) if with_den else None
    proportion = np.zeros(len(index), dtype=bool)
    points = np.zeros(len(index), dtype=np.int64)  # points found so far per key
    for table in reversed(tables):
        rows = index.get_indexer(_keys_index(table))
        take = rows >= 0
        take[take] = points[rows[take]] < TREND_POINTS
        at = rows[take]
        slot = TREND_POINTS - 1 - points[at]
        low = table["count_low"].to_numpy(dtype=float, na_value=np.nan)[take]
        high = table["count_high"].to_numpy(dtype=float, na_value=np.nan)[take]
        counts[at, slot] = np.where(low == high, low, np.nan)
        if dens is not None:
            dens[at, slot] = table["denominator"].to_numpy(dtype=float, na_value=np.nan)[take]
        # The measure of the latest period holding the key decides the test.
        newest = at[points[at] == 0]
        if "measure" in table.columns:
            percent = table["measure"].eq("%").to_numpy(dtype=bool, na_value=False)[take]
            proportion[newest] = percent[points[at] == 0]
        points[at] += 1
        if (points >= TREND_POINTS).all():
            break
    enough = points >= TREND_POINTS
    out[enough] = recent_trends(
        counts[enough], dens[enough] if dens is not None else None, proportion[enough]
    )
    return out


def _keys_index(table: pd.DataFrame) -> pd.MultiIndex:
    """A rollup's (indicator, locality) keys as an index."""
    import pandas as pd

    return pd.MultiIndex.from_frame(table[_KEY])


def _ci_changes(
    rb: pd.DataFrame, ra: pd.DataFrame, both: Any, before: pd.DataFrame, after: pd.DataFrame
) -> Any:
    """:func:`_ci_change` for every key at once ('' where a period lacks the intervals)."""
    import numpy as np

    out = np.full(len(rb), "", dtype=object)
    if not all(c in t.columns for t in (before, after) for c in ("lcl_95", "ucl_95")):
        return out
    b_l, b_u = rb["lcl_95"].to_numpy(dtype=float), rb["ucl_95"].to_numpy(dtype=float)
    a_l, a_u = ra["lcl_95"].to_numpy(dtype=float), ra["ucl_95"].to_numpy(dtype=float)
    finite = np.isfinite(b_l) & np.isfinite(b_u) & np.isfinite(a_l) & np.isfinite(a_u)
    word = np.select([~finite, a_l > b_u, a_u < b_l], ["uncertain", "higher", "lower"], "similar")
    out[both] = word[both]
    return out
