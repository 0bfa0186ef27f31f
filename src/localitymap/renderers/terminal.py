"""Rich tables for the terminal. Readable at 100 columns: indicators run down the page, localities
across, and each cell holds the count over its share and rank.

A figure is never cut or folded: numeric columns never wrap, and a table too wide for the
terminal is split into bands of columns (each repeating the row labels) that fit. Text columns
wrap between words only."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from localitymap.publication.cells import caption
from localitymap.publication.tables import View, cell_records, cell_text, grid

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.errors import Report


@dataclass
class Column:
    """A column of a :class:`Fitted` table: numeric columns never wrap."""

    name: str
    justify: str = "left"
    numeric: bool = False
    whole: bool = False  # short names (localities) kept on one line


@dataclass
class Fitted:
    """A table that fits the console it is printed on. ``keys`` columns (row labels) repeat in
    every band; the other ``columns`` go into as few bands as fit the width. ``sections`` are the
    row indexes a rule goes above. Below ~25 columns nothing fits and rich wraps as it can."""

    title: str
    keys: list[Column]
    columns: list[Column]
    rows: list[list[RenderableType]]
    sections: set[int] = field(default_factory=set)

    def _table(self, cols: list[int], band: int, bands: int) -> Table:
        title = self.title + (f" (part {band} of {bands})" if bands > 1 else "")
        tab = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
        every = [*range(len(self.keys)), *(len(self.keys) + c for c in cols)]
        spec = [*self.keys, *(self.columns[c] for c in cols)]
        for k, col in zip(every, spec, strict=True):
            lines = [_plain(r[k]) for r in self.rows] + [col.name]
            if col.numeric or col.whole:
                widest = max(len(x) for cell in lines for x in cell.split("\n"))
                tab.add_column(col.name, justify=col.justify, no_wrap=True, min_width=widest)  # type: ignore[arg-type]
            else:
                # Wrap between words, never inside one.
                word = max((len(w) for cell in lines for w in cell.split()), default=4)
                tab.add_column(col.name, justify=col.justify, overflow="fold", min_width=word)  # type: ignore[arg-type]
        for i, row in enumerate(self.rows):
            if i in self.sections:
                tab.add_section()
            tab.add_row(*(row[k] for k in every))
        return tab

    def tables(self, console: Console, options: ConsoleOptions) -> list[Table]:
        """The bands for this console width: the fewest that each fit."""
        n = len(self.columns)
        for per in range(n, 0, -1):
            count = -(-n // per)
            size = -(-n // count)
            bands = [list(range(b, min(n, b + size))) for b in range(0, n, size)]
            tables = [self._table(cols, k, len(bands)) for k, cols in enumerate(bands, start=1)]
            # Measured as if unbounded: rich clamps a measurement to the width it is given.
            free = options.update_width(10_000)
            if per == 1 or all(
                Measurement.get(console, free, t).minimum <= options.max_width for t in tables
            ):
                return tables
        return []  # no columns

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        tables = self.tables(console, options)
        for k, t in enumerate(tables):
            if k:
                yield Text("")
            yield t


def _plain(cell: RenderableType) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


#: Localities that fit across 100 terminal columns; above this the table runs down the page.
WIDE_LIMIT = 7


def rollup_table(table: pd.DataFrame, view: View = "all") -> Group:
    """The rollup as one rich table (with caption) followed by the highest/second table; on a
    narrow terminal the localities split into bands rather than any figure being cut.

    Up to :data:`WIDE_LIMIT` localities run across the page; more switch to a long layout (a
    row per indicator and locality, each authority's total after its localities where the
    register holds several), and the table says so.
    """
    from localitymap.model.rollup import leaders

    attrs = table.attrs
    recs = cell_records(table)
    localities, rows = grid(recs)
    if len(localities) - 1 > WIDE_LIMIT:  # the borough total is a column too
        return long_rollup_table(table, recs, len(localities) - 1)
    title = f"Locality demand: {attrs.get('scheme_name', '')}"
    if attrs.get("period"):
        title += f", {attrs['period']}"
    # Two-line headers keep seven locality columns inside 100 terminal columns.
    cols = [Column(loc.replace(" ", "\n", 1), "right", numeric=True) for loc in localities]
    body: list[list[RenderableType]] = []
    sections = set()
    domain = None
    for label, cells in rows.items():
        row_domain = next(iter(cells.values()))["domain"]
        if domain is not None and row_domain != domain:
            sections.add(len(body))
        domain = row_domain
        body.append([label, *(_cell(cells[loc], view) for loc in localities)])
    fitted = Fitted(title, [Column("Indicator")], cols, body, sections)
    lines = caption(attrs)
    notes = Text("\n".join(lines), style="dim")
    if attrs.get("illustrative"):
        notes = Text.assemble((lines[0], "bold yellow"), ("\n" + "\n".join(lines[1:]), "dim"))
    return Group(fitted, notes, Text(""), leaders_table(leaders(table)))


def long_rollup_table(table: pd.DataFrame, recs: list[dict[str, Any]], n_localities: int) -> Group:
    """One row per (indicator, locality): count, share, rank; with authority totals."""
    from localitymap.model.rollup import ALL_AUTHORITIES, authority_totals
    from localitymap.publication.cells import format_count, format_share

    attrs = table.attrs
    several = "authority" in table.columns
    title = f"Locality demand: {attrs.get('scheme_name', '')}"
    if attrs.get("period"):
        title += f", {attrs['period']}"
    tab = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    for name, justify in [("Indicator", "left"), *([("Authority", "left")] if several else []),
                          ("Locality", "left"), ("Count", "right"), ("Share", "right"),
                          ("Rank", "right")]:  # fmt: skip
        tab.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    if several:
        for t in authority_totals(table).to_dict("records"):
            totals[(t["indicator"], t["authority"])] = t

    def total_row(ind: str, label: str, authority: str) -> None:
        t = totals[(ind, authority)]
        name = "Grand total" if authority == ALL_AUTHORITIES else f"{authority} total"
        share = (
            "" if authority == ALL_AUTHORITIES else format_share(t["share_low"], t["share_high"])
        )
        tab.add_row(label, authority, Text(name, style="bold"),
                    Text(format_count(t["count_low"], t["count_high"]), style="bold"), share, "")  # fmt: skip

    previous: tuple[str, str] | None = None
    for r in recs:
        if r["is_total"]:
            if several:
                if previous:
                    total_row(*previous)
                total_row(r["indicator"], r["label"], ALL_AUTHORITIES)
                previous = None
            else:
                tab.add_row(r["label"], Text(r["locality"], style="bold"), r["count_text"], "", "")
            tab.add_section()
            continue
        if several:
            here = (r["indicator"], r["label"], r["authority"])
            if previous and previous[2] != here[2]:
                total_row(*previous)
            previous = here  # type: ignore[assignment]
        cells = [r["label"], *([r["authority"]] if several else []), r["locality"],
                 r["count_text"], r["share_text"], r["rank_text"]]  # fmt: skip
        tab.add_row(*cells)
    note = (
        f"{n_localities:,} localities: too many to lay out across the page, so one row per "
        "indicator and locality"
        + (", each authority's total after its localities." if several else ".")
    )
    lines = [note, *caption(attrs)]
    return Group(tab, Text("\n".join(lines), style="dim"))


def _cell(r: dict[str, Any], view: View) -> Text:
    """Count over share and rank; the highest locality in bold."""
    style = "bold" if r["rank_text"] in ("1", "1=") else ""
    if view != "all":
        return Text(cell_text(r, view), style=style)
    text = Text(r["count_text"], style=style)
    below = " ".join(x for x in (r["share_text"], r["rank_text"] and f"#{r['rank_text']}") if x)
    if below:
        text.append("\n" + below, style="dim")
    return text


def leaders_table(ld: pd.DataFrame) -> Fitted:
    """Highest and second-highest locality per indicator."""
    from localitymap.publication.cells import format_share

    rows: list[list[RenderableType]] = []
    for r in ld.itertuples():
        flag = "" if r.certain else " (uncertain: suppressed cells)"
        rows.append(
            [
                str(r.label),
                f"{r.highest}{flag}",
                format_share(r.highest_share, r.highest_share, 0),
                str(r.second),
                format_share(r.second_share, r.second_share, 0),
            ]
        )
    cols = [
        Column("Highest"),
        Column("Share", "right", numeric=True),
        Column("Second"),
        Column("Share", "right", numeric=True),
    ]
    return Fitted("Highest and second-highest locality", [Column("Indicator")], cols, rows)


def problems_table(report: Report, title: str) -> Table:
    """A validation report: errors first, each in row order, then warnings and notes.

    The file is named once in the title unless problems come from several files; the Row and
    Column columns appear only when some problem has them.
    """
    items = report.ordered()
    files = {p.file for p in items if p.file}
    show_row = any(p.row is not None for p in items)
    show_field = any(p.field for p in items)
    tab = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    tab.add_column("Level")
    if show_row:
        tab.add_column("Row", justify="right", overflow="fold")
    if show_field:
        tab.add_column("Column", overflow="fold", max_width=18)
    tab.add_column("Problem", overflow="fold", ratio=3)
    tab.add_column("What to do", overflow="fold", ratio=2)
    colours = {"error": "red", "warning": "yellow", "note": "blue"}
    for p in items:
        row = "" if p.row is None else str(p.row)
        cells: list[Any] = [Text(p.severity, style=colours[p.severity])]
        if show_row:
            cells.append(f"{p.file}:{row}" if len(files) > 1 and p.file else row)
        if show_field:
            cells.append(p.field or "")
        tab.add_row(*cells, p.message, p.hint or "")
    return tab


def frame_table(df: pd.DataFrame, title: str | None = None) -> Table:
    """Any small DataFrame as a plain rich table."""
    tab = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    for col in df.columns:
        tab.add_column(str(col), overflow="fold")
    for row in df.itertuples(index=False):
        tab.add_row(*("" if v is None else str(v) for v in row))
    return tab


# Our text is data, not markup: parsing it for [tags] and :emoji: costs time and could mangle a
# ward or indicator name that contains brackets.
_PLAIN: dict[str, Any] = {"markup": False, "emoji": False, "highlight": False}


def console(stderr: bool = False, width: int | None = None, *, file_text: bool = False) -> Console:
    """A console for stdout (results) or stderr (messages); plain text when not a terminal.

    ``file_text`` records output for :meth:`Console.export_text` instead of printing it.
    """
    if file_text:
        import io

        return Console(file=io.StringIO(), width=width, record=True, color_system=None, **_PLAIN)
    if (
        width is None
        and not os.environ.get("COLUMNS")
        and not (sys.stderr if stderr else sys.stdout).isatty()
    ):
        width = 100  # piped or redirected: the width the tables are laid out for, not rich's 80
    return Console(stderr=stderr, width=width, soft_wrap=False, **_PLAIN)


_MARKS = {
    "higher": "▲ higher",
    "lower": "▼ lower",
    "similar": "= similar",
    "uncertain": "? uncertain",
}


def rates_tables(table: pd.DataFrame) -> Group:
    """One small table per indicator: count, population, rate with 95% CI, and how each locality
    compares with the rest of the borough at 95% and 99.8%; split into bands on a narrow
    terminal."""
    from localitymap.publication.cells import format_count
    from localitymap.publication.report import rate_unit

    attrs = table.attrs
    parts: list[Any] = []
    cols = [
        Column("Count", "right", numeric=True),
        Column("Population", "right", numeric=True),
        Column("Rate", "right", numeric=True),
        Column("95% CI", "right", numeric=True),
        Column("vs rest (95%)"),
        Column("vs rest (99.8%)"),
    ]
    for label, grp in table.groupby("label", sort=False):
        recs = grp.to_dict("records")
        unit = rate_unit(recs[0])
        what = f"percentage ({unit})" if recs[0]["measure"] == "%" else f"rate {unit}"
        rows: list[list[RenderableType]] = []
        sections = set()
        for r in recs:
            if r["is_total"]:
                sections.add(len(rows))
            rate = _rate_text(r["rate"], r["rate_low"], r["rate_high"])
            ci = f"{_num(r['lcl_95'])}–{_num(r['ucl_95']) or '?'}"
            rows.append(
                [
                    r["locality"],
                    format_count(r["count_low"], r["count_high"]),
                    "" if r["denominator"] != r["denominator"] else f"{r['denominator']:,.0f}",
                    rate,
                    ci if rate else "",
                    _MARKS.get(r["vs_rest_95"], r["vs_rest_95"]),
                    _MARKS.get(r["vs_rest_998"], r["vs_rest_998"]),
                ]
            )
        parts += [
            Fitted(f"{label}: {what}", [Column("Locality", whole=True)], cols, rows, sections),
            Text(""),
        ]
    lines = caption(attrs)
    parts.append(Text("\n".join([*lines, rates_notes(table)]), style="dim"))
    return Group(*parts)


def rates_notes(table: pd.DataFrame) -> str:
    """The methods footer of the rates tables: each statistic present says how it was made
    (rates: exact Poisson / Byar, exact Poisson test; percentages: Wilson, Fisher's exact test).

    >>> import pandas as pd
    >>> rates_notes(pd.DataFrame({"measure": ["%"]})).split(";")[0]
    'Percentages of the band shown with 95% Wilson score intervals'
    """
    per = table.attrs.get("rate_multiplier", 10_000)
    measures = set(table["measure"]) if "measure" in table.columns else set()
    sentences = []
    if measures - {"%"}:
        sentences.append(
            f"Rates per {per:,.0f} people in the band shown; 95% confidence intervals by exact "
            "Poisson (counts under 10) or Byar's method; 'vs rest' compares each locality with the "
            "rest of the borough by the exact (conditional binomial) test for two Poisson rates."
        )
    if "%" in measures:
        sentences.append(
            "Percentages of the band shown with 95% Wilson score intervals; 'vs rest' compares "
            "each locality with the rest of the borough by Fisher's exact test."
        )
    sentences.append(
        "'?' where suppressed cells could change the answer. Population: "
        f"{table.attrs.get('population_source', '')}."
    )
    return " ".join(sentences)


def _num(x: float) -> str:
    """A rate to one decimal, or nothing when unknown (NaN)."""
    return "" if x != x else f"{x:,.1f}"


def _rate_text(rate: float, low: float, high: float) -> str:
    """The exact rate, else the range suppressed cells allow, else a lower bound."""
    if rate == rate:
        return _num(rate)
    return f"{_num(low)}–{_num(high)}" if high == high else f"≥{_num(low)}"


def composite_table(result: pd.DataFrame, attrs: dict[str, Any], weights: str) -> Group:
    """The composite index per locality, highest first, with how it was made."""
    share = result["basis"].iloc[0] == "share"
    basis = "share of borough" if share else "rate vs borough"
    title = Text(f"Composite demand index ({weights} weights, {basis})", style="bold")
    tab = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for name, justify in [("Rank", "right"), ("Locality", "left"), ("Index", "right")]:
        tab.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in result.sort_values(["rank", "locality"]).to_dict("records"):
        lo, hi = r["index_low"], r["index_high"]
        if share:
            value = f"{lo * 100:.1f}%" if lo == hi else f"{lo * 100:.1f}–{hi * 100:.1f}%"
        else:
            value = f"{lo:.2f}" if lo == hi else f"{lo:.2f}–{hi:.2f}"
        rank = (
            str(r["rank"])
            if r["rank_best"] == r["rank_worst"]
            else f"{r['rank_best']}–{r['rank_worst']}"
        )
        tab.add_row(rank, r["locality"], value)
    how = (
        "Weighted mean of each locality's share of the borough total (indices add up to 100%)."
        if share
        else "Weighted mean of each locality's rate divided by the borough rate (1.00 = borough average)."
    )
    lines = [*caption(attrs)[:1], f"{how} {result['indicators'].iloc[0]} indicator(s) weighted."]
    return Group(title, tab, Text("\n".join(lines), style="dim"))
