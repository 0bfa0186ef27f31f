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
from typing import TYPE_CHECKING, Any, Literal

from localitymap import __version__
from localitymap.publication.cells import format_count, format_share
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


@dataclass
class Table:
    """A captioned table with one header row; the first column names the rows."""

    caption: str
    header: list[str]
    rows: list[list[Cell]]
    sheet: str
    notes: list[str] = field(default_factory=list)
    wide: bool = False  # print it on a landscape page


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
) -> Document:
    """The report for a public rollup ``table`` (rates optional) and the ``protection`` that made
    it (None: no disclosure control, internal use). Maps need ``boundaries``."""
    from localitymap.model.rollup import leaders
    from localitymap.publication.disclosure import public_wards, statement
    from localitymap.publication.findings import findings
    from localitymap.renderers.maps import period_label

    a = table.attrs
    symbol = protection.policy.symbol if protection else ""
    public = bool(protection and protection.policy.public)
    period = period_label(str(a.get("period") or "")) or "period not stated"
    authority = str(a.get("authority", "")).split(" (")[0]
    doc_title = title or f"Children's services demand by locality: {authority}"
    subtitle = f"{a.get('scheme_name')}, {period}"
    status = (
        "For general release. Small numbers are suppressed to protect children's privacy "
        f"({protection.policy.id}; symbol {symbol})."
        if public and protection
        else "NOT FOR PUBLICATION: no disclosure control has been applied. Internal use only."
    )
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
    if boundaries is not None:
        for ind in a.get("headline", [])[:2] or list(dict.fromkeys(table["indicator"]))[:1]:
            demand.append(_map_figure(table, data, scheme, boundaries, ind, next(figure_no)))
    demand.append(tab(f"Count by locality, {period}", **_counts(table)))
    demand.append(tab("Share of the borough total by locality", **_shares(table)))
    demand.append(tab("Rank by locality (1 = highest count)", **_ranks(table)))
    demand.append(tab("Highest and second-highest locality", **_leaders(leaders(table))))
    sections = [Section("Summary", summary), Section("Demand by locality", demand)]
    if "rate" in table.columns:
        sections.append(Section("Rates per child", [tab("Rate by locality", **_rates(table))]))
    published = protection is not None and protection.wards_published
    wards = public_wards(protection, data) if protection is not None and published else None
    if wards is not None or protection is None:
        sections.append(
            Section(
                "Ward figures",
                [tab(f"Count by ward, {period}", **_wards(table, data, scheme, wards))],
            )
        )
    sections.append(
        Section(
            "Localities", [tab(f"Wards in each locality ({scheme.id})", **_scheme(scheme, data))]
        )
    )

    notes = _notes(table, data, scheme, protection, boundaries, statement)
    sections.append(
        Section("Data sources, methods and notes", [Paragraph(n, "bullet") for n in notes])
    )
    _last_grid[:] = [None, None]  # hold no table once the report is built
    return Document(doc_title, subtitle, status, warning, sections, notes, public, symbol)


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
    table: pd.DataFrame,
    data: IndicatorData,
    scheme: Scheme,
    boundaries: Boundaries,
    ind: str,
    n: int,
) -> Figure:
    from localitymap.renderers.figures import render_map

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

    def make(fmt: str) -> bytes:
        return render_map(table, data, scheme, boundaries, ind, fmt=fmt, dpi=150)

    return Figure(f"Figure {n}: {label} by locality", alt, make)


def _count_cell(rec: dict[str, Any]) -> Cell:
    """A count as the other outputs show it (the policy's symbol where hidden), with the number
    behind it where it is exact."""
    value = (
        float(rec["count_low"]) if rec["exact"] and rec.get("disclosure") != "suppressed" else None
    )
    return Cell(rec["count_text"], value, "count" if value is not None else "text")


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
    return {"header": ["Indicator", *locs], "rows": body, "sheet": "Counts"}


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
                Cell(r["count_text"]) if r.get("disclosure") == "suppressed" else cell_of(r)
                for r in recs
                if not r["is_total"]
            ]
        )
    return ["Indicator", *(loc for loc in locs if loc != "Borough total")], body


def _shares(table: pd.DataFrame) -> dict[str, Any]:
    def cell(r: dict[str, Any]) -> Cell:
        exact = r["share_low"] == r["share_high"] and not _missing(r["share_low"])
        return Cell(r["share_text"], float(r["share_low"]) if exact else None, "share")

    header, body = _per_locality(table, cell)
    return {
        "header": header,
        "rows": body,
        "sheet": "Shares",
        "notes": [
            "Share of the borough total; a–b: a range, where suppressed figures leave it open."
        ],
    }


def _ranks(table: pd.DataFrame) -> dict[str, Any]:
    def cell(r: dict[str, Any]) -> Cell:
        # A plain number only where the rank is certain and untied ("2=" and "2–4" stay text).
        plain = r["rank_text"].isdigit()
        return Cell(r["rank_text"], int(r["rank"]) if plain else None, "rank" if plain else "text")

    header, body = _per_locality(table, cell)
    return {
        "header": header,
        "rows": body,
        "sheet": "Ranks",
        "notes": ["1 = highest count; '=' marks a tie; a–b: the ranks suppressed figures allow."],
    }


def _missing(x: object) -> bool:
    return x is None or str(x) == "<NA>" or (isinstance(x, float) and math.isnan(x))


def _leaders(ld: pd.DataFrame) -> dict[str, Any]:
    rows = []
    for r in ld.to_dict("records"):
        flag = "" if r["certain"] else " (order uncertain)"
        rows.append(
            [
                Cell(str(r["label"])),
                Cell(str(r["highest"]) + flag),
                _share_cell(r["highest_share"]),
                Cell(str(r["second"])),
                _share_cell(r["second_share"]),
            ]
        )
    return {
        "header": ["Indicator", "Highest", "Share (highest)", "Second", "Share (second)"],
        "rows": rows,
        "sheet": "Highest",
    }


def _share_cell(x: float) -> Cell:
    if _missing(x):
        return Cell("")
    return Cell(format_share(x, x, 0), float(x), "share")


def _rates(table: pd.DataFrame) -> dict[str, Any]:
    symbol = str(table.attrs.get("disclosure_symbol", ""))
    locs, rows = _grid(table)
    body = []
    for label, recs in rows.items():
        measure = recs[0]["measure"]
        cells = [Cell(f"{label} ({'%' if measure == '%' else measure})")]
        for r in recs:
            if r.get("disclosure") == "suppressed":
                cells.append(Cell(symbol))
                continue
            rate = r["rate"]
            if _missing(rate):
                low, high = r["rate_low"], r["rate_high"]
                text = (
                    ""
                    if _missing(low)
                    else (f"{low:.1f}–{high:.1f}" if not _missing(high) else f"≥{low:.1f}")
                )
                cells.append(Cell(text))
                continue
            mark = MARKS.get(str(r["vs_rest_95"]), "")
            cells.append(Cell(f"{rate:,.1f}{' ' + mark if mark else ''}", float(rate), "rate"))
        body.append(cells)
    per = table.attrs.get("rate_multiplier", 10_000)
    notes = [
        f"Rate per {per:,.0f} people in the indicator's population band (or % where marked), from "
        f"the ONS mid-year estimates ({table.attrs.get('population_source', '')}).",
        "▲ / ▼: significantly higher / lower than the rest of the borough at the 95% level "
        "(exact test of two Poisson rates; Fisher's exact test for percentages). No mark: not "
        "significantly different, or not testable.",
    ]
    return {"header": ["Indicator", *locs], "rows": body, "sheet": "Rates", "notes": notes}


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
    reg = data.register
    rows = []
    for loc, codes in [*scheme.localities.items()]:
        for code in codes:
            rows.append(
                [Cell(reg.name_of(code)), Cell(loc)]
                + [Cell(texts.get((i, code), ""), nums.get((i, code)), "count") for i in inds]
            )
    return {
        "header": ["Ward", "Locality", *(str(labels[i]) for i in inds)],
        "rows": rows,
        "sheet": "Wards",
        "wide": True,
    }


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
        "notes": [f"Scheme: {scheme.name} ({scheme.id}). {scheme.source}".strip()],
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

    a = table.attrs
    notes = []
    if a.get("illustrative"):
        notes.append(
            "The indicator figures are ILLUSTRATIVE: invented for demonstration, shaped like a "
            "real February data-mapping exercise. They are not real children's-services data."
        )
    notes.append("Indicator data: " + "; ".join(map(str, a.get("sources", []))) + ".")
    notes += [str(n) for n in a.get("data_notes", [])]
    if a.get("population_source"):
        notes.append(
            f"Population: {a['population_source']}, ONS mid-year estimates (Open Government "
            "Licence v3.0)."
        )
        if a.get("no_denominator"):
            notes.append(
                "No population band for: " + ", ".join(a["no_denominator"]) + "; no rate shown."
            )
    notes.append(
        f"Localities: {scheme.name} ({scheme.id}), {len(scheme.localities)} localities of "
        f"{sum(len(c) for c in scheme.localities.values())} wards; each ward's whole count is "
        "assigned to its locality, and locality figures add up to the borough total."
    )
    notes.append(
        f"Boundaries: {a.get('boundaries')}." + (f" {boundaries.attribution}" if boundaries else "")
    )
    if protection is not None:
        notes.append(statement(protection.policy.id))
        s = protection.summary()
        if s["suppressed"]:
            notes.append(
                f"{s['suppressed']} of the {s['cells']} published counts (wards, localities and "
                f"borough totals) are suppressed, {s['secondary']} of them only so that others "
                "cannot be worked out by subtraction. Shares, ranks and rates of a suppressed "
                "figure are suppressed too; those of other localities use published figures only."
            )
        else:
            notes.append(f"No published count needed suppressing ({s['cells']} counts checked).")
    else:
        notes.append(statement("none"))
    if a.get("wards_without_data"):
        notes.append(
            "Wards without data (counted as unknown): " + ", ".join(a["wards_without_data"]) + "."
        )
    notes.append(LEGEND)
    notes.append(
        f"Produced by localitymap {__version__}; period {a.get('period') or 'not stated'}."
    )
    return notes


__all__ = ["Cell", "Document", "Figure", "Paragraph", "Section", "Table", "build_report"]
