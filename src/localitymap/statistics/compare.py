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

if TYPE_CHECKING:
    import pandas as pd

COMPARE_COLUMNS = [
    "indicator", "label", "locality", "is_total", "presence",
    "count_before", "count_after", "change", "change_low", "change_high", "change_pct",
    "share_before", "share_after", "share_change_pp", "rank_before", "rank_after", "rank_change",
    "direction", "rate_before", "rate_after", "ci_change", "trend",
    "disclosure_before", "disclosure_after",
]  # fmt: skip


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
    key = ["indicator", "locality"]
    keys = pd.concat([before[key], after[key]]).drop_duplicates()
    index = pd.MultiIndex.from_frame(keys)
    rb = before.set_index(key).reindex(index)
    ra = after.set_index(key).reindex(index)
    in_b = index.isin(before.set_index(key).index)
    in_a = index.isin(after.set_index(key).index)
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
    direction = np.select([lo > 0, hi < 0, (lo == 0) & (hi == 0)], ["up", "down", "same"],
                          "uncertain").astype(object)  # fmt: skip
    direction[~both] = ""
    out = pd.DataFrame({
        "indicator": keys["indicator"].to_numpy(), "label": np.where(in_a, ra["label"], rb["label"]),
        "locality": keys["locality"].to_numpy(),
        "is_total": np.where(in_a, ra["is_total"], rb["is_total"]).astype(bool),
        "presence": np.where(both, "both", np.where(in_b, "before only", "after only")),
        "count_before": count_before, "count_after": count_after,
        "change": change, "change_low": np.where(both, lo, nan), "change_high": np.where(both, hi, nan),
        "change_pct": pct,
        "share_before": np.where(both, col(rb, "share"), nan),
        "share_after": np.where(both, col(ra, "share"), nan),
        "share_change_pp": np.where(both, (col(ra, "share") - col(rb, "share")) * 100, nan),
        "rank_before": np.where(both, b_rank, nan), "rank_after": np.where(both, a_rank, nan),
        "rank_change": np.where(both, b_rank - a_rank, nan),
        "direction": direction,
        "rate_before": np.where(both, col(rb, "rate"), nan),
        "rate_after": np.where(both, col(ra, "rate"), nan),
        "ci_change": _ci_changes(rb, ra, both, before, after),
        "disclosure_before": _disclosure(rb, in_b), "disclosure_after": _disclosure(ra, in_a),
    })  # fmt: skip
    verdicts = trends(history or [before, after])
    out["trend"] = [verdicts.get(k, "cannot be calculated") for k in index]
    out = out[COMPARE_COLUMNS]
    for c in ("rank_before", "rank_after", "rank_change"):
        out[c] = pd.array(out[c].astype("Float64"), dtype="Int64")
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
            "only_before": sorted(set(before["indicator"]) - set(after["indicator"])),
            "only_after": sorted(set(after["indicator"]) - set(before["indicator"])),
            "trend_periods": len(history or [before, after]),
            "disclosure_policy": after.attrs.get("disclosure_policy", "none"),
            "disclosure_statement": after.attrs.get("disclosure_statement", ""),
            "disclosure_symbol": after.attrs.get("disclosure_symbol", ""),
        }
    )
    return out


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
    """
    from localitymap.statistics.methods import TREND_POINTS, recent_trend

    if len(tables) < TREND_POINTS:
        return {}  # no key has five points: every trend "cannot be calculated"
    series: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
    for table in tables:
        # Columns zipped, not rows as dicts: this runs over every locality of every period.
        low, high = table["count_low"].tolist(), table["count_high"].tolist()
        den = table["denominator"].tolist() if "denominator" in table.columns else None
        measure = table["measure"].tolist() if "measure" in table.columns else None
        keys = zip(table["indicator"].tolist(), table["locality"].tolist(), strict=True)
        for k, key in enumerate(keys):
            count = low[k] if low[k] == high[k] else math.nan
            series.setdefault(key, []).append(
                (count, den[k] if den is not None else math.nan, measure[k] if measure else "")
            )
    with_den = all("denominator" in t.columns for t in tables)
    out = {}
    for key, points in series.items():
        counts = [p[0] for p in points]
        dens = [p[1] for p in points] if with_den else None
        out[key] = recent_trend(counts, dens, proportion=points[-1][2] == "%")
    return out


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


def _ci_change(rb: dict[str, Any], ra: dict[str, Any]) -> str:
    """Whether the 95% intervals of the two rates are apart (a change the data can show)."""
    needed = ("lcl_95", "ucl_95")
    if not all(k in rb and k in ra for k in needed):
        return ""
    if any(not math.isfinite(v) for v in (rb["lcl_95"], ra["lcl_95"], rb["ucl_95"], ra["ucl_95"])):
        return "uncertain"
    if ra["lcl_95"] > rb["ucl_95"]:
        return "higher"
    if ra["ucl_95"] < rb["lcl_95"]:
        return "lower"
    return "similar"
