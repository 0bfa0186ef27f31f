"""The members' dashboard as content: one row per indicator with its latest and previous borough
value, direction of travel, target and RAG rating, trend over the exercise's periods, three-year
average, published benchmarks and a small-number flag, and each locality's trend beside it. The
writers in :mod:`localitymap.renderers.dashboard` turn one :class:`Dashboard` into a single
self-contained HTML file or an XLSX workbook, so both say the same thing.

Every figure comes from the *public* rollups (one per period, disclosure-controlled, with rates):
no hidden count reaches a value, a trend, an average or a chart.

>>> from localitymap import read_indicators, rollup, load_scheme
>>> from localitymap.publication.disclosure import protect, public_table
>>> from localitymap.statistics.rates import add_rates, read_population
>>> from localitymap.inputs.targets import bundled_targets, read_targets
>>> scheme, pop, tables = load_scheme("icn6"), read_population(), []
>>> for period in ("2019-02", "2020-02"):
...     data = read_indicators(period=period)
...     t = rollup(data, scheme)
...     pub = public_table(t, protect(t, "threshold5", data=data, scheme=scheme))
...     tables.append(add_rates(pub, data, scheme, pop))
>>> dash = build_dashboard(tables, read_targets(bundled_targets()))
>>> row = dash.row("cp_plans")
>>> row.latest.text, row.previous.text, row.target_text, row.rag
('45.8', '47.3', '45.0 (lower is better)', 'amber')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from localitymap import __version__
from localitymap.inputs.targets import RAG_WORDS, Target

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.exercise import Exercise

SMALL_COUNT = 30  # below this, a borough rate swings from year to year (Fingertips' caution)
SMALL_LOCALITY = 10
ARROWS = {"up": "▲", "down": "▼", "same": "▶"}


@dataclass(frozen=True)
class Point:
    """One period's figure: ``value`` (None when hidden or a range) and the ``text`` shown."""

    period: str
    value: float | None
    text: str


@dataclass
class Context:
    """The authority's published figure and its benchmarks (texts as printed)."""

    year: str
    value: str
    england: str
    region_name: str
    region: str
    neighbours_average: str
    neighbours_range: str
    band: str
    polarity: str
    description: str
    authority: str = ""


@dataclass
class Row:
    indicator: str
    label: str
    domain: str
    unit: str
    count_text: str
    series: list[Point]
    target: Target | None
    polarity: str
    rag: str
    direction: str
    direction_words: str
    three_year: str
    small: str
    context: Context | None
    localities: dict[str, list[Point]] = field(default_factory=dict)

    @property
    def latest(self) -> Point:
        return self.series[-1]

    @property
    def previous(self) -> Point | None:
        return self.series[-2] if len(self.series) > 1 else None

    @property
    def target_text(self) -> str:
        if self.target is None:
            return "No target set"
        side = {"low": " (lower is better)", "high": " (higher is better)"}.get(self.polarity, "")
        return f"{_num(self.target.value, self.unit)}{side}"

    @property
    def rag_words(self) -> str:
        if self.target is None:
            return "Not rated: no target"
        if not self.rag:
            return "Not rated: " + (
                "no polarity" if self.polarity not in ("low", "high") else "value not shown"
            )
        return RAG_WORDS[self.rag]


@dataclass
class Dashboard:
    """The dashboard: title lines, status, warning, periods, rows, notes."""

    title: str
    subtitle: str
    status: str
    warning: str
    periods: list[str]
    localities: list[str]
    rows: list[Row]
    notes: list[str]
    public: bool
    symbol: str
    authority: str

    @property
    def published_by(self) -> str:
        """Whose published figures the benchmarks are (the exercise's authority by default)."""
        return next((r.context.authority for r in self.rows if r.context and r.context.authority),
                    self.authority)  # fmt: skip

    def row(self, indicator: str) -> Row:
        """The row of one indicator id."""
        return next(r for r in self.rows if r.indicator == indicator)


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _num(value: float, unit: str) -> str:
    return f"{value:,.0f}" if unit == "count" else f"{value:,.1f}"


def _point(rec: dict[str, Any], use_rate: bool, symbol: str) -> Point:
    """The figure a row shows for one period: rate (or %) where there is one, else the count."""
    period = str(rec.get("_period", ""))
    if rec.get("disclosure") == "suppressed":
        return Point(period, None, symbol or "..")
    if use_rate:
        rate, low, high = rec.get("rate"), rec.get("rate_low"), rec.get("rate_high")
        if not _missing(rate):
            return Point(period, float(rate), f"{rate:,.1f}")
        if _missing(low):
            return Point(period, None, "..")
        return Point(
            period, None, f"{low:,.1f}–{high:,.1f}" if not _missing(high) else f"≥{low:,.1f}"
        )
    lo, hi = rec["count_low"], rec["count_high"]
    if lo == hi:
        return Point(period, float(lo), f"{lo:,.0f}")
    return Point(period, None, f"{lo:,.0f}–{hi:,.0f}" if not _missing(hi) else f"≥{lo:,.0f}")


def _direction(series: list[Point], polarity: str, unit: str) -> tuple[str, str]:
    if len(series) < 2:
        return "", "No earlier period"
    before, now = series[-2], series[-1]
    if before.value is None or now.value is None:
        return "", "Not known: a figure is hidden"
    dps = 0 if unit == "count" else 1
    # from the figures as shown, so the words agree with the two numbers a reader sees
    diff = round(round(now.value, dps) - round(before.value, dps), dps)
    if diff == 0:
        return "same", f"No change since {before.period}"
    way = "up" if diff > 0 else "down"
    judged = ""
    if polarity in ("low", "high"):
        better = (way == "down") == (polarity == "low")
        judged = ", better" if better else ", worse"
    return (
        way,
        f"{way.capitalize()} {abs(diff):,.{0 if unit == 'count' else 1}f} since {before.period}{judged}",
    )


def _three_year(recs: list[dict[str, Any]], use_rate: bool, unit: str, multiplier: float) -> str:
    """Pooled over the last three periods (counts over populations, as Fingertips pools years)."""
    if len(recs) < 3:
        return f"n/a ({len(recs)} period{'s' if len(recs) != 1 else ''})"
    last = recs[-3:]
    if any(r.get("disclosure") == "suppressed" or r["count_low"] != r["count_high"] for r in last):
        return "n/a (a figure is hidden)"
    counts = sum(float(r["count_low"]) for r in last)
    if not use_rate:
        return f"{counts / 3:,.0f}"
    denominators = [r.get("denominator") for r in last]
    if any(_missing(d) or not d for d in denominators):
        return ".."
    scale = 100.0 if unit == "%" else multiplier
    return f"{counts / sum(float(d) for d in denominators) * scale:,.1f}"


def _small(total: dict[str, Any], locs: list[dict[str, Any]]) -> str:
    if total.get("disclosure") == "suppressed" or total["count_low"] < SMALL_COUNT:
        return f"Small numbers: fewer than {SMALL_COUNT} in the borough"
    hidden = [r["locality"] for r in locs if r.get("disclosure") == "suppressed"]
    if hidden:
        return (
            f"Small numbers: {len(hidden)} locality figure{'s' if len(hidden) > 1 else ''} hidden"
        )
    few = [r for r in locs if r["count_high"] < SMALL_LOCALITY]
    if few:
        return f"Small numbers: {len(few)} localit{'ies' if len(few) > 1 else 'y'} under {SMALL_LOCALITY}"
    return ""


def _context(bench: pd.DataFrame | None) -> dict[str, Context]:
    if bench is None or not len(bench):
        return {}
    from localitymap.publication.context import range_text

    out = {}
    for r in bench.to_dict("records"):
        if r["indicator"]:
            out[r["indicator"]] = Context(
                str(r["year"]), str(r["value"]), str(r["england"]), str(r["region_name"]),
                str(r["region"]), str(r["neighbours_average"]), range_text(r),
                str(r["band"]), str(r["polarity"]), str(r["description"]), str(r["authority"]),
            )  # fmt: skip
    return out


def build_dashboard(
    tables: list[pd.DataFrame],
    targets: dict[str, Target] | None = None,
    benchmarks: pd.DataFrame | None = None,
    *,
    title: str | None = None,
) -> Dashboard:
    """The dashboard for public rollups with rates, one per period, oldest first (the last is
    the latest). ``benchmarks`` is :func:`localitymap.statistics.benchmark.benchmark`'s table."""
    from localitymap.publication.cells import period_label
    from localitymap.publication.disclosure import publication_status, statement

    if not tables:
        raise ValueError("build_dashboard needs at least one period's table")
    targets = targets or {}
    latest = tables[-1]
    a = latest.attrs
    symbol = str(a.get("disclosure_symbol", ""))
    policy = str(a.get("disclosure_policy", "") or "none")
    public = policy != "none"
    periods = [str(t.attrs.get("period") or "") for t in tables]
    labels = [period_label(p) or p for p in periods]
    multiplier = float(a.get("rate_multiplier", 10_000))
    context = _context(benchmarks)
    by_period: list[dict[str, list[dict[str, Any]]]] = []
    for t, lab in zip(tables, labels, strict=True):
        groups: dict[str, list[dict[str, Any]]] = {}
        for rec in t.to_dict("records"):
            rec["_period"] = lab
            groups.setdefault(rec["indicator"], []).append(rec)
        by_period.append(groups)
    localities = [
        r["locality"] for r in by_period[-1][next(iter(by_period[-1]))] if not r["is_total"]
    ]
    rows = []
    for ind, recs in by_period[-1].items():
        total = next(r for r in recs if r["is_total"])
        has_rate = "rate" in total and not _missing(total.get("denominator"))
        target = targets.get(ind)
        use_rate = has_rate and (target is None or target.measure == "rate")
        unit = (
            ("%" if total.get("measure") == "%" else f"per {multiplier:,.0f}")
            if use_rate
            else "count"
        )
        history = [g[ind] for g in by_period if ind in g]
        totals = [next(r for r in h if r["is_total"]) for h in history]
        series = [_point(r, use_rate, symbol) for r in totals]
        ctx = context.get(ind)
        # the exercise file's word first, then the published measure's; a target with neither
        # is read as lower-is-better, as the exercise file documents
        polarity = (
            (target.polarity if target else "")
            or (ctx.polarity.lower() if ctx and ctx.polarity in ("High", "Low") else "")
            or ("low" if target else "")
        )
        rag = target.rag(series[-1].value, polarity) if target else ""
        direction, words = _direction(series, polarity, unit)
        locs = [r for r in recs if not r["is_total"]]
        loc_series = {
            loc: [_point(next(r for r in h if r["locality"] == loc), use_rate, symbol)
                  for h in history if any(r["locality"] == loc for r in h)]
            for loc in localities
        }  # fmt: skip
        rows.append(
            Row(
                ind,
                str(total["label"]),
                str(total.get("domain") or ""),
                unit,
                _point(total, False, symbol).text,
                series,
                target,
                polarity,
                rag,
                direction,
                words,
                _three_year(totals, use_rate, unit, multiplier),
                _small(total, locs),
                ctx,
                loc_series,
            )
        )
    authority = str(a.get("authority_name") or a.get("authority", "")).split(" (")[0]
    status = publication_status(policy)
    warning = (
        "ILLUSTRATIVE DATA: the locality figures are invented for demonstration and are not real "
        "children's-services data. Do not quote them. The published benchmarks are real."
        if a.get("illustrative")
        else ""
    )
    notes = _notes(tables, labels, multiplier, statement(policy), benchmarks, bool(targets))
    return Dashboard(
        title or f"Children's services dashboard: {authority}",
        f"{a.get('scheme_name')}, {labels[-1]}" + (f" (trend from {labels[0]})" if len(labels) > 1 else ""),
        status, warning, labels, localities, rows, notes, public, symbol, authority,
    )  # fmt: skip


def exercise_tables(ex: Exercise) -> list[pd.DataFrame]:
    """The publishable rollup with rates of every period the exercise holds up to its own, oldest
    first, each from the exercise at that period (same scheme, policy and inputs)."""
    latest = ex.data.period
    series = ex.periods()
    if len(series) < 2:
        return [ex.table(rates=True)]
    return [ex.table(rates=True) if p == latest else ex.at_period(p).table(rates=True)
            for p in series]  # fmt: skip


def exercise_targets(ex: Exercise) -> dict[str, Target]:
    """The exercise file's targets; with the bundled (illustrative) data and no targets of its
    own, the illustrative targets that go with it."""
    from localitymap.inputs.targets import bundled_targets, read_targets, targets_from

    source = ex.settings.path.name if ex.settings.path else "exercise file"
    if ex.settings.targets:
        return targets_from(ex.settings.targets, source)
    return read_targets(bundled_targets()) if ex.settings.data is None else {}


def exercise_context(ex: Exercise, authority: str | None = None) -> tuple[pd.DataFrame | None, str]:
    """The published benchmarks of the exercise's authority (``authority``, else the exercise
    file's, else the ward register's), or None and why not."""
    from localitymap.inputs.benchmarks import load_benchmarks
    from localitymap.statistics.benchmark import authority_context

    reg = ex.register
    candidates = [authority, ex.settings.authority, reg.lad_code, reg.lad_name]
    return authority_context(load_benchmarks(), candidates, ex.catalogue)


def _notes(
    tables: list[pd.DataFrame],
    labels: list[str],
    multiplier: float,
    disclosure: str,
    benchmarks: pd.DataFrame | None,
    has_targets: bool,
) -> list[str]:
    from localitymap.statistics.rates import population_credit

    a = tables[-1].attrs
    notes = [
        f"Values are the borough's rate per {multiplier:,.0f} children in the indicator's "
        "population band (or % where marked), from the locality exercise's own ward counts; "
        "'count' where there is no population denominator or the target is a count.",
        "Direction of travel compares the latest period with the one before; 'better' or 'worse' "
        "follows the indicator's polarity (from its target, or from the published benchmark).",
        "RAG: green = on or better than target; amber = worse than target by no more than its "
        "tolerance; red = worse by more. Targets and tolerances come from the exercise file."
        if has_targets
        else "No targets are set in the exercise file, so no indicator is RAG rated.",
        "Three-year average: counts pooled over the last three periods, divided by the pooled "
        "population (shown only where the exercise holds three periods and none is hidden).",
        f"Small numbers: flagged where the borough count is under {SMALL_COUNT}, or a locality "
        f"figure is hidden or under {SMALL_LOCALITY}; such figures swing from year to year, so "
        "read the trend and the average, not one year's change.",
        "Periods: " + ", ".join(labels) + ".",
    ]
    if benchmarks is not None and len(benchmarks):
        from localitymap.publication.context import notes as context_notes

        notes.append(
            "Published benchmarks are the authority's official figures (DfE), on their own "
            "definitions and years, beside the locality exercise's figures; they are not the same "
            "measure, so compare scales, not values."
        )
        notes += [n for n in context_notes(benchmarks) if n]
    if a.get("population_source"):
        notes.append(f"Population: {population_credit(a)}.")
    notes.append(disclosure)
    notes.append(f"Produced by localitymap {__version__}.")
    return notes


def to_document(d: Dashboard) -> Any:
    """The dashboard's tables as a report :class:`~localitymap.publication.report.Document`, for
    the spreadsheet (and any other document writer): the same figures, one table per sheet."""
    from localitymap.publication.report import Cell, Document, Paragraph, Section, Table

    def num(p: Point | None, kind: str = "rate") -> Cell:
        if p is None:
            return Cell("..")
        return Cell(p.text, p.value, kind) if p.value is not None else Cell(p.text)

    latest, prev = d.periods[-1], (d.periods[-2] if len(d.periods) > 1 else "")
    main = Table(
        f"Table 1: Indicators against targets, {latest}",
        ["Indicator", "Unit", f"Latest ({latest})", f"Previous ({prev})" if prev else "Previous",
         "Direction of travel", "Target", "Tolerance", "RAG rating", "Three-year average",
         f"Published ({d.published_by})", "Published year", "England", "Neighbours' average",
         "Neighbours' range", "Quartile band", "Small numbers"],
        [
            [Cell(r.label), Cell(r.unit), num(r.latest, _kind(r)), num(r.previous, _kind(r)),
             Cell(r.direction_words), Cell(r.target_text),
             Cell(_num(r.target.tolerance, r.unit), r.target.tolerance, _kind(r)) if r.target else Cell(""),
             Cell(r.rag_words), Cell(r.three_year), Cell(r.context.value if r.context else ""),
             Cell(r.context.year if r.context else ""), Cell(r.context.england if r.context else ""),
             Cell(r.context.neighbours_average if r.context else ""),
             Cell(r.context.neighbours_range if r.context else ""),
             Cell((r.context.band or "n/a") if r.context else ""), Cell(r.small or "None")]
            for r in d.rows
        ],
        "Dashboard",
        wide=True,
    )  # fmt: skip
    trend = Table(
        "Table 2: Borough figure by period",
        ["Indicator", "Unit", *d.periods],
        [
            [Cell(r.label), Cell(r.unit)]
            + [
                num(next((p for p in r.series if p.period == per), None), _kind(r))
                for per in d.periods
            ]
            for r in d.rows
        ],
        "Trend",
    )
    loc_rows = []
    for r in d.rows:
        for loc in d.localities:
            pts = {p.period: p for p in r.localities.get(loc, [])}
            loc_rows.append([Cell(r.label), Cell(loc), Cell(r.unit)]
                            + [num(pts.get(per), _kind(r)) for per in d.periods])  # fmt: skip
    localities = Table(
        "Table 3: Each locality's figure by period",
        ["Indicator", "Locality", "Unit", *d.periods],
        loc_rows,
        "Localities",
    )
    sections = [
        Section("Dashboard", [main, trend, localities]),
        Section("Notes", [Paragraph(n, "bullet") for n in d.notes]),
    ]
    return Document(d.title, d.subtitle, d.status, d.warning, sections, d.notes, d.public, d.symbol)


def _kind(r: Row) -> str:
    return "count" if r.unit == "count" else "rate"
