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
    b = {(r["indicator"], r["locality"]): r for r in before.to_dict("records")}
    a = {(r["indicator"], r["locality"]): r for r in after.to_dict("records")}
    order = list(dict.fromkeys([*b, *a]))
    rows: list[dict[str, Any]] = []
    for key in order:
        rb, ra = b.get(key), a.get(key)
        presence = "both" if rb and ra else ("before only" if rb else "after only")
        ref = ra or rb
        assert ref is not None
        row: dict[str, Any] = {
            "indicator": key[0],
            "label": ref["label"],
            "locality": key[1],
            "is_total": bool(ref["is_total"]),
            "presence": presence,
        }
        row["count_before"] = _bounded(rb["count_low"], rb["count_high"]) if rb else math.nan
        row["count_after"] = _bounded(ra["count_low"], ra["count_high"]) if ra else math.nan
        if rb and ra:
            lo = ra["count_low"] - rb["count_high"]
            hi = ra["count_high"] - rb["count_low"]
            row["change_low"], row["change_high"] = lo, hi
            row["change"] = _bounded(lo, hi)
            base = row["count_before"]
            row["change_pct"] = (
                row["change"] / base * 100
                if base and base == base and row["change"] == row["change"]
                else math.nan
            )
            row["share_before"], row["share_after"] = rb["share"], ra["share"]
            row["share_change_pp"] = (ra["share"] - rb["share"]) * 100
            row["rank_before"], row["rank_after"] = rb["rank"], ra["rank"]
            rank_known = not (pd.isna(rb["rank"]) or pd.isna(ra["rank"]))
            row["rank_change"] = int(rb["rank"]) - int(ra["rank"]) if rank_known else math.nan
            if lo > 0:
                row["direction"] = "up"
            elif hi < 0:
                row["direction"] = "down"
            elif lo == hi == 0:
                row["direction"] = "same"
            else:
                row["direction"] = "uncertain"
            row["rate_before"] = rb.get("rate", math.nan)
            row["rate_after"] = ra.get("rate", math.nan)
            row["ci_change"] = _ci_change(rb, ra)
        else:
            row.update(dict.fromkeys(
                ["change", "change_low", "change_high", "change_pct", "share_before", "share_after",
                 "share_change_pp", "rank_before", "rank_after", "rank_change", "rate_before",
                 "rate_after"], math.nan))  # fmt: skip
            row["direction"] = ""
            row["ci_change"] = ""
        rows.append(row)
    verdicts = trends(history or [before, after])
    for row in rows:
        row["trend"] = verdicts.get((row["indicator"], row["locality"]), "cannot be calculated")
    out = pd.DataFrame(rows, columns=COMPARE_COLUMNS)
    for col in ("rank_before", "rank_after", "rank_change"):
        out[col] = pd.array(out[col].astype("Float64"), dtype="Int64")
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
            "only_before": sorted({k[0] for k in b} - {k[0] for k in a}),
            "only_after": sorted({k[0] for k in a} - {k[0] for k in b}),
            "trend_periods": len(history or [before, after]),
        }
    )
    return out


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
