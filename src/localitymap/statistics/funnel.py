"""Funnel plots as a library call: rates of localities (or wards) against their population, with
exact Poisson limits at 95% and 99.8% around the borough rate.

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


def _position(rate_low: float, rate_high: float, lower: float, upper: float) -> str:
    """Where a point (or its whole range) sits against one pair of limits."""
    if rate_low > upper:
        return "higher"
    if math.isfinite(rate_high) and rate_high < lower:
        return "lower"
    return "similar"


def funnel_points(
    table: pd.DataFrame, data: IndicatorData, population: pd.DataFrame, indicator: str,
    level: Literal["locality", "ward"] = "locality",
) -> tuple[list[dict[str, Any]], float, str, float]:  # fmt: skip
    """The points to plot, the borough rate (per multiplier), the band and the multiplier."""
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
        wr = ward_rates(data, population, ind.id, band, per)
        raw = [{"name": r["ward_name"], "denominator": r["denominator"], "rate_low": r["rate_low"],
                "rate_high": r["rate_high"]} for r in wr.to_dict("records")]  # fmt: skip
    else:
        body = rows[~rows["is_total"] & rows["locality"].ne(UNASSIGNED)]
        raw = [{"name": r["locality"], "denominator": r["denominator"], "rate_low": r["rate_low"],
                "rate_high": r["rate_high"]} for r in body.to_dict("records")]  # fmt: skip
    for p in raw:
        lower, upper = funnel_limits(borough, [p["denominator"]], 0.95, per)
        p["position"] = _position(p["rate_low"], p["rate_high"], lower[0], upper[0])
    return raw, total["rate"], band, per


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
    dens = [p["denominator"] for p in points]
    lo_x, hi_x = min(dens) * 0.7, max(dens) * 1.3
    grid = [lo_x * (hi_x / lo_x) ** (k / 199) for k in range(200)]
    limits = {lvl: funnel_limits(borough_rate / per, grid, lvl, per) for lvl in (0.95, 0.998)}
    period = period_label(str(table.attrs.get("period") or ""))
    fig = draw_funnel(
        points, borough_rate, limits, grid,
        title=f"{ind.label}: rate by {level}{', ' + period if period else ''}",
        subtitle=f"{table.attrs.get('scheme_name', '')}. Exact Poisson limits around the borough rate."
        + (" Named: wards outside the 95% limits." if level == "ward" else ""),
        x_label=f"Population ({band_words(band)})", y_label=f"Rate per {per:,.0f}",
        footer=footer_lines_plain(table), illustrative=bool(table.attrs.get("illustrative")),
        label_all=level == "locality",
    )  # fmt: skip
    return save(fig, fmt, dpi=dpi)
