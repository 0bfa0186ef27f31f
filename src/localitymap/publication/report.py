"""A scrutiny-committee report as content: title, status, sections of paragraphs, tables and
figures. The writers in :mod:`localitymap.renderers.documents` turn one :class:`Document` into
DOCX, HTML or XLSX, so every format says the same thing.

Everything in the report comes from a *public* rollup
(:func:`localitymap.publication.disclosure.public_table`) and the published ward figures, so no hidden count
reaches a table, a map, a rate or a sentence.

>>> from localitymap import read_indicators, rollup, load_scheme
>>> from localitymap.publication.disclosure import protect, public_table, public_wards
>>> data, scheme = read_indicators(period="2019-02"), load_scheme("icn6")
>>> t = rollup(data, scheme)
>>> p = protect(t, "threshold5", data=data, scheme=scheme)
>>> doc = build_report(public_table(t, p), data, scheme, p)
>>> [s.title for s in doc.sections][:3]
['Summary', 'Demand by locality', 'Ward figures']
>>> doc.tables()[0].rows[2][3].text  # child protection plans, Central West
'113'
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from localitymap import __version__
from localitymap.model.rollup import public_name
from localitymap.publication.cells import (
    abbreviations_in,
    band_label,
    format_count,
    format_share,
)
from localitymap.publication.tables import cell_records, grid

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.inputs.indicators import IndicatorData
    from localitymap.inputs.schemes import Scheme
    from localitymap.model.geo import Boundaries
    from localitymap.publication.disclosure import Protection

CellKind = Literal["text", "count", "share", "rate", "rank"]
MARKS = {"higher": "▲", "lower": "▼"}


@dataclass(frozen=True)
class Cell:
    """One table cell: the text every format shows, and the number behind it (None where the
    figure is hidden, a range or not a number) for spreadsheets."""

    text: str
    value: float | None = None
    kind: CellKind = "text"
    # Spreadsheets give ranges and bounds their own columns: the lowest and highest value the
    # figure can take (None: unknown or hidden), and a rate's comparison with the rest of the
    # borough at 95% and 99.8% ("higher", "lower", "similar", "uncertain" or "").
    low: float | None = None
    high: float | None = None
    vs_95: str = ""
    vs_998: str = ""
    hidden: bool = False


@dataclass
class Table:
    """A captioned table with one header row; the first column names the rows."""

    caption: str
    header: list[str]
    rows: list[list[Cell]]
    sheet: str
    notes: list[str] = field(default_factory=list)
    wide: bool = False  # print it on a landscape page
    # In a spreadsheet a grid of one measure becomes a long table: the row label(s), then
    # ``across`` (the column headers' dimension) and the measure with its low/high columns.
    across: str = ""
    measure: str = ""
    label_columns: int = 1
    # The column headers in full where ``header`` uses short labels (spreadsheets use these).
    full_header: list[str] = field(default_factory=list)
    # Column groups for documents: (title, header indexes) printed as separate tables, each with
    # the row-label columns, so a wide annex stays readable on a page.
    groups: list[tuple[str, list[int]]] = field(default_factory=list)
    # Notes on how the document lays the table out: not for a spreadsheet's long table.
    layout_notes: list[str] = field(default_factory=list)


@dataclass
class Figure:
    """An image with alt text; ``make(fmt)`` draws it as png or svg bytes (once per format)."""

    caption: str
    alt: str
    make: Callable[[str], bytes]
    _cache: dict[str, bytes] = field(default_factory=dict, repr=False)

    def image(self, fmt: str) -> bytes:
        """The figure as ``png`` or ``svg`` bytes."""
        if fmt not in self._cache:
            self._cache[fmt] = self.make(fmt)
        return self._cache[fmt]


@dataclass
class Paragraph:
    text: str
    style: Literal["body", "warning", "bullet"] = "body"


Block = Paragraph | Table | Figure


@dataclass
class Section:
    title: str
    blocks: list[Block]


@dataclass
class Document:
    """A report: ``title``, ``subtitle``, a ``status`` line (general release or not), the
    illustrative-data ``warning`` (or ""), sections, and ``notes`` (numbered, for the Notes sheet
    and the methods section)."""

    title: str
    subtitle: str
    status: str
    warning: str
    sections: list[Section]
    notes: list[str]
    public: bool
    symbol: str
    # Cover-sheet facts (guidance on releasing statistics in spreadsheets): period, source,
    # publication date and contact; "" when not known.
    about: dict[str, str] = field(default_factory=dict)
    abbreviations: list[tuple[str, str]] = field(default_factory=list)

    def tables(self) -> list[Table]:
        """Every table, in order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        """Every figure, in order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]


def build_report(
    table: pd.DataFrame,
    data: IndicatorData,
    scheme: Scheme,
    protection: Protection | None,
    boundaries: Boundaries | None = None,
    *,
    title: str | None = None,
    draw_map: Callable[[str, str], bytes] | None = None,
    contact: str | None = None,
    publication_date: str | None = None,
) -> Document:
    """The report for a public rollup ``table`` (rates optional) and the ``protection`` that made
    it (None: no disclosure control, internal use). Maps need ``draw_map(indicator, fmt)``,
    which draws one indicator's locality map from the same public table (the exercise passes
    it: drawing is the renderers' business); ``boundaries`` give the attribution note.
    ``contact`` and ``publication_date`` go on the cover; they default to the exercise file's
    ``[publication]`` table (the table's ``publication`` attribute)."""
    from localitymap.model.rollup import leaders
    from localitymap.publication.cells import period_label
    from localitymap.publication.disclosure import public_wards, publication_status, statement
    from localitymap.publication.findings import findings

    a = table.attrs
    symbol = protection.policy.symbol if protection else ""
    public = bool(protection and protection.policy.public)
    period = period_label(str(a.get("period") or ""))
    authority = str(a.get("authority_name") or a.get("authority", "")).split(" (")[0]
    doc_title = title or f"Children's services demand by locality: {authority}"
    subtitle = f"{a.get('scheme_name')}" + (f", {period}" if period else "")
    status = publication_status(protection.policy if protection else "none")
    warning = (
        "ILLUSTRATIVE DATA: the figures in this report are invented for demonstration and are "
        "not real children's-services data. Do not quote them."
        if a.get("illustrative")
        else ""
    )
    counter = iter(range(1, 1000))
    figure_no = iter(range(1, 1000))

    def tab(caption: str, **kw: Any) -> Table:
        return Table(caption=f"Table {next(counter)}: {caption}", **kw)

    summary: list[Block] = [Paragraph(s) for s in findings(table)]
    hidden = _hidden_note(table, symbol)
    if hidden:
        summary.append(Paragraph(hidden))

    demand: list[Block] = []
    if draw_map is not None:
        for ind in a.get("headline", [])[:2] or list(dict.fromkeys(table["indicator"]))[:1]:
            demand.append(_map_figure(table, ind, next(figure_no), draw_map))
    when = f", {period}" if period else ""
    short = {i.id: i.short for i in data.indicators}
    demand.append(tab(f"Count by locality{when}", **_down(_counts(table), table, short)))
    demand.append(
        tab("Share of the borough total by locality", **_down(_shares(table), table, short))
    )
    demand.append(tab("Rank by locality (1 = highest count)", **_down(_ranks(table), table, short)))
    demand.append(tab("Highest and second-highest locality", **_leaders(leaders(table), table)))
    sections = [Section("Summary", summary), Section("Demand by locality", demand)]
    if "rate" in table.columns and table["rate_low"].notna().any():
        rates = tab("Rate by locality", **_down(_rates(table), table, short))
        sections.append(Section("Rates per child", [rates]))
        published_context = _published_context(table, data)  # the borough beside DfE's figures
        if published_context is not None:
            block = tab("The borough beside its published figures, England and its neighbours",
                        **published_context)  # fmt: skip
            sections.append(Section("Published benchmarks", [block]))
    elif a.get("rates_unavailable") or "rate" in table.columns:
        why = a.get("rates_unavailable") or (
            "Rates per child could not be worked out: no indicator has a population "
            "denominator (name one in the catalogue or the exercise file)."
        )
        sections.append(Section("Rates per child", [Paragraph(str(why))]))
    published = protection is not None and protection.wards_published
    wards = public_wards(protection, data) if protection is not None and published else None
    if wards is not None or protection is None:
        sections.append(
            Section(
                "Ward figures",
                [tab(f"Count by ward{when}", **_wards(table, data, scheme, wards))],
            )
        )
    sections.append(Section("Localities", [tab("Wards in each locality", **_scheme(scheme, data))]))

    notes = _notes(table, data, scheme, protection, boundaries, statement)
    sections.append(
        # Numbered as the workbook's Notes sheet numbers them, so a reader can cite either.
        Section(
            "Data sources, methods and notes",
            [Paragraph(f"[note {k}] {n}", "bullet") for k, n in enumerate(notes, start=1)],
        )
    )
    about = cover_facts(a, contact=contact, publication_date=publication_date)
    about.update(period=period, authority=authority)
    labels = [str(x) for x in dict.fromkeys(table["label"])]
    glossary = abbreviations_in([doc_title, *labels])
    if glossary:
        summary.insert(0, Paragraph(abbreviation_sentence(glossary)))
    _last_grid[:] = [None, None]  # hold no table once the report is built
    return Document(
        doc_title, subtitle, status, warning, sections, notes, public, symbol, about, glossary
    )


def cover_facts(
    attrs: dict[str, Any], *, contact: str | None = None, publication_date: str | None = None
) -> dict[str, str]:
    """Source, contact, publication date and author for a cover sheet: the arguments, else the
    exercise file's ``[publication]`` table (``attrs["publication"]``), else "".

    >>> cover_facts({"publication": {"contact": "data@example.gov.uk"}, "sources": ["a.csv"]})
    {'source': 'a.csv', 'contact': 'data@example.gov.uk', 'publication_date': '', 'author': ''}
    """
    pub = {k: str(v) for k, v in dict(attrs.get("publication") or {}).items() if v}
    files = "; ".join(map(str, attrs.get("sources", [])))
    return {
        "source": pub["source"] + (f" ({files})" if files else "") if "source" in pub else files,
        "contact": str(contact or pub.get("contact") or ""),
        "publication_date": str(publication_date or pub.get("publication_date") or ""),
        "author": pub.get("author", ""),
    }


def abbreviation_sentence(pairs: list[tuple[str, str]]) -> str:
    """One sentence spelling out each abbreviation once.

    >>> abbreviation_sentence([("EHC", "education, health and care")])
    'Abbreviations: EHC, education, health and care.'
    """
    return "Abbreviations: " + "; ".join(f"{k}, {v}" for k, v in pairs) + "."


def rollup_tables(table: pd.DataFrame) -> list[Table]:
    """The locality tables of a rollup as report tables (counts, shares, ranks, highest and,
    when the rollup has rates, rates): what ``rollup --format xlsx`` writes.

    >>> from localitymap import read_indicators, rollup
    >>> [t.sheet for t in rollup_tables(rollup(read_indicators(period="2019-02"), "icn6"))]
    ['Counts', 'Shares', 'Ranks', 'Highest']
    """
    from localitymap.model.rollup import leaders
    from localitymap.publication.cells import period_label

    period = period_label(str(table.attrs.get("period") or ""))
    parts = [
        (f"Count by locality, {period}", _down(_counts(table), table)),
        ("Share of the borough total by locality", _down(_shares(table), table)),
        ("Rank by locality (1 = highest count)", _down(_ranks(table), table)),
        ("Highest and second-highest locality", _leaders(leaders(table), table)),
    ]
    if "rate" in table.columns:
        parts.append(("Rate by locality", _down(_rates(table), table)))
    _last_grid[:] = [None, None]  # hold no table once the tables are built
    return [Table(caption=f"Table {k}: {c}", **kw) for k, (c, kw) in enumerate(parts, start=1)]


#: Localities a table runs across the page; with more, localities run down it instead (a
#: Word table holds at most 63 columns, and a page far fewer readable ones).
ACROSS_LIMIT = 10


def _down(
    parts: dict[str, Any], table: pd.DataFrame, short: dict[str, str] | None = None
) -> dict[str, Any]:
    """A table of indicators down and localities across (``parts``), turned to localities down
    and indicators across when there are more than :data:`ACROSS_LIMIT` localities, in column
    groups of a few indicators each (as the ward annex), with a note that says so.

    Indicators are headed by their ``short`` labels (by id) where given, and named in full in
    the spreadsheet."""
    header, rows = parts["header"], parts["rows"]
    localities = [h for h in header[1:] if h != "Borough total"]
    if len(localities) <= ACROSS_LIMIT:
        return parts
    by_label = dict(zip(table["label"], table["indicator"], strict=False))
    domains = dict(zip(table["indicator"], table["domain"], strict=False))
    units = [r[0].text for r in rows]  # "Label" or, for rates, "Label (per 10,000 aged 0-15)"

    def label_of(text: str) -> str:  # the longest label the row's text starts with
        fits = [lab for lab in by_label if text == lab or text.startswith(f"{lab} (")]
        return max(fits, key=len, default=text)

    # Rows come in the table's indicator order; a row's text that does not start with its
    # label there (never, as the tables are built) is matched by search.
    order = list(dict.fromkeys(table["label"]))
    labels = [
        order[k]
        if k < len(order) and (u == order[k] or u.startswith(f"{order[k]} ("))
        else label_of(u)
        for k, u in enumerate(units)
    ]
    ids = [by_label.get(lab, "") for lab in labels]
    names = [str((short or {}).get(i) or lab) for i, lab in zip(ids, labels, strict=True)]
    # A rate's unit ("per 10,000 aged 0-15", "% of those aged 0-15") stays in its heading.
    names = [
        f"{name}{u[len(lab) :]}" if u.startswith(f"{lab} (") else name
        for name, u, lab in zip(names, units, labels, strict=True)
    ]
    out = dict(parts)
    # A region's localities say which authority they are in (a few are drawn across two).
    lead = ["Locality"]
    authority: dict[str, str] = {}
    if "authority" in table.columns:
        lead.append("Authority")
        authority = {
            str(loc): str(a)[:1].upper() + str(a)[1:]
            for loc, a in zip(table["locality"], table["authority"], strict=True)
        }
    out["header"] = [*lead, *names]
    out["full_header"] = [*lead, *units]
    out["rows"] = [
        [Cell(loc), *([Cell(authority.get(loc, ""))] if authority else []), *(r[k] for r in rows)]
        for k, loc in enumerate(header[1:], start=1)
    ]
    out["label_columns"] = len(lead)
    out["across"] = "Indicator"
    out["wide"] = True
    out["groups"] = column_groups([str(domains.get(i, "")) for i in ids], first=len(lead))
    out["layout_notes"] = [
        f"With {len(localities):,} localities, this table runs down the page by locality "
        "rather than across it"
        + (", with the indicators in parts of a few at a time." if len(out["groups"]) > 1 else ".")
    ]
    return out


def _published_context(table: pd.DataFrame, data: IndicatorData) -> dict[str, Any] | None:
    """The authority's published benchmarks beside the borough's rates, or None where the
    benchmark data does not cover the authority (see :mod:`localitymap.publication.context`)."""
    from localitymap.inputs.benchmarks import load_benchmarks
    from localitymap.publication.context import report_table_parts
    from localitymap.statistics.benchmark import authority_context

    a, reg = table.attrs, data.register
    if len(reg.authorities) > 1:  # one authority's published figures say nothing of a region
        return None
    names = [a.get("authority_name"), reg.lad_code, reg.lad_name]
    bench, _ = authority_context(load_benchmarks(), names, data.indicators)
    if bench is None or bench.empty:  # no indicator has a published measure
        return None
    return report_table_parts(table, bench)


def _hidden_note(table: pd.DataFrame, symbol: str) -> str:
    if "disclosure" not in table.columns:
        return ""
    n = int((table["disclosure"] == "suppressed").sum())
    if not n:
        return ""
    return (
        f"{n} locality or borough figure(s) are shown as {symbol}: they are suppressed to protect "
        "children's privacy (see the notes), and findings, shares, ranks and rates leave them out."
    )


def _map_figure(
    table: pd.DataFrame, ind: str, n: int, draw_map: Callable[[str, str], bytes]
) -> Figure:
    grp = table[(table["indicator"] == ind) & ~table["is_total"]]
    label = str(grp["label"].iloc[0])
    parts = [
        f"{r['locality']} {'suppressed' if r.get('disclosure') == 'suppressed' else _count_cell(r).text}"
        for r in cell_records(grp)
    ]
    alt = (
        f"Map of {table.attrs.get('scheme_name')} localities shaded by the number of "
        f"{label.lower()}: " + "; ".join(parts) + "."
    )

    return Figure(f"Figure {n}: {label} by locality", alt, lambda fmt: draw_map(ind, fmt))


def _count_cell(rec: dict[str, Any]) -> Cell:
    """A count as the other outputs show it (the policy's symbol where hidden), with the number
    behind it where it is exact."""
    hidden = rec.get("disclosure") == "suppressed"
    value = float(rec["count_low"]) if rec["exact"] and not hidden else None
    return Cell(
        rec["count_text"],
        value,
        "count" if value is not None else "text",
        low=None if hidden else _number(rec["count_low"]),
        high=None if hidden else _number(rec["count_high"]),
        hidden=hidden,
    )


def _number(x: object) -> float | None:
    return None if _missing(x) else float(x)  # type: ignore[arg-type]


#: The last table's grid: counts, shares, ranks and rates tables read the same records, and
#: formatting them is a pass over the whole rollup (tens of thousands of rows nationally).
_last_grid: list[Any] = [None, None]


def _grid(table: pd.DataFrame) -> tuple[list[str], dict[str, list[dict[str, Any]]]]:
    """Localities in order, and each indicator's records with their display texts
    (:func:`~localitymap.publication.tables.cell_records`, so the report reads like every other output)."""
    if _last_grid[0] is table:
        return _last_grid[1]  # type: ignore[no-any-return]
    localities, rows = grid(cell_records(table))
    result = localities, {label: list(cells.values()) for label, cells in rows.items()}
    _last_grid[:] = [table, result]
    return result


def _counts(table: pd.DataFrame) -> dict[str, Any]:
    locs, rows = _grid(table)
    body = [[Cell(label), *(_count_cell(r) for r in recs)] for label, recs in rows.items()]
    return {
        "header": ["Indicator", *locs],
        "rows": body,
        "sheet": "Counts",
        "across": "Locality",
        "measure": "Count",
    }


def _per_locality(
    table: pd.DataFrame, cell_of: Callable[[dict[str, Any]], Cell]
) -> tuple[list[str], list[list[Cell]]]:
    """Indicators down, localities (no total) across; hidden cells as the policy's symbol and
    the others from ``cell_of(record)``."""
    locs, rows = _grid(table)
    body = []
    for label, recs in rows.items():
        body.append(
            [Cell(label)]
            + [
                Cell(r["count_text"], hidden=True)
                if r.get("disclosure") == "suppressed"
                else cell_of(r)
                for r in recs
                if not r["is_total"]
            ]
        )
    return ["Indicator", *(loc for loc in locs if loc != "Borough total")], body


def _shares(table: pd.DataFrame) -> dict[str, Any]:
    def cell(r: dict[str, Any]) -> Cell:
        exact = r["share_low"] == r["share_high"] and not _missing(r["share_low"])
        return Cell(
            r["share_text"],
            float(r["share_low"]) if exact else None,
            "share",
            low=_number(r["share_low"]),
            high=_number(r["share_high"]),
        )

    header, body = _per_locality(table, cell)
    return {
        "header": header,
        "rows": body,
        "sheet": "Shares",
        "across": "Locality",
        "measure": "Share of borough total",
        "notes": [
            "Share of the borough total; a–b: a range, where suppressed figures leave it open."
        ],
    }


def _ranks(table: pd.DataFrame) -> dict[str, Any]:
    def cell(r: dict[str, Any]) -> Cell:
        # A number where the rank is certain, tied ("2=", the spreadsheet saying "tied") or not;
        # a range of ranks ("2–4") is text, its ends in the bounds.
        plain = r["rank_text"].rstrip("=").isdigit()
        return Cell(
            r["rank_text"],
            int(r["rank"]) if plain else None,
            "rank" if plain else "text",
            low=_number(r["rank_best"]),
            high=_number(r["rank_worst"]),
        )

    header, body = _per_locality(table, cell)
    return {
        "header": header,
        "rows": body,
        "sheet": "Ranks",
        "across": "Locality",
        "measure": "Rank",
        "notes": ["1 = highest count; '=' marks a tie; a–b: the ranks suppressed figures allow."],
    }


def _missing(x: object) -> bool:
    return x is None or str(x) == "<NA>" or (isinstance(x, float) and math.isnan(x))


def _leaders(ld: pd.DataFrame, table: pd.DataFrame | None = None) -> dict[str, Any]:
    """The leaders table; a share that is only a range (suppressed wards leave the total open)
    is given as that range from ``table``, as the shares table gives it."""
    bounds: dict[tuple[str, str], tuple[float, float]] = {}
    if table is not None:
        body = table[~table["is_total"]]
        bounds = {
            (i, loc): (lo, hi)
            for i, loc, lo, hi in zip(body["indicator"], body["locality"], body["share_low"],
                                      body["share_high"], strict=True)
        }  # fmt: skip

    def share(r: dict[str, Any], place: str) -> Cell:
        first = str(r[place]).split(" = ")[0]
        return _share_cell(r[f"{place}_share"], bounds.get((r["indicator"], first)))

    rows = []
    for r in ld.to_dict("records"):
        flag = "" if r["certain"] else " (order uncertain)"
        rows.append(
            [
                Cell(str(r["label"])),
                Cell(str(r["highest"]) + flag),
                share(r, "highest"),
                Cell(str(r["second"])),
                share(r, "second"),
            ]
        )
    return {
        "header": ["Indicator", "Highest", "Share (highest)", "Second", "Share (second)"],
        "rows": rows,
        "sheet": "Highest",
    }


def _share_cell(x: float, bounds: tuple[float, float] | None = None) -> Cell:
    if _missing(x):
        low, high = bounds or (None, None)
        if _missing(low) or _missing(high):
            return Cell("not available")
        return Cell(format_share(low, high, 0), None, "share", low=float(low), high=float(high))
    return Cell(format_share(x, x, 0), float(x), "share")


def _rates(table: pd.DataFrame) -> dict[str, Any]:
    from localitymap.statistics.rates import population_credit

    symbol = str(table.attrs.get("disclosure_symbol", ""))
    locs, rows = _grid(table)
    body = []
    for label, recs in rows.items():
        cells = [Cell(f"{label} ({rate_unit(recs[0])})")]
        for r in recs:
            if r.get("disclosure") == "suppressed":
                cells.append(Cell(symbol, hidden=True))
                continue
            rate = r["rate"]
            low, high = _number(r["rate_low"]), _number(r["rate_high"])
            vs = {"vs_95": str(r["vs_rest_95"] or ""), "vs_998": str(r["vs_rest_998"] or "")}
            if _missing(rate):
                text = (
                    "not available"
                    if low is None
                    else (f"{low:,.1f}–{high:,.1f}" if high is not None else f"≥{low:,.1f}")
                )
                cells.append(Cell(text, low=low, high=high, **vs))
                continue
            mark = MARKS.get(vs["vs_95"], "")
            cells.append(
                Cell(
                    f"{rate:,.1f}{' ' + mark if mark else ''}",
                    float(rate),
                    "rate",
                    low=low,
                    high=high,
                    **vs,
                )
            )
        body.append(cells)
    per = table.attrs.get("rate_multiplier", 10_000)
    notes = [
        f"Rate per {per:,.0f} people in the indicator's population band (or % where marked); "
        f"population: {population_credit(table.attrs)}.",
        "▲ / ▼: significantly higher / lower than the rest of the borough at the 95% level "
        "(exact test of two Poisson rates; Fisher's exact test for percentages). No mark: not "
        "significantly different, or not testable.",
    ]
    return {
        "header": ["Indicator", *locs],
        "rows": body,
        "sheet": "Rates",
        "notes": notes,
        "across": "Locality",
        "measure": "Rate",
    }


def rate_unit(rec: dict[str, Any]) -> str:
    """What a rate row counts per: "per 10,000 aged 0–15", or "% of those aged 16–29".

    >>> rate_unit({"measure": "per 10,000", "denominator_band": "persons_0_15"})
    'per 10,000 aged 0–15'
    """
    band = band_label(str(rec.get("denominator_band") or ""))
    if rec.get("measure") == "%":
        return f"% of those {band}" if band.startswith("aged") else f"% of {band}"
    return f"{rec.get('measure')} {band}".strip()


def _wards(
    table: pd.DataFrame, data: IndicatorData, scheme: Scheme, wards: pd.DataFrame | None
) -> dict[str, Any]:
    inds = list(dict.fromkeys(table["indicator"]))
    labels = dict(zip(table["indicator"], table["label"], strict=False))
    if wards is None:  # no disclosure control: the ward figures as read
        v = data.values
        cells = zip(v["indicator"], v["ward_code"], v["low"], v["high"], strict=True)
        texts = {(i, c): format_count(lo, hi) for i, c, lo, hi in cells}
        nums = {
            (i, c): (float(lo) if lo == hi else None)
            for i, c, lo, hi in zip(
                v["indicator"], v["ward_code"], v["low"], v["high"], strict=True
            )
        }
    else:
        texts = dict(
            zip(
                zip(wards["indicator"], wards["ward_code"], strict=True), wards["text"], strict=True
            )
        )
        nums = {
            (i, c): (None if _missing(lo) or lo != hi else float(lo))
            for i, c, lo, hi in zip(
                wards["indicator"], wards["ward_code"], wards["low"], wards["high"], strict=True
            )
        }
    if wards is None:
        bounds = {
            (i, c): (_number(lo), _number(hi))
            for i, c, lo, hi in zip(
                data.values["indicator"], data.values["ward_code"], data.values["low"],
                data.values["high"], strict=True,
            )
        }  # fmt: skip
    else:
        bounds = {
            (i, c): (_number(lo), _number(hi))
            for i, c, lo, hi in zip(
                wards["indicator"], wards["ward_code"], wards["low"], wards["high"], strict=True
            )
        }
    symbol = str(table.attrs.get("disclosure_symbol", ""))
    reg = data.register
    rows = []
    for loc, codes in [*scheme.localities.items()]:
        for code in codes:
            cells = [Cell(reg.name_of(code)), Cell(loc)]
            for i in inds:
                text = texts.get((i, code), "")
                hidden = bool(symbol) and text == symbol
                low, high = bounds.get((i, code), (None, None))
                cells.append(
                    Cell(
                        text or "not available",
                        nums.get((i, code)),
                        "count",
                        low=None if hidden else low,
                        high=None if hidden else high,
                        hidden=hidden,
                    )
                )
            rows.append(cells)
    domains = dict(zip(table["indicator"], table["domain"], strict=False))
    # Column headers from the catalogue's short labels, so a narrow column never breaks a word;
    # the spreadsheet's long table names each indicator in full.
    short = {i.id: i.short for i in data.indicators}
    return {
        "header": ["Ward", "Locality", *(str(short.get(i) or labels[i]) for i in inds)],
        "full_header": ["Ward", "Locality", *(str(labels[i]) for i in inds)],
        "rows": rows,
        "sheet": "Wards",
        "wide": True,
        "across": "Indicator",
        "measure": "Count",
        "label_columns": 2,
        "groups": column_groups([str(domains.get(i, "")) for i in inds], first=2),
    }


def column_groups(domains: list[str], *, first: int, most: int = 6) -> list[tuple[str, list[int]]]:
    """Indicator columns (from header index ``first``) in groups of at most ``most``, keeping a
    domain together where it fits, titled by the domains they hold.

    >>> column_groups(["Social care"] * 4 + ["SEND"] * 2 + ["Education"] * 3, first=2)
    [('Social care and SEND', [2, 3, 4, 5, 6, 7]), ('Education', [8, 9, 10])]
    """
    runs: list[tuple[str, list[int]]] = []
    for k, d in enumerate(domains, start=first):
        if runs and runs[-1][0] == d:
            runs[-1][1].append(k)
        else:
            runs.append((d, [k]))
    groups: list[tuple[list[str], list[int]]] = []
    for d, cols in runs:
        while cols:
            take, cols = cols[:most], cols[most:]
            if groups and len(groups[-1][1]) + len(take) <= most:
                groups[-1][0].append(d)
                groups[-1][1].extend(take)
            else:
                groups.append(([d], take))
    return [
        (" and ".join(dict.fromkeys(x for x in ds if x)) or "Indicators", c) for ds, c in groups
    ]


def _scheme(scheme: Scheme, data: IndicatorData) -> dict[str, Any]:
    reg = data.register
    rows = [
        [
            Cell(loc),
            Cell(str(len(codes)), len(codes), "count"),
            Cell(", ".join(reg.name_of(c) for c in codes)),
        ]
        for loc, codes in scheme.localities.items()
    ]
    return {
        "header": ["Locality", "Wards", "Ward names"],
        "rows": rows,
        "sheet": "Localities",
        "notes": [f"Localities: {scheme.name}, as defined in {public_name(scheme.source)}."],
    }


def _notes(
    table: pd.DataFrame,
    data: IndicatorData,
    scheme: Scheme,
    protection: Protection | None,
    boundaries: Boundaries | None,
    statement: Callable[[str], str],
) -> list[str]:
    from localitymap.publication.cells import LEGEND
    from localitymap.statistics.rates import population_credit

    a = table.attrs
    notes = []
    if a.get("illustrative"):
        notes.append(
            "The indicator figures are ILLUSTRATIVE: invented for demonstration, shaped like a "
            "real February data-mapping exercise. They are not real children's-services data."
        )
    # File names only: a local folder says nothing to a reader and may say too much.
    names = [Path(str(x).removeprefix("<bundled>/")).name for x in a.get("sources", [])]
    notes.append("Indicator data: " + "; ".join(names) + ".")
    notes += [str(n) for n in a.get("data_notes", [])]
    if a.get("population_source"):
        notes.append(f"Population: {population_credit(a)}.")
        if a.get("no_denominator"):
            labels = dict(zip(table["indicator"], table["label"], strict=False))
            notes.append(
                "No population denominator for: "
                + ", ".join(str(labels.get(i, i)) for i in a["no_denominator"])
                + "; no rate is shown for them."
            )
    elif a.get("rates_unavailable"):
        notes.append(str(a["rates_unavailable"]))
    notes.append(
        f"Localities: {scheme.name}, {len(scheme.localities)} localities of "
        f"{sum(len(c) for c in scheme.localities.values())} wards; each ward's whole count is "
        "assigned to its locality, and locality figures add up to the borough total"
        + (
            " before rounding: rounded figures may not add up exactly."
            if protection is not None and protection.policy.rounding
            else "."
        )
    )
    notes.append(
        f"Boundaries: {a.get('boundaries')}." + (f" {boundaries.attribution}" if boundaries else "")
    )
    if protection is not None and protection.policy.public:
        notes.append(statement(protection.policy.id))
        s = protection.summary()
        if s["suppressed"]:
            # Only the total: how many were hidden to protect others would tell a reader which
            # hidden cells are small.
            notes.append(
                f"{s['suppressed']} of the {s['cells']} published counts (wards, localities and "
                f"borough totals) are suppressed ({protection.policy.symbol}). Shares, ranks and "
                "rates of a suppressed figure are suppressed too; those of other localities use "
                "published figures only, so their ranks may be ranges."
            )
        else:
            notes.append(f"No published count needed suppressing ({s['cells']} counts checked).")
        if s["not_available"]:
            notes.append(
                f"{s['not_available']} input figure(s) were not available (suppressed in the "
                "source with no stated range, or missing) and are shown as [x]: not available, "
                "which says nothing about their size."
            )
    else:
        notes.append(statement("none"))
    if a.get("wards_without_data"):
        notes.append(
            "Wards without data (counted as unknown): " + ", ".join(a["wards_without_data"]) + "."
        )
    notes.append(LEGEND)
    from localitymap.publication.cells import period_label

    period = period_label(str(a.get("period") or ""))
    notes.append(
        f"Produced by localitymap {__version__}" + (f"; period {period}." if period else ".")
    )
    return notes


__all__ = ["Cell", "Document", "Figure", "Paragraph", "Section", "Table", "build_report"]
