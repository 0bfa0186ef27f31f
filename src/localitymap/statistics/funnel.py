"""Funnel plots' figures: rates of localities (or wards) against their population, with limits
at 95% and 99.8% around the borough rate. Drawing is :func:`localitymap.renderers.figures.render_funnel`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

from localitymap.errors import InputError
from localitymap.inputs.indicators import find_indicator
from localitymap.model.rollup import TOTAL, UNASSIGNED
from localitymap.statistics.rates import band_words

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.inputs.indicators import IndicatorData


def _position(rate_low: float, rate_high: float, lower: float, upper: float) -> str:
    """Where a point (or its whole range) sits against one pair of limits."""
    if rate_low > upper:
        return "higher"
    if math.isfinite(rate_high) and rate_high < lower:
        return "lower"
    return "similar"


def funnel_points(
    table: pd.DataFrame, data: IndicatorData, population: pd.DataFrame, indicator: str,
    level: Literal["locality", "ward"] = "locality", *, ward_values: pd.DataFrame | None = None,
) -> tuple[list[dict[str, Any]], float, str, float]:  # fmt: skip
    """The points to plot, the borough rate (per multiplier), the band and the multiplier.

    Ward points come from ``ward_values`` (the exercise's published ward figures) when given: a
    ward whose count is hidden is left out, since its rate would give the count away."""
    from localitymap.statistics.methods import funnel_limits
    from localitymap.statistics.rates import ward_rates

    ind = find_indicator(data.indicators, indicator)
    rows = table[table["indicator"] == ind.id]
    total = rows[rows["locality"] == TOTAL].iloc[0]
    band = str(total["denominator_band"])
    per = float(table.attrs.get("rate_multiplier", 10_000))
    if band not in population.columns or not math.isfinite(total["rate"]):
        raise InputError(f"no exact borough rate for {ind.id}: a funnel plot needs one",
                         hint="check the indicator's denominator and suppressed cells")  # fmt: skip
    borough = total["rate"] / per
    if level == "ward":
        wr = ward_rates(data, population, ind.id, band, per, values=ward_values)
        raw = [{"name": r["ward_name"], "denominator": r["denominator"], "rate_low": r["rate_low"],
                "rate_high": r["rate_high"], "count_low": r["low"], "count_high": r["high"]}
               for r in wr.to_dict("records") if r["low"] == r["low"]]  # fmt: skip
    else:
        body = rows[~rows["is_total"] & rows["locality"].ne(UNASSIGNED)]
        raw = [{"name": r["locality"], "denominator": r["denominator"], "rate_low": r["rate_low"],
                "rate_high": r["rate_high"], "count_low": r["count_low"],
                "count_high": r["count_high"]}
               for r in body.to_dict("records") if r.get("disclosure") != "suppressed"]  # fmt: skip
    for p in raw:
        lower, upper = funnel_limits(borough, [p["denominator"]], 0.95, per)
        p["position"] = _position(p["rate_low"], p["rate_high"], lower[0], upper[0])
    return raw, total["rate"], band, per


def funnel_table(
    table: pd.DataFrame, data: IndicatorData, population: pd.DataFrame, indicator: str,
    level: Literal["locality", "ward"] = "locality", *, ward_values: pd.DataFrame | None = None,
) -> pd.DataFrame:  # fmt: skip
    """The figures behind a funnel plot, one row per point: population, published count, rate,
    the count expected at the borough rate, the 95% and 99.8% limits (as rates) at that
    population, and where the point sits against each pair.

    >>> from localitymap.exercise import Exercise
    >>> ex = Exercise(scheme="icn6", period="2019-02", disclosure="threshold5")
    >>> t = funnel_table(ex.table(rates=True), ex.data, ex.population, "cp_plans")
    >>> len(t), list(t.columns)[:3]
    (6, ['area', 'population', 'count'])
    """
    import pandas as pd

    from localitymap.statistics.methods import funnel_limits

    points, borough_rate, band, per = funnel_points(
        table, data, population, indicator, level, ward_values=ward_values
    )
    dens = [float(p["denominator"]) for p in points]
    lim = {lvl: funnel_limits(borough_rate / per, dens, lvl, per) for lvl in (0.95, 0.998)}
    rows = []
    for k, p in enumerate(points):
        exact = p["count_low"] == p["count_high"]
        rows.append(
            {
                "area": p["name"],
                "population": dens[k],
                "count": p["count_low"] if exact else math.nan,
                "rate": p["rate_low"] if exact else math.nan,
                "expected": borough_rate / per * dens[k],
                "lower_95": lim[0.95][0][k], "upper_95": lim[0.95][1][k],
                "lower_998": lim[0.998][0][k], "upper_998": lim[0.998][1][k],
                "position_95": _position(p["rate_low"], p["rate_high"], lim[0.95][0][k], lim[0.95][1][k]),
                "position_998": _position(p["rate_low"], p["rate_high"], lim[0.998][0][k], lim[0.998][1][k]),
            }
        )  # fmt: skip
    out = pd.DataFrame(rows)
    ind = find_indicator(data.indicators, indicator)
    out.attrs["caption"] = [
        f"Funnel plot figures: {ind.label}, rate per {per:,.0f} {band_words(band)} by {level}; "
        f"borough rate {borough_rate:.1f}."
    ]
    return out
