"""Ward-level indicator counts: the catalogue, parsing cells, and reading users' files.

Every ward/indicator cell becomes a *bounded count*: ``low`` and ``high`` are equal for a plain
number; a suppressed cell keeps its marker and a range (``<5`` is 1 to 4; a bare ``*``/``c``/``x`` is
0 to unknown unless the caller states the range); an empty cell is *missing* (0 to unknown). So a
suppressed ward is never added up as if it were zero, and a total that holds one becomes a range or a
lower bound.

Files may be *wide* (one row per ward, a column per indicator) or *long* (``ward, indicator, value``
and optionally ``period``), CSV or XLSX. Wards are matched by GSS code, else by name.

>>> parse_count("1,234")
Count(low=1234, high=1234, status='value', marker='')
>>> parse_count("<5")
Count(low=1, high=4, status='suppressed', marker='<5')
"""

from __future__ import annotations

import csv
import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from localitymap.errors import InputError, Report
from localitymap.inputs.files import TABLE_SUFFIXES, RawTable, read_table
from localitymap.inputs.wards import WardRegister, load_register, normalise_name
from localitymap.paths import data_dir, display_path

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)
Status = Literal["value", "suppressed", "missing"]

#: Cell texts read as "suppressed" (not zero, not missing). Case-insensitive.
SUPPRESSION_MARKERS = frozenset({"*", "c", "[c]", "x", "[x]", "..", "-", "–", "supp", "suppressed"})
_LESS_THAN = re.compile(r"^<\s*=?\s*(\d+)$")
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")

_CODE_HEADERS = {"ward code", "wardcode", "code", "gss code", "area code", "ward gss code"}
_NAME_HEADERS = {"ward", "ward name", "wardname", "name", "area name", "area"}
_WARD_VINTAGE_HEADER = re.compile(r"^wd\d\dcd$|^wd\d\dnm$")
_IGNORED_HEADERS = {
    "lad code",
    "lad name",
    "local authority",
    "la",
    "la code",
    "la name",
    "authority",
    "locality",
    "locality name",
    "notes",
    "note",
    "comments",
    "ward id",
}
_LONG_INDICATOR = {"indicator", "measure", "indicator id", "metric"}
_LONG_VALUE = {"value", "count", "number", "n"}
_PERIOD = {"period", "snapshot", "date", "month"}


@dataclass(frozen=True)
class Count:
    """A count that may be known exactly, only within bounds, or not at all."""

    low: int
    high: int | None
    status: Status
    marker: str = ""


@dataclass(frozen=True)
class Indicator:
    """One entry of the indicator catalogue."""

    id: str
    label: str
    domain: str = ""
    unit: str = ""
    denominator: str = ""
    description: str = ""
    headline: str = ""
    statistic: str = "rate"
    in_catalogue: bool = True


class CellProblem(ValueError):
    """A cell that is not a count; the message says what is wrong, ``hint`` what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def parse_count(text: str, suppressed_range: tuple[int, int | None] = (0, None)) -> Count:
    """Parse one cell. Raises :class:`CellProblem` for negatives, fractions and non-numbers.

    ``suppressed_range`` is what a bare marker (``*``, ``c``, ``x``...) may stand for; the default
    claims nothing beyond "at least 0".

    >>> parse_count("c", suppressed_range=(1, 4))
    Count(low=1, high=4, status='suppressed', marker='c')
    >>> parse_count("")
    Count(low=0, high=None, status='missing', marker='')
    """
    t = text.strip()
    if not t:
        return Count(0, None, "missing")
    if t.lower() in SUPPRESSION_MARKERS:
        return Count(suppressed_range[0], suppressed_range[1], "suppressed", t)
    m = _LESS_THAN.match(t)
    if m:
        bound = int(m.group(1))
        # "<5" hides 1-4: zeros are published as 0 under every common convention.
        high = bound if "=" in t else bound - 1
        return Count(min(1, high), high, "suppressed", t)
    compact = t.replace(" ", "")
    if not _NUMBER.match(compact):
        if compact.endswith("%"):
            raise CellProblem(f"{t!r} is a percentage", "give the count of children, not a rate")
        raise CellProblem(
            f"{t!r} is not a count or a known suppression marker",
            "use a whole number, or a marker such as c, *, x or <5 for a suppressed count",
        )
    value = float(compact.replace(",", ""))
    if value < 0:
        raise CellProblem(f"{t} is negative", "a count cannot be below zero; correct the cell")
    if not value.is_integer():
        raise CellProblem(
            f"{t} is not a whole number", "counts of children are whole numbers; correct the cell"
        )
    n = int(value)
    return Count(n, n, "value")


def slugify(text: str) -> str:
    """An id for an indicator the catalogue does not know: ``"Young carers"`` -> ``young_carers``."""
    return normalise_name(text).replace(" ", "_") or "indicator"


def find_indicator(indicators: Sequence[Indicator], name: str) -> Indicator:
    """The indicator a user named by id or label; the error suggests the closest ids.

    >>> find_indicator(load_catalogue(), "Child protection plans").id
    'cp_plans'
    """
    import difflib

    wanted = normalise_name(name)
    for ind in indicators:
        if wanted in (normalise_name(ind.id), normalise_name(ind.label)):
            return ind
    ids = [i.id for i in indicators]
    near = difflib.get_close_matches(name, ids, n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(near)}?" if near else f"choose from: {', '.join(ids)}"
    raise InputError(f"no indicator {name!r} in the data", hint=hint)


def load_catalogue(path: Path | None = None) -> list[Indicator]:
    """The indicator catalogue (``id,label,domain,unit,denominator,description,headline`` and
    optionally ``statistic``: ``rate``, the default, or ``proportion``).

    >>> [i.id for i in load_catalogue()][:3]
    ['early_help', 'cf_assessments', 'cp_plans']
    """
    path = path or data_dir() / "indicators" / "catalogue.csv"
    shown = display_path(path)
    if not path.is_file():
        raise InputError(f"{shown}: indicator catalogue not found")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    if not rows or not {"id", "label"} <= set(rows[0]):
        raise InputError(f"{shown}: a catalogue needs at least the columns id and label")
    fields = Indicator.__dataclass_fields__
    out = []
    for r in rows:
        values = {k: (v or "").strip() for k, v in r.items() if k in fields and k != "in_catalogue"}
        values["statistic"] = values.get("statistic") or "rate"
        if values["statistic"] not in ("rate", "proportion"):
            raise InputError(
                f"{shown}: statistic for {values.get('id')!r} is {values['statistic']!r}",
                hint="use rate (per 10,000, Poisson limits) or proportion (%, Wilson limits)",
            )
        out.append(Indicator(**values))
    return out


@dataclass
class IndicatorData:
    """Ward counts read from one or more files, ready to roll up.

    ``values`` has one row per (ward, indicator): ``ward_code, ward_name, indicator, low, high,
    status, marker, period, file, row``. ``high`` is NaN where the count is unbounded.
    """

    values: pd.DataFrame
    indicators: list[Indicator]
    register: WardRegister
    report: Report
    sources: list[str]
    period: str | None = None
    illustrative: bool = False
    notes: list[str] = field(default_factory=list)
    #: The files read, as paths (``sources`` holds the names to show).
    paths: list[Path] = field(default_factory=list)
    #: Every period the files hold (the data itself is one of them).
    all_periods: list[str] = field(default_factory=list)

    def wards(self) -> list[str]:
        """Ward codes present in the data, in register order."""
        present = set(self.values["ward_code"].unique())
        return [c for c in self.register.codes if c in present]


@dataclass
class _Record:
    ward: str
    indicator: str
    count: Count
    period: str
    file: str
    row: int


@dataclass
class _Total:
    """A total row's cell; ``indicator`` is empty for the row itself (one per row, for the note)."""

    file: str
    row: int
    label: str
    indicator: str
    count: Count
    period: str


@dataclass
class _Parsed:
    records: list[_Record] = field(default_factory=list)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    totals: list[_Total] = field(default_factory=list)
    periods: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)


def bundled_periods() -> list[str]:
    """The periods of the bundled snapshots (``data/indicators/YYYY-MM``), oldest first.

    >>> bundled_periods()
    ['2019-02', '2020-02']
    """
    folder = data_dir() / "indicators"
    return sorted(
        p.name for p in folder.iterdir() if p.is_dir() and re.match(r"^\d{4}-\d{2}$", p.name)
    )


def default_data_path(period: str | None = None) -> Path:
    """The bundled snapshot folder for ``period``, or the latest one when no period is given."""
    periods = bundled_periods()
    if not periods:
        raise InputError("no bundled indicator snapshot found")
    if period is None:
        return data_dir() / "indicators" / periods[-1]
    if period not in periods:
        raise InputError(
            f"no bundled snapshot for period {period!r}",
            hint=f"bundled periods: {', '.join(periods)}; or give your own file with --data",
        )
    return data_dir() / "indicators" / period


def data_files(path: Path) -> list[Path]:
    """The indicator files a path stands for: the file itself, or every table in a folder."""
    if not path.exists():
        raise InputError(
            f"{display_path(path)}: not found", hint="give a CSV/XLSX file or a folder"
        )
    if path.is_file():
        return [path]
    files = sorted(
        p
        for p in path.iterdir()
        if p.suffix.lower() in TABLE_SUFFIXES
        and not p.name.startswith(("~$", "."))
        and not p.stem.lower().startswith("catalogue")
    )
    if not files:
        raise InputError(f"{display_path(path)}: folder holds no .csv or .xlsx files")
    return files


def validate_indicators(
    path: Path | str | None = None,
    *,
    register: WardRegister | None = None,
    catalogue: Sequence[Indicator] | None = None,
    period: str | None = None,
    sheet: str | None = None,
    ward_column: str | None = None,
    suppressed_range: tuple[int, int | None] = (0, None),
) -> tuple[IndicatorData | None, Report]:
    """Read and check indicator file(s), collecting every problem instead of stopping at the first.

    Returns the data (None when a problem prevents building it) and the report of errors,
    warnings and notes.

    >>> data, report = validate_indicators()
    >>> report.ok, len(data.wards())
    (True, 28)
    """
    register = register or load_register()
    catalogue = list(catalogue) if catalogue is not None else load_catalogue()
    report = Report()
    parsed = _Parsed()
    files = data_files(Path(path) if path is not None else default_data_path(period))
    for f in files:
        try:
            table = read_table(f, sheet)
        except InputError as exc:
            report.add(exc.message, hint=exc.hint)
            continue
        log.info(
            "read %s: %d rows, %s", table.source, len(table.rows), table.sheet or table.encoding
        )
        _parse_table(table, register, catalogue, parsed, report, ward_column, suppressed_range)
    chosen = _choose_period(parsed, period, report)
    records = [r for r in parsed.records if chosen is None or r.period in (chosen, "")]
    _check_duplicates(records, register, report)
    _check_totals(parsed, records, chosen, register, report)
    present = {r.ward for r in records}
    absent = [c for c in register.codes if c not in present]
    if records and absent:
        report.add(
            f"{len(absent)} of the {len(register)} wards have no data: "
            + ", ".join(register.name_of(c) for c in absent),
            severity="warning",
            hint="a scheme that uses them stops the rollup unless --allow-missing-wards is given",
        )
    if not records and not report.errors:
        report.add("no ward rows found", file=", ".join(display_path(f) for f in files))
    suppressed: dict[str, list[str]] = {}
    for r in records:
        if r.count.status == "suppressed":
            suppressed.setdefault(r.ward, []).append(f"{r.indicator} {r.count.marker}")
    if suppressed:
        cells = sum(len(v) for v in suppressed.values())
        report.add(
            f"{cells} suppressed cell(s), kept as ranges, not zeros: "
            + "; ".join(f"{register.name_of(w)} ({', '.join(v)})" for w, v in suppressed.items()),
            severity="note",
        )
    if report.errors:
        return None, report
    data = _build(records, parsed, register, chosen, [display_path(f) for f in files], report)
    data.paths = list(files)
    data.all_periods = sorted(parsed.periods)
    return data, report


def read_indicators(path: Path | str | None = None, **options: object) -> IndicatorData:
    """Read indicator file(s) and raise :class:`~localitymap.errors.InvalidInput` with the full report
    if anything is wrong. Options are those of :func:`validate_indicators`.

    >>> data = read_indicators(period="2019-02")  # a bundled, illustrative snapshot
    >>> data.period, data.illustrative
    ('2019-02', True)
    """
    data, report = validate_indicators(path, **options)  # type: ignore[arg-type]
    period = options.get("period")
    where = (
        path if path is not None else default_data_path(period if isinstance(period, str) else None)
    )
    report.raise_if_errors(display_path(where))
    assert data is not None
    return data


def _find_header(table: RawTable, ward_column: str | None) -> int | None:
    """Index of the header row: the first row naming a ward column (title rows above it skipped)."""
    wanted = {normalise_name(ward_column)} if ward_column else _CODE_HEADERS | _NAME_HEADERS
    for i, (_, cells) in enumerate(table.rows[:30]):
        keys = {normalise_name(c) for c in cells}
        if keys & wanted or (not ward_column and any(_WARD_VINTAGE_HEADER.match(k) for k in keys)):
            return i
    return None


def _classify(headers: list[str], ward_column: str | None) -> tuple[int | None, int | None]:
    """Positions of the ward code and ward name columns."""
    keys = [normalise_name(h) for h in headers]
    if ward_column:
        i = keys.index(normalise_name(ward_column))
        return (i, None) if "code" in keys[i] or keys[i].endswith("cd") else (None, i)
    code = next(
        (i for i, k in enumerate(keys) if k in _CODE_HEADERS or re.match(r"^wd\d\dcd$", k)), None
    )
    name = next(
        (i for i, k in enumerate(keys) if k in _NAME_HEADERS or re.match(r"^wd\d\dnm$", k)), None
    )
    return code, name


def _parse_table(
    table: RawTable,
    register: WardRegister,
    catalogue: list[Indicator],
    parsed: _Parsed,
    report: Report,
    ward_column: str | None,
    suppressed_range: tuple[int, int | None],
) -> None:
    src = table.source
    parsed.comments.extend(table.comments)
    comment_period = next(
        (c.split(":", 1)[1].strip() for c in table.comments if c.lower().startswith("period:")), ""
    )
    h = _find_header(table, ward_column)
    if h is None:
        first = table.rows[0][1] if table.rows else []
        expected = ward_column or "ward_code or ward_name"
        report.add(
            f"no ward column found (expected a column named {expected})",
            file=src,
            row=table.rows[0][0] if table.rows else None,
            hint=f"columns seen: {', '.join(repr(c) for c in first if c)[:200]}; "
            "name the column with --ward-column",
        )
        return
    header_row, headers = table.rows[h]
    if h > 0:
        report.add(
            f"skipped {h} title row(s) above the header", file=src, row=header_row, severity="note"
        )
    code_col, name_col = _classify(headers, ward_column)
    keys = [normalise_name(x) for x in headers]
    period_col = next((i for i, k in enumerate(keys) if k in _PERIOD), None)
    long_ind = next((i for i, k in enumerate(keys) if k in _LONG_INDICATOR), None)
    long_val = next((i for i, k in enumerate(keys) if k in _LONG_VALUE), None)
    is_long = long_ind is not None and long_val is not None
    # A crosswalk's output gives a range as an empty value with its bounds beside it.
    bound_cols = (keys.index("value low"), keys.index("value high")) if is_long and {
        "value low", "value high"} <= set(keys) else None  # fmt: skip
    by_key = {normalise_name(i.id): i for i in catalogue} | {
        normalise_name(i.label): i for i in catalogue
    }

    def indicator_for(header: str, row: int) -> Indicator | None:
        if not header:
            report.add("a column with values has no header", file=src, row=row)
            return None
        known = by_key.get(normalise_name(header))
        if known is None:
            ind = Indicator(id=slugify(header), label=header, in_catalogue=False)
            if ind.id not in parsed.indicators:
                report.add(
                    f"indicator {header!r} is not in the catalogue; used as given",
                    file=src,
                    row=header_row,
                    severity="note",
                )
            known = parsed.indicators.get(ind.id, ind)
        parsed.indicators.setdefault(known.id, known)
        return known

    skip = {code_col, name_col, period_col} | {
        i for i, k in enumerate(keys) if k in _IGNORED_HEADERS or (not k and not is_long)
    }
    wide_cols: list[tuple[int, Indicator]] = []
    if not is_long:
        seen_ids: dict[str, str] = {}
        for i, header in enumerate(headers):
            if i in skip:
                continue
            ind = indicator_for(header, header_row)
            if ind is None:
                continue
            if ind.id in seen_ids:
                report.add(
                    f"columns {seen_ids[ind.id]!r} and {header!r} are both {ind.label!r}",
                    file=src,
                    row=header_row,
                    hint="keep one of them",
                )
                continue
            seen_ids[ind.id] = header
            wide_cols.append((i, ind))
        if not wide_cols:
            report.add(
                "no indicator columns found",
                file=src,
                row=header_row,
                hint="one column per indicator, or long format: ward, indicator, value",
            )
            return

    for rownum, cells in table.rows[h + 1 :]:
        if not any(cells):
            continue
        cell = functools.partial(_cell_at, cells)
        ward_text = cell(code_col) or cell(name_col)
        period = cell(period_col) or comment_period
        if period:
            parsed.periods.add(period)
        if not ward_text:
            report.add("row has values but no ward", file=src, row=rownum)
            continue
        if register.is_total_label(ward_text):
            targets = (
                [(cell(long_val), indicator_for(cell(long_ind), rownum))]
                if is_long
                else [(cell(i), ind) for i, ind in wide_cols]
            )
            for text, ind in targets:
                if ind is not None:
                    try:
                        c = parse_count(text, suppressed_range)
                    except CellProblem:
                        continue
                    parsed.totals.append(_Total(src, rownum, ward_text, ind.id, c, period))
            parsed.totals.append(_Total(src, rownum, ward_text, "", Count(0, 0, "missing"), period))
            continue
        code = register.match(cell(code_col)) if cell(code_col) else None
        if code is None and cell(name_col):
            code = register.match(cell(name_col))
        if code is None:
            msg, hint = register.unknown_ward_problem(ward_text)
            report.add(msg, file=src, row=rownum, ward=ward_text, hint=hint)
            continue
        if cell(code_col) and cell(name_col):
            by_name = register.match(cell(name_col))
            if by_name is not None and by_name != code:
                report.add(
                    f"code {code} is {register.name_of(code)!r} but the row says {cell(name_col)!r}",
                    file=src,
                    row=rownum,
                    ward=code,
                    severity="warning",
                    hint="the code is used; check the row",
                )
        targets = (
            [(long_val, indicator_for(cell(long_ind), rownum))] if is_long else list(wide_cols)
        )
        for col, ind in targets:
            if ind is None or col is None:
                continue
            try:
                c = parse_count(cell(col), suppressed_range)
                if c.status == "missing" and bound_cols and cell(bound_cols[0]):
                    c = _bounds_count(cell(bound_cols[0]), cell(bound_cols[1]))
            except CellProblem as exc:
                report.add(
                    f"{register.name_of(code)}, {headers[col]}: {exc}",
                    file=src,
                    row=rownum,
                    field=headers[col],
                    ward=code,
                    hint=exc.hint,
                )
                continue
            if c.status == "missing":
                report.add(
                    f"{register.name_of(code)}: {ind.label} is empty (read as missing, not zero)",
                    file=src,
                    row=rownum,
                    field=headers[col],
                    ward=code,
                    severity="warning",
                )
            parsed.records.append(_Record(code, ind.id, c, period, src, rownum))


def _bounds_count(low_text: str, high_text: str) -> Count:
    """A count known only within ``value_low``/``value_high`` (an empty high is unbounded).

    >>> _bounds_count("2", "6")
    Count(low=2, high=6, status='suppressed', marker='2–6')
    >>> _bounds_count("3", "")
    Count(low=3, high=None, status='suppressed', marker='≥3')
    """
    low = parse_count(low_text)
    high = parse_count(high_text) if high_text.strip() else None
    if low.status != "value" or (high is not None and high.status != "value"):
        raise CellProblem(f"bounds {low_text!r}–{high_text!r} are not counts",
                          "value_low and value_high must be whole numbers")  # fmt: skip
    if high is not None and high.low < low.low:
        raise CellProblem(f"value_high {high.low} is below value_low {low.low}",
                          "correct the bounds")  # fmt: skip
    if high is None:
        return Count(low.low, None, "suppressed", f"≥{low.low}")
    return Count(low.low, high.low, "suppressed", f"{low.low}–{high.low}")


def _cell_at(cells: list[str], i: int | None) -> str:
    """The text at column ``i`` of a row, empty when the row is short or the column absent."""
    return cells[i] if i is not None and i < len(cells) else ""


def _choose_period(parsed: _Parsed, period: str | None, report: Report) -> str | None:
    periods = sorted(parsed.periods)
    if period is not None:
        if periods and period not in periods:
            report.add(
                f"period {period!r} is not in the data", hint=f"periods found: {', '.join(periods)}"
            )
        return period
    if len(periods) > 1:
        report.add(
            f"the data holds {len(periods)} periods; using the latest, {periods[-1]}",
            severity="note",
            hint=f"choose another with --period ({', '.join(periods)})",
        )
    return periods[-1] if periods else None


def _check_duplicates(records: list[_Record], register: WardRegister, report: Report) -> None:
    """One problem per repeated row (not per cell), pointing back at the first occurrence."""
    first: dict[tuple[str, str], _Record] = {}
    repeats: dict[tuple[str, int, str, int, str], list[str]] = {}
    for r in records:
        key = (r.ward, r.indicator)
        if key in first:
            f = first[key]
            repeats.setdefault((r.file, r.row, f.file, f.row, r.ward), []).append(r.indicator)
        else:
            first[key] = r
    for (file, row, f_file, f_row, ward), indicators in repeats.items():
        where = f"row {f_row}" if f_file == file else f"{f_file}:{f_row}"
        what = f" for {indicators[0]}" if len(indicators) == 1 else ""
        report.add(
            f"ward {register.name_of(ward)} appears twice{what} (also {where})",
            file=file,
            row=row,
            ward=ward,
            hint="remove the duplicate row, or split periods with a period column",
        )


def _check_totals(
    parsed: _Parsed,
    records: list[_Record],
    period: str | None,
    register: WardRegister,
    report: Report,
) -> None:
    """A total row is excluded, but only after checking it against the sum of the wards."""
    sums: dict[str, tuple[int, int | None]] = {}
    for r in records:
        lo, hi = sums.get(r.indicator, (0, 0))
        sums[r.indicator] = (
            lo + r.count.low,
            None if hi is None or r.count.high is None else hi + r.count.high,
        )
    for t in parsed.totals:
        if period is not None and t.period not in ("", period):
            continue
        if not t.indicator:
            report.add(
                f"total row {t.label!r} excluded from the wards (checked against their sum)",
                file=t.file,
                row=t.row,
                severity="note",
            )
            continue
        if t.indicator not in sums or t.count.status != "value":
            continue
        lo, hi = sums[t.indicator]
        if t.count.low < lo or (hi is not None and t.count.low > hi):
            expected = (
                f"{lo:,}" if hi == lo else (f"{lo:,}–{hi:,}" if hi is not None else f"≥{lo:,}")
            )
            report.add(
                f"total row {t.label!r} gives {t.count.low:,} for {t.indicator} "
                f"but the wards add up to {expected}",
                file=t.file,
                row=t.row,
                field=t.indicator,
                hint="check that the total covers the same wards, or delete the total row",
            )


def _build(
    records: list[_Record],
    parsed: _Parsed,
    register: WardRegister,
    period: str | None,
    sources: list[str],
    report: Report,
) -> IndicatorData:
    import numpy as np
    import pandas as pd

    order = {c: i for i, c in enumerate(register.codes)}
    ind_order = {k: i for i, k in enumerate(parsed.indicators)}
    records.sort(key=lambda r: (ind_order[r.indicator], order[r.ward]))
    values = pd.DataFrame(
        {
            "ward_code": [r.ward for r in records],
            "ward_name": [register.name_of(r.ward) for r in records],
            "indicator": [r.indicator for r in records],
            "low": np.array([r.count.low for r in records], dtype="float64"),
            "high": np.array(
                [np.nan if r.count.high is None else r.count.high for r in records], dtype="float64"
            ),
            "status": [r.count.status for r in records],
            "marker": [r.count.marker for r in records],
            "period": [r.period or (period or "") for r in records],
            "file": [r.file for r in records],
            "row": [r.row for r in records],
        }
    )
    notes = [c for c in parsed.comments if not c.lower().startswith("period:")]
    return IndicatorData(
        values=values,
        indicators=list(parsed.indicators.values()),
        register=register,
        report=report,
        sources=sources,
        period=period,
        illustrative=any("illustrative" in c.lower() for c in parsed.comments),
        notes=list(dict.fromkeys(notes)),
    )
