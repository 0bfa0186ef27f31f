"""Locality profiles as content: one section per locality with its wards (and a small map naming
them), population by age band, every indicator's count, share, rate with its confidence interval
and comparison with the rest of the borough, the change since the last period, the borough's
published benchmarks, and the plain-language findings that concern it. The document model is the
report's (:mod:`localitymap.publication.report`); :mod:`localitymap.renderers.profiles` writes
it as DOCX or HTML, a page per locality.

Every figure comes from the public rollups (disclosure-controlled); population figures are the
published ONS estimates.

>>> from localitymap import read_indicators, rollup, load_scheme
>>> from localitymap.publication.disclosure import protect, public_table
>>> from localitymap.statistics.rates import add_rates, read_population
>>> data, scheme, pop = read_indicators(period="2020-02"), load_scheme("icn6"), read_population()
>>> t = rollup(data, scheme)
>>> table = add_rates(public_table(t, protect(t, "threshold5", data=data, scheme=scheme)),
...                   data, scheme, pop)
>>> doc = build_profiles(table, data, scheme, pop)
>>> [s.title for s in doc.sections][:2]
['North West', 'North East']
>>> rows = {r[0].text: r for r in doc.sections[0].blocks[2].rows}
>>> [c.text for c in rows["Child protection plans"][:4]]
['Child protection plans', '59', '15.1%', '44.7']
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from localitymap.publication.report import Cell, Document, Figure, Paragraph, Section, Table
from localitymap.publication.tables import cell_records

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.exercise import Exercise
    from localitymap.inputs.indicators import IndicatorData
    from localitymap.inputs.schemes import Scheme

BANDS = {
    "persons_0_15": "Aged 0–15",
    "persons_16_29": "Aged 16–29",
    "persons_30_44": "Aged 30–44",
    "persons_45_64": "Aged 45–64",
    "persons_65_plus": "Aged 65 and over",
    "persons_all_ages": "All ages",
}
VS_REST = {"higher": "Higher", "lower": "Lower", "similar": "Similar"}


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _order(scheme: Scheme, table: pd.DataFrame) -> list[str]:
    """Localities in the order a reader expects: as the rollup lists them."""
    seen = list(dict.fromkeys(table.loc[~table["is_total"], "locality"]))
    return [loc for loc in seen if loc in scheme.localities]


def locality_findings(sentences: list[str], localities: list[str]) -> dict[str, list[str]]:
    """Each finding under every locality it names (longer names first, so "South East" is not
    read as "South")."""
    names = sorted(localities, key=len, reverse=True)
    out: dict[str, list[str]] = {loc: [] for loc in localities}
    for sentence in sentences:
        rest = sentence
        for name in names:
            pattern = rf"(?<![\w-]){re.escape(name)}(?![\w-])"
            if re.search(pattern, rest):
                out[name].append(sentence)
                rest = re.sub(pattern, " ", rest)
    return out


def _rate_text(r: dict[str, Any], symbol: str) -> tuple[Cell, Cell, Cell]:
    if r.get("disclosure") == "suppressed":
        return Cell(symbol), Cell(symbol), Cell(symbol)
    rate = r.get("rate")
    if _missing(rate):
        low, high = r.get("rate_low"), r.get("rate_high")
        text = (
            ""
            if _missing(low)
            else (f"{low:.1f}–{high:.1f}" if not _missing(high) else f"≥{low:.1f}")
        )
        return Cell(text or ".."), Cell(".."), Cell(str(r.get("vs_rest_95") or "..").capitalize())
    pct = "%" if r.get("measure") == "%" else ""
    ci = (
        f"{r['lcl_95']:,.1f}{pct} to {r['ucl_95']:,.1f}{pct}"
        if not _missing(r.get("lcl_95"))
        else ".."
    )
    vs = VS_REST.get(str(r.get("vs_rest_95")), str(r.get("vs_rest_95") or "..").capitalize())
    return Cell(f"{rate:,.1f}{pct}", float(rate), "rate"), Cell(ci), Cell(vs)


def _change(now: dict[str, Any], before: dict[str, Any] | None, symbol: str) -> Cell:
    if before is None:
        return Cell("..")
    if now.get("disclosure") == "suppressed" or before.get("disclosure") == "suppressed":
        return Cell(symbol)
    if now["count_low"] != now["count_high"] or before["count_low"] != before["count_high"]:
        return Cell("..")
    diff = float(now["count_low"] - before["count_low"])
    return Cell(f"{diff:+,.0f}" if diff else "0", diff, "count")


def build_profiles(
    table: pd.DataFrame,
    data: IndicatorData,
    scheme: Scheme,
    population: pd.DataFrame | None = None,
    draw_map: Callable[[str, str], bytes] | None = None,
    *,
    previous: pd.DataFrame | None = None,
    benchmarks: pd.DataFrame | None = None,
    title: str | None = None,
) -> Document:
    """One section per locality for a public rollup ``table`` with rates; ``previous`` is the
    public rollup of the period before (for the change), ``benchmarks`` the borough's published
    context (:func:`localitymap.statistics.benchmark.benchmark`); ``draw_map(locality, fmt)`` draws a
    locality's map (drawing is the renderers' business:
    :func:`localitymap.renderers.profiles.map_drawer` makes one)."""
    from localitymap.publication.cells import period_label
    from localitymap.publication.disclosure import statement
    from localitymap.publication.findings import findings

    a = table.attrs
    symbol = str(a.get("disclosure_symbol", ""))
    policy = str(a.get("disclosure_policy", "") or "none")
    public = policy != "none"
    period = period_label(str(a.get("period") or ""))
    before_label = (
        period_label(str(previous.attrs.get("period") or "")) if previous is not None else ""
    )
    authority = str(a.get("authority_name") or a.get("authority", "")).split(" (")[0]
    localities = _order(scheme, table)
    recs = cell_records(table)
    before = (
        {(r["indicator"], r["locality"]): r for r in cell_records(previous)}
        if previous is not None
        else {}
    )
    said = locality_findings(findings(table), localities)
    reg = data.register
    sections = []
    for n, loc in enumerate(localities, start=1):
        codes = list(scheme.localities[loc])
        names = [reg.name_of(c) for c in codes]
        blocks: list[Any] = [
            Paragraph(
                f"{loc} is made up of {len(codes)} ward{'s' if len(codes) != 1 else ''}: {', '.join(names)}."
            )
        ]
        if draw_map is not None:
            blocks.append(_map(loc, names, codes, draw_map, n, authority))
        if population is not None:
            blocks.append(_population(loc, codes, population, n))
        blocks.append(_indicators(loc, recs, before, symbol, period, before_label, a, n))
        loc_said = said.get(loc, [])
        blocks += [Paragraph(s, "bullet") for s in loc_said] or [
            Paragraph(f"No borough-wide finding names {loc}.")
        ]
        if benchmarks is not None and len(benchmarks):
            blocks.append(_context(loc, recs, benchmarks, authority, n))
        sections.append(Section(loc, blocks))
    notes = _notes(table, scheme, previous, benchmarks, statement(policy), a)
    sections.append(
        Section("Data sources, methods and notes", [Paragraph(x, "bullet") for x in notes])
    )
    from localitymap.publication.disclosure import publication_status

    status = publication_status(policy)
    warning = (
        "ILLUSTRATIVE DATA: the figures in these profiles are invented for demonstration and are "
        "not real children's-services data. Do not quote them. Population and published "
        "benchmarks are real."
        if a.get("illustrative")
        else ""
    )
    return Document(
        title or f"Locality profiles: {authority}",
        f"{a.get('scheme_name')}, {period}",
        status, warning, sections, notes, public, symbol,
    )  # fmt: skip


def _map(
    loc: str, names: list[str], codes: list[str], draw_map: Callable[[str, str], bytes], n: int,
    authority: str,
) -> Figure:  # fmt: skip
    alt = (
        f"Map of {authority} with the {len(codes)} wards of {loc} shaded and named: "
        f"{', '.join(names)}. Other localities' boundaries are outlined."
    )
    return Figure(f"Figure {n}: the wards of {loc}", alt, lambda fmt: draw_map(loc, fmt))


def _population(loc: str, codes: list[str], population: pd.DataFrame, n: int) -> Table:
    rows = []
    present = [b for b in BANDS if b in population.columns]
    in_loc = population.loc[[c for c in codes if c in population.index]]
    loc_all = float(in_loc["persons_all_ages"].sum()) if "persons_all_ages" in present else None
    for band in present:
        here, borough = float(in_loc[band].sum()), float(population[band].sum())
        of_loc = f"{here / loc_all:.0%}" if loc_all else ".."
        rows.append([
            Cell(BANDS[band]), Cell(f"{here:,.0f}", here, "count"),
            Cell(of_loc, here / loc_all if loc_all else None, "share"),
            Cell(f"{borough:,.0f}", borough, "count"),
            Cell(f"{here / borough:.0%}", here / borough, "share"),
        ])  # fmt: skip
    return Table(
        f"Table {n}.1: Population of {loc} by age band",
        ["Age band", loc, f"Share of {loc}", "Borough", f"{loc}'s share of borough"],
        rows,
        f"Population {n}"[:31],
        notes=[f"ONS mid-year estimates ({Path(str(population.attrs.get('source', ''))).name})."],
    )


def _indicators(
    loc: str, recs: list[dict[str, Any]], before: dict[tuple[str, str], dict[str, Any]],
    symbol: str, period: str, before_label: str, attrs: dict[str, Any], n: int,
) -> Table:  # fmt: skip
    rows = []
    for r in recs:
        if r["locality"] != loc:
            continue
        rate, ci, vs = _rate_text(r, symbol)
        count = Cell(
            r["count_text"],
            float(r["count_low"])
            if r["count_low"] == r["count_high"] and r.get("disclosure") != "suppressed"
            else None,
            "count",
        )
        share = Cell(
            r["share_text"],
            float(r["share"])
            if not _missing(r.get("share")) and r.get("disclosure") != "suppressed"
            else None,
            "share",
        )
        rows.append([
            Cell(r["label"]), count, share, rate, ci, vs,
            _change(r, before.get((r["indicator"], loc)), symbol),
        ])  # fmt: skip
    change_head = f"Change in count since {before_label}" if before_label else "Change in count"
    return Table(
        f"Table {n}.2: {loc}: every indicator, {period}",
        [
            "Indicator",
            "Count",
            "Share of borough",
            "Rate per 10,000",
            "95% CI",
            "Compared with rest of borough",
            change_head,
        ],
        rows,
        f"Indicators {n}"[:31],
        notes=[
            "Rate per 10,000 in the indicator's population band (or % where marked); 95% confidence interval "
            "(Byar's method, Wilson for percentages). Compared with the rest of the borough: exact "
            "test at the 95% level.",
        ],
        wide=True,
    )


def _context(
    loc: str, recs: list[dict[str, Any]], bench: pd.DataFrame, authority: str, n: int
) -> Table:
    local = {r["indicator"]: r for r in recs if r["locality"] == loc}
    borough = {r["indicator"]: r for r in recs if r["is_total"]}
    region = str(bench["region_name"].iloc[0]) or "Region"
    authority = str(bench["authority"].iloc[0]) or authority  # whose figures these are
    rows = []
    for b in bench.to_dict("records"):
        ind = b["indicator"]
        if not ind or ind not in local:
            continue
        lr, br = local[ind], borough.get(ind, {})
        lrate = lr.get("rate")
        brate = br.get("rate")
        rows.append([
            Cell(str(b["label"])),
            Cell(f"{lrate:,.1f}" if not _missing(lrate) and lr.get("disclosure") != "suppressed" else ".."),
            Cell(f"{brate:,.1f}" if not _missing(brate) else ".."),
            Cell(f"{b['value']} ({b['year']})"), Cell(str(b["england"])), Cell(str(b["region"])),
            Cell(str(b["neighbours_average"])), Cell(str(b["band"] or "n/a")),
        ])  # fmt: skip
    return Table(
        f"Table {n}.3: {loc} beside the borough and {authority}'s published figures",
        [
            "Indicator",
            f"{loc} rate",
            "Borough rate",
            f"{authority} published (year)",
            "England",
            region,
            "Neighbours' average",
            "Quartile band",
        ],
        rows,
        f"Context {n}"[:31],
        notes=[
            "Locality and borough rates come from the locality exercise's own counts; published "
            "figures are DfE's, on their own definitions and dates (see the notes), so compare "
            "scales, not values.",
        ],
        wide=True,
    )


def _notes(
    table: pd.DataFrame, scheme: Scheme, previous: pd.DataFrame | None,
    benchmarks: pd.DataFrame | None, disclosure: str, a: dict[str, Any],
) -> list[str]:  # fmt: skip
    from localitymap.publication.cells import LEGEND
    from localitymap.statistics.rates import population_credit

    notes = []
    if a.get("illustrative"):
        notes.append(
            "The indicator figures are ILLUSTRATIVE: invented for demonstration. They are not "
            "real children's-services data."
        )
    notes.append(f"Localities: {scheme.name}; each ward's whole count is assigned to its locality.")
    if a.get("population_source"):
        notes.append(f"Population: {population_credit(a)}.")
    if previous is not None:
        notes.append(
            f"Change since the previous period ({previous.attrs.get('period')}): the difference "
            "in published counts; shown as the suppression symbol where either count is hidden."
        )
    if benchmarks is not None and len(benchmarks):
        from localitymap.publication.context import notes as context_notes

        notes += [x for x in context_notes(benchmarks) if x]
    notes.append(disclosure)
    notes.append(LEGEND)
    return notes


def exercise_profiles(
    ex: Exercise,
    *,
    benchmarks: pd.DataFrame | None = None,
    draw_map: Callable[[str, str], bytes] | None = None,
    title: str | None = None,
) -> Document:
    """The profiles of an exercise: its publishable table with rates, the period before it (the
    exercise file's ``previous_period``, else the one before in the data) for the change, its
    population and boundaries."""
    before = ex.previous_period()
    previous = ex.at_period(before).table(rates=True) if before else None
    return build_profiles(
        ex.table(rates=True), ex.data, ex.scheme, ex.population, draw_map,
        previous=previous, benchmarks=benchmarks, title=title,
    )  # fmt: skip
