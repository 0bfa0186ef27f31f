"""Funnel plots as a library call: rates (or percentages) of localities or wards against their
population, with the limits Fingertips draws at 95% and 99.8% around the borough value: Poisson
prediction limits for rates, binomial limits for proportions (see
:func:`localitymap.statistics.methods.funnel_limits`). :func:`funnel_table` gives the figures.

>>> from localitymap import read_indicators, load_scheme, rollup
>>> from localitymap.statistics.rates import add_rates, read_population
>>> data, scheme, pop = read_indicators(), load_scheme("icn6"), read_population()
>>> table = add_rates(rollup(data, scheme), data, scheme, pop)
>>> render_funnel(table, data, pop, "cp_plans", fmt="svg")[:5]
b'<?xml'
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
    level: Literal["locality", "ward"] = "locality",
) -> tuple[list[dict[str, Any]], float, str, float]:  # fmt: skip
    """The points to plot, the borough value (per multiplier, or %), the band and the multiplier.

    Each point carries ``expected`` (the count at the borough value for its population), its
    limits at 95% and 99.8% (``lower_95``, ``upper_95``, ``lower_998``, ``upper_998``, in the
    plotted measure) and ``position`` (higher / lower / similar at 95%).
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
        wr = ward_rates(data, population, ind.id, band, per)
        raw = [{"name": r["ward_name"], "denominator": r["denominator"], "rate_low": r["rate_low"],
                "rate_high": r["rate_high"]} for r in wr.to_dict("records")]  # fmt: skip
    else:
        body = rows[~rows["is_total"] & rows["locality"].ne(UNASSIGNED)]
        raw = [{"name": r["locality"], "denominator": r["denominator"], "rate_low": r["rate_low"],
                "rate_high": r["rate_high"]} for r in body.to_dict("records")]  # fmt: skip
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
    level: Literal["locality", "ward"] = "locality",
) -> pd.DataFrame:  # fmt: skip
    """The funnel's figures, one row per point: population, expected count, the four limits and
    the position at 95% and 99.8% (``above`` / ``below`` / ``within``; ``uncertain`` where a
    suppressed range crosses a limit). ``attrs["method"]`` names the limits.

    No counts: the limits and positions are what the chart shows, and a count beside its
    population would undo disclosure control.

    >>> from localitymap import read_indicators, load_scheme, rollup
    >>> from localitymap.statistics.rates import add_rates, read_population
    >>> data, scheme, pop = read_indicators(period="2019-02"), load_scheme("icn6"), read_population()
    >>> t = funnel_table(add_rates(rollup(data, scheme), data, scheme, pop), data, pop, "neet")
    >>> t.set_index("name").loc["South East", ["position_95", "position_998"]].tolist()
    ['above', 'above']
    """
    import pandas as pd

    ind = find_indicator(data.indicators, indicator)
    proportion = ind.statistic == "proportion"
    points, _, band, per = funnel_points(table, data, population, indicator, level)
    measure = "%" if proportion else f"per {per:,.0f}"
    rows = [
        {
            "indicator": ind.id, "name": p["name"], "population": p["denominator"],
            "population_band": band, "expected": p["expected"], "measure": measure,
            "lower_95": p["lower_95"], "upper_95": p["upper_95"],
            "lower_998": p["lower_998"], "upper_998": p["upper_998"],
            "position_95": _table_position(p["rate_low"], p["rate_high"], p["lower_95"], p["upper_95"]),
            "position_998": _table_position(
                p["rate_low"], p["rate_high"], p["lower_998"], p["upper_998"]),
            "method": funnel_method(proportion),
        }
        for p in points
    ]  # fmt: skip
    out = pd.DataFrame(rows)
    out.attrs["method"] = funnel_method(proportion)
    return out


def render_funnel(
    table: pd.DataFrame, data: IndicatorData, population: pd.DataFrame, indicator: str, *,
    level: Literal["locality", "ward"] = "locality", fmt: str = "png", dpi: int = 200,
) -> bytes:  # fmt: skip
    """A funnel plot of one indicator as PNG/SVG/PDF bytes. ``table`` must carry rates."""
    from localitymap.renderers.charts import draw_funnel
    from localitymap.renderers.figures import footer_lines_plain
    from localitymap.renderers.maps import period_label, save
    from localitymap.statistics.methods import funnel_limits

    if "rate" not in table.columns:
        raise InputError(
            "a funnel plot needs rates", hint="add them with localitymap.statistics.rates.add_rates"
        )
    points, borough_rate, band, per = funnel_points(table, data, population, indicator, level)
    ind = find_indicator(data.indicators, indicator)
    proportion = ind.statistic == "proportion"
    dens = [p["denominator"] for p in points]
    lo_x, hi_x = min(dens) * 0.7, max(dens) * 1.3
    grid = [lo_x * (hi_x / lo_x) ** (k / 199) for k in range(200)]
    limits = {
        lvl: funnel_limits(borough_rate / per, grid, lvl, per, proportion=proportion)
        for lvl in (0.95, 0.998)
    }
    period = period_label(str(table.attrs.get("period") or ""))
    label_all = level == "locality" and len(points) <= LABEL_ALL_UP_TO
    named = ""
    if not label_all:
        named = f" Named: {level}s outside the 95% limits"
        named += f" ({len(points)} points, too many to name all)." if level == "locality" else "."
    what = "percentage" if proportion else "rate"
    fig = draw_funnel(
        points, borough_rate, limits, grid,
        title=f"{ind.label}: {what} by {level}{', ' + period if period else ''}",
        subtitle=f"{table.attrs.get('scheme_name', '')}. {funnel_method(proportion)}, around the "
        f"borough {what}." + named,
        x_label=f"Population ({band_words(band)})",
        y_label="Percent" if proportion else f"Rate per {per:,.0f}",
        footer=footer_lines_plain(table), illustrative=bool(table.attrs.get("illustrative")),
        label_all=label_all,
    )  # fmt: skip
    return save(fig, fmt, dpi=dpi)
