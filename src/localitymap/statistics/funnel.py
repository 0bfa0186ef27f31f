"""Funnel plots' figures: rates (or percentages) of localities or wards against their
population, with the limits Fingertips draws at 95% and 99.8% around the borough value: Poisson
prediction limits for rates, binomial limits for proportions (see
:func:`localitymap.statistics.methods.funnel_limits`). :func:`funnel_table` gives the figures;
drawing is :func:`localitymap.renderers.figures.render_funnel`.
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


#: Above this many points a funnel names only those outside its limits (the rest would overlap).
LABEL_ALL_UP_TO = 36


def funnel_method(proportion: bool) -> str:
    """The sentence every funnel output carries about its limits.

    >>> funnel_method(False)
    'Poisson prediction limits as Fingertips'
    """
    return f"{'Binomial' if proportion else 'Poisson'} prediction limits as Fingertips"


def _position(rate_low: float, rate_high: float, lower: float, upper: float) -> str:
    """Where a point (or its whole range) sits against one pair of limits."""
    if rate_low > upper:
        return "higher"
    if math.isfinite(rate_high) and rate_high < lower:
        return "lower"
    return "similar"


def _table_position(rate_low: float, rate_high: float, lower: float, upper: float) -> str:
    """The figures table's word: a suppressed range that crosses a limit is ``uncertain``."""
    if not math.isfinite(rate_low):
        return "suppressed"
    where = _position(rate_low, rate_high, lower, upper)
    if where == "similar":
        top = rate_high if math.isfinite(rate_high) else math.inf
        if (rate_low < lower <= top) or (rate_low <= upper < top):
            return "uncertain"
        return "within"
    return "above" if where == "higher" else "below"


def funnel_points(
    table: pd.DataFrame, data: IndicatorData, population: pd.DataFrame, indicator: str,
    level: Literal["locality", "ward"] = "locality", *, ward_values: pd.DataFrame | None = None,
) -> tuple[list[dict[str, Any]], float, str, float]:  # fmt: skip
    """The points to plot, the borough value (per multiplier, or %), the band and the multiplier.

    Each point carries ``expected`` (the count at the borough value for its population), its
    limits at 95% and 99.8% (``lower_95``, ``upper_95``, ``lower_998``, ``upper_998``, in the
    plotted measure) and ``position`` (higher / lower / similar at 95%).

    Ward points come from ``ward_values`` (the exercise's published ward figures) when given: a
    ward whose count is hidden is left out, since its rate would give the count away; so is a
    locality whose count is suppressed.
    """
    from localitymap.statistics.methods import funnel_limits
    from localitymap.statistics.rates import ward_rates

    ind = find_indicator(data.indicators, indicator)
    proportion = ind.statistic == "proportion"
    rows = table[table["indicator"] == ind.id]
    total = rows[rows["locality"] == TOTAL].iloc[0]
    band = str(total["denominator_band"])
    per = 100.0 if proportion else float(table.attrs.get("rate_multiplier", 10_000))
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
    dens = [float(p["denominator"]) for p in raw]
    limits = {
        suffix: funnel_limits(borough, dens, lvl, per, proportion=proportion)
        for lvl, suffix in ((0.95, "95"), (0.998, "998"))
    }
    for k, p in enumerate(raw):
        p["expected"] = borough * dens[k]
        for suffix, (lower, upper) in limits.items():
            p[f"lower_{suffix}"], p[f"upper_{suffix}"] = lower[k], upper[k]
        p["position"] = _position(p["rate_low"], p["rate_high"], p["lower_95"], p["upper_95"])
    return raw, total["rate"], band, per


def funnel_table(
    table: pd.DataFrame, data: IndicatorData, population: pd.DataFrame, indicator: str,
    level: Literal["locality", "ward"] = "locality", *, ward_values: pd.DataFrame | None = None,
) -> pd.DataFrame:  # fmt: skip
    """The figures behind a funnel plot, one row per point: population, the published count and
    the plotted value, the count expected at the borough value, the four limits and the position
    at 95% and 99.8% (``above`` / ``below`` / ``within``; ``uncertain`` where a range crosses a
    limit). ``attrs["method"]`` names the limits. Points whose count is suppressed are not drawn
    and not listed.

    >>> from localitymap.exercise import Exercise
    >>> ex = Exercise(scheme="icn6", period="2019-02")
    >>> t = funnel_table(ex.table(rates=True), ex.data, ex.population, "neet")
    >>> t.set_index("name").loc["South East", ["position_95", "position_998"]].tolist()
    ['above', 'above']
    """
    import pandas as pd

    ind = find_indicator(data.indicators, indicator)
    proportion = ind.statistic == "proportion"
    points, borough_value, band, per = funnel_points(
        table, data, population, indicator, level, ward_values=ward_values
    )
    measure = "%" if proportion else f"per {per:,.0f}"
    rows = []
    for p in points:
        exact = p["count_low"] == p["count_high"]
        rows.append(
            {
                "indicator": ind.id, "name": p["name"], "population": p["denominator"],
                "population_band": band,
                "count": p["count_low"] if exact else math.nan,
                "value": p["rate_low"] if exact else math.nan, "measure": measure,
                "expected": p["expected"],
                "lower_95": p["lower_95"], "upper_95": p["upper_95"],
                "lower_998": p["lower_998"], "upper_998": p["upper_998"],
                "position_95": _table_position(p["rate_low"], p["rate_high"], p["lower_95"], p["upper_95"]),
                "position_998": _table_position(
                    p["rate_low"], p["rate_high"], p["lower_998"], p["upper_998"]),
                "method": funnel_method(proportion),
            }
        )  # fmt: skip
    out = pd.DataFrame(rows)
    out.attrs["method"] = funnel_method(proportion)
    what = "percentage" if proportion else f"rate per {per:,.0f}"
    out.attrs["caption"] = [
        f"Funnel plot figures: {ind.label}, {what} {band_words(band)} by {level}; borough value "
        f"{borough_value:.1f}. {funnel_method(proportion)}."
    ]
    return out
