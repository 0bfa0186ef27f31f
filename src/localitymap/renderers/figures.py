"""Maps as a library call: which indicator, which layer, what the footer says; drawing is in
:mod:`localitymap.renderers.maps`.

>>> from localitymap import read_indicators, load_scheme, rollup
>>> from localitymap.model.geo import load_boundaries
>>> data, scheme = read_indicators(), load_scheme("icn6")
>>> png = render_map(rollup(data, scheme), data, scheme, load_boundaries(), "cp_plans", fmt="png", dpi=72)
>>> png[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

from localitymap.inputs.indicators import find_indicator
from localitymap.inputs.wards import normalise_name

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.inputs.indicators import IndicatorData
    from localitymap.inputs.schemes import Scheme
    from localitymap.model.geo import Boundaries


def footer_lines_plain(table: pd.DataFrame, status: str = "") -> list[str]:
    """Source lines every chart carries: localities, data, population, boundaries, and whether
    it may be published. File names only; labels, never ids."""
    from localitymap.publication.disclosure import get_policy
    from localitymap.renderers.maps import period_label
    from localitymap.statistics.rates import population_credit

    a = table.attrs
    note = " (illustrative)" if a.get("illustrative") else ""
    period = period_label(str(a.get("period") or ""))
    data = ", ".join(x for x in [period + note if period else note.strip(" ()"),
                                 "; ".join(a.get("sources", []))] if x)  # fmt: skip
    line = f"Localities: {a.get('scheme_name')}. Data: {data}. Boundaries: {a.get('boundaries')}."
    if a.get("population_source"):
        line += f" Population: {population_credit(a, short=True)}."
    policy = get_policy(str(a.get("disclosure_policy") or "none"))
    if policy.public:
        line += f" Disclosure control: {policy.title}."
    lines = [line + " Made with localitymap."]
    if status and not policy.public:
        lines.insert(0, status)
    return lines


def footer_lines(table: pd.DataFrame, boundaries: Boundaries, status: str = "") -> list[str]:
    """Source lines every map carries: those of every chart, and the boundary attribution."""
    return [*footer_lines_plain(table, status), boundaries.attribution]


def render_map(
    table: pd.DataFrame,
    data: IndicatorData,
    scheme: Scheme,
    boundaries: Boundaries,
    indicator: str,
    *,
    level: Literal["locality", "ward"] = "locality",
    value: Literal["count", "share"] = "count",
    fmt: str = "png",
    dpi: int = 200,
    ward_values: pd.DataFrame | None = None,
    status: str = "",
) -> bytes:
    """A map of one indicator (``"all"``: every indicator's share on one A4 page) as file bytes.

    Ward colours come from ``ward_values`` (the exercise's published ward figures,
    :attr:`localitymap.exercise.Exercise.ward_values`); without them, from the data as read, which
    is for internal use only."""
    from localitymap.model.geo import locality_layer, ward_layer
    from localitymap.renderers.maps import draw_map, draw_small_multiples, period_label, save

    localities = locality_layer(table, scheme, boundaries)
    # Ward values are needed only to colour wards; otherwise the outlines suffice.
    wards = (
        ward_layer(table, data.values if ward_values is None else ward_values, scheme, boundaries)
        if level == "ward"
        else boundaries.frame
    )
    period = period_label(str(table.attrs.get("period") or ""))
    footer = footer_lines(table, boundaries, status)
    illustrative = bool(table.attrs.get("illustrative"))
    symbol = str(table.attrs.get("disclosure_symbol", ""))
    if normalise_name(indicator) == "all":
        inds = [(i.id, i.label) for i in data.indicators]
        title = f"Share of each indicator by locality{', ' + period if period else ''}"
        fig = draw_small_multiples(localities, wards, inds, title=title, footer=footer,
                                   illustrative=illustrative, symbol=symbol)  # fmt: skip
    else:
        found = find_indicator(data.indicators, indicator)
        ind, label = found.id, found.label
        fig = draw_map(
            localities, wards, ind, label, level=level, value=value,
            title_suffix=f", {period}" if period else "", subtitle=str(table.attrs.get("scheme_name", "")),
            footer=footer, illustrative=illustrative, symbol=symbol,
        )  # fmt: skip
    return save(fig, fmt, dpi=dpi)


def map_figures(
    table: pd.DataFrame,
    ward_values: pd.DataFrame,
    scheme: Scheme,
    indicator: str,
    level: Literal["locality", "ward"] = "locality",
) -> pd.DataFrame:
    """The figures a map shows, one row per area: what a reader of a public paper can check the
    picture against (and what it discloses). Hidden figures are blank with their symbol.

    >>> from localitymap.exercise import Exercise
    >>> ex = Exercise(scheme="icn6", period="2019-02", disclosure="threshold5")
    >>> f = map_figures(ex.table(), ex.ward_values, ex.scheme, "cp_plans", "ward")
    >>> list(f.columns)[:4], len(f)
    (['ward_code', 'ward', 'locality', 'indicator'], 28)
    """
    import pandas as pd

    from localitymap.publication.tables import cell_records

    labels = dict(zip(table["indicator"], table["label"], strict=False))
    ids = list(dict.fromkeys(table["indicator"]))
    wanted = ids if normalise_name(indicator) == "all" else [_indicator_id(table, indicator)]
    if level == "ward":
        locality_of = {c: loc for loc, codes in scheme.localities.items() for c in codes}
        v = ward_values[ward_values["indicator"].isin(wanted)]
        out = pd.DataFrame(
            {
                "ward_code": v["ward_code"].to_numpy(),
                "ward": v["ward_name"].to_numpy(),
                "locality": [locality_of.get(c, "") for c in v["ward_code"]],
                "indicator": [labels.get(i, i) for i in v["indicator"]],
                "count": [lo if lo == hi else math.nan for lo, hi in zip(v["low"], v["high"], strict=True)],
                "published": v["text"].to_numpy(),
            }
        )  # fmt: skip
    else:
        rows = table[table["indicator"].isin(wanted)]
        recs = cell_records(rows)
        out = pd.DataFrame(
            {
                "locality": [r["locality"] for r in recs],
                "indicator": [labels.get(r["indicator"], r["indicator"]) for r in recs],
                "count": [r["count"] for r in recs],
                "published": [r["count_text"] for r in recs],
                "share_percent": [r["share"] * 100 if r["share"] == r["share"] else math.nan for r in recs],
                "rank": [r["rank_text"] for r in recs],
            }
        )  # fmt: skip
    out.attrs["caption"] = [f"Figures shown on the map ({level} level)."]
    return out


def _indicator_id(table: pd.DataFrame, indicator: str) -> str:
    from localitymap.inputs.indicators import Indicator

    inds = [
        Indicator(i, str(lab))
        for i, lab in dict(zip(table["indicator"], table["label"], strict=False)).items()
    ]
    return find_indicator(inds, indicator).id


def render_funnel(
    table: pd.DataFrame, data: IndicatorData, population: pd.DataFrame, indicator: str, *,
    level: Literal["locality", "ward"] = "locality", fmt: str = "png", dpi: int = 200,
    ward_values: pd.DataFrame | None = None, status: str = "",
) -> bytes:  # fmt: skip
    """A funnel plot of one indicator as PNG/SVG/PDF bytes. ``table`` must carry rates.

    >>> from localitymap.exercise import Exercise
    >>> ex = Exercise(scheme="icn6", period="2019-02")
    >>> render_funnel(ex.table(rates=True), ex.data, ex.population, "cp_plans", fmt="svg")[:5]
    b'<?xml'
    """
    from localitymap.errors import InputError
    from localitymap.renderers.charts import draw_funnel
    from localitymap.renderers.maps import period_label, save
    from localitymap.statistics.funnel import LABEL_ALL_UP_TO, funnel_method, funnel_points
    from localitymap.statistics.methods import funnel_limits
    from localitymap.statistics.rates import band_words

    if "rate" not in table.columns:
        raise InputError(
            "a funnel plot needs rates", hint="add them with localitymap.statistics.rates.add_rates"
        )
    points, borough_rate, band, per = funnel_points(
        table, data, population, indicator, level, ward_values=ward_values
    )
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
    if level == "ward":
        areas = int((data.values["indicator"] == ind.id).sum())
    else:
        from localitymap.model.rollup import UNASSIGNED

        body = (table["indicator"] == ind.id) & ~table["is_total"]
        areas = int((body & table["locality"].ne(UNASSIGNED)).sum())
    if areas > len(points):  # a hidden count has no point: say so, or the plot looks complete
        named += f" {areas - len(points)} {level}(s) with a suppressed count are not shown."
    fig = draw_funnel(
        points, borough_rate, limits, grid,
        title=f"{ind.label}: {what} by {level}{', ' + period if period else ''}",
        subtitle=f"{table.attrs.get('scheme_name', '')}. {funnel_method(proportion)}, around the "
        f"borough {what}." + named,
        x_label=f"Population ({band_words(band)})",
        y_label="Percent" if proportion else f"Rate per {per:,.0f}",
        footer=footer_lines_plain(table, status), illustrative=bool(table.attrs.get("illustrative")),
        label_all=label_all,
    )  # fmt: skip
    return save(fig, fmt, dpi=dpi)
