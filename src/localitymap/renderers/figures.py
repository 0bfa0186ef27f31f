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

from typing import TYPE_CHECKING, Literal

from localitymap.inputs.indicators import find_indicator
from localitymap.inputs.wards import normalise_name

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.inputs.indicators import IndicatorData
    from localitymap.inputs.schemes import Scheme
    from localitymap.model.geo import Boundaries


def footer_lines_plain(table: pd.DataFrame) -> list[str]:
    """Source lines every chart carries: scheme, data, population, boundaries."""
    from localitymap.renderers.maps import period_label

    a = table.attrs
    status = " (illustrative)" if a.get("illustrative") else ""
    period = period_label(str(a.get("period") or "")) or "period not stated"
    line = (
        f"Scheme: {a.get('scheme_name')} ({a.get('scheme')}). Data: {period}{status}, "
        f"{'; '.join(a.get('sources', []))}. Boundaries: {a.get('boundaries')}."
    )
    if a.get("population_source"):
        line += f" Population: {a['population_source']} (ONS, Open Government Licence)."
    if a.get("disclosure_policy", "none") != "none":
        line += f" Disclosure control: {a['disclosure_policy']}."
    return [line + " Made with localitymap."]


def footer_lines(table: pd.DataFrame, boundaries: Boundaries) -> list[str]:
    """Source lines every map carries: those of every chart, and the boundary attribution."""
    return [*footer_lines_plain(table), boundaries.attribution]


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
) -> bytes:
    """A map of one indicator (``"all"``: every indicator's share on one A4 page) as file bytes."""
    from localitymap.model.geo import locality_layer, ward_layer
    from localitymap.renderers.maps import draw_map, draw_small_multiples, period_label, save

    localities = locality_layer(table, scheme, boundaries)
    # Ward values are needed only to colour wards; otherwise the outlines suffice.
    wards = (
        ward_layer(table, data.values, scheme, boundaries) if level == "ward" else boundaries.frame
    )
    period = period_label(str(table.attrs.get("period") or ""))
    footer = footer_lines(table, boundaries)
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
