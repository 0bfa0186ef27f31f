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
from typing import TYPE_CHECKING, Any, Literal

from localitymap.errors import InputError, Report
from localitymap.inputs.files import (
    TABLE_SUFFIXES,
    RawTable,
    clean_cell,
    note_input,
    quote_sheet,
    read_table,
)
from localitymap.inputs.periods import Period, latest, normalise_period, ordered, parse_periods
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
#: Numbers as a semicolon-separated (continental) export writes them: ``2.000`` and ``1.425,0``.
_NUMBER_DECIMAL_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
#: ``2.000`` in a comma file: two, or two thousand with a thousands point? Not guessed.
_AMBIGUOUS_POINT = re.compile(r"^[+-]?\d{1,3}(\.000)+$")
_EXCEL_ERROR = re.compile(
    r"^#(N/A|REF!|VALUE!|DIV/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)$", re.I
)
#: No ward or borough has a billion children: a larger "count" is an id, a date or a paste error
#: (and above 2**53 it would not even survive as a float).
MAX_COUNT = 1_000_000_000

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
    benchmark: str = ""  # the DfE LAIT measure that puts it in context (data/benchmarks)
    in_catalogue: bool = True
    #: A few words for column headers and charts ("CP plans"); the label when empty.
    short_label: str = ""

    @property
    def short(self) -> str:
        """The short label, or the label."""
        return self.short_label or self.label


class CellProblem(ValueError):
    """A cell that is not a count; the message says what is wrong, ``hint`` what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def parse_count(
    text: str,
    suppressed_range: tuple[int, int | None] = (0, None),
    *,
    decimal_comma: bool = False,
) -> Count:
    """Parse one cell. Raises :class:`CellProblem` for negatives, fractions, non-numbers and
    counts above :data:`MAX_COUNT`.

    ``suppressed_range`` is what a bare marker (``*``, ``c``, ``x``...) may stand for; the default
    claims nothing beyond "at least 0". ``decimal_comma`` reads ``.`` as the thousands mark and
    ``,`` as the decimal mark, as semicolon-separated exports write numbers.

    >>> parse_count("c", suppressed_range=(1, 4))
    Count(low=1, high=4, status='suppressed', marker='c')
    >>> parse_count("")
    Count(low=0, high=None, status='missing', marker='')
    >>> parse_count("2.000", decimal_comma=True).low
    2000
    """
    t = text.strip()
    if not t:
        return Count(0, None, "missing")
    if t.lower() in SUPPRESSION_MARKERS:
        return Count(suppressed_range[0], suppressed_range[1], "suppressed", t)
    m = _LESS_THAN.match(t)
    if m:
        bound = int(m.group(1))
        if bound > MAX_COUNT:
            raise CellProblem(
                f"{t} is not a plausible bound (above {MAX_COUNT:,})", "check the cell"
            )
        # "<5" hides 1-4: zeros are published as 0 under every common convention.
        high = bound if "=" in t else bound - 1
        return Count(min(1, high), high, "suppressed", t)
    # Spaces, no-break and thin spaces are thousands marks in UK and French exports alike.
    compact = re.sub(r"[ \u2009\u202f]", "", t)
    if decimal_comma:
        if _NUMBER_DECIMAL_COMMA.match(compact):
            compact = compact.replace(".", "").replace(",", ".")
        elif _NUMBER.match(compact) and "." in compact:
            raise CellProblem(
                f"{t!r} has a decimal point, but in this semicolon-separated file '.' is the "
                "thousands mark and ',' the decimal mark",
                "write the count as a whole number (e.g. 1.425 or 1425 for one thousand four "
                "hundred and twenty-five)",
            )
    elif _AMBIGUOUS_POINT.match(compact):
        raise CellProblem(
            f"{t!r} could be {t.split('.')[0]} or {compact.replace('.', '')} (a thousands point)",
            "write the count without a point (e.g. 2000), or export the file with ';' separators "
            "if '.' marks thousands",
        )
    if not _NUMBER.match(compact):
        if _EXCEL_ERROR.match(t):
            raise CellProblem(
                f"{t!r} is an Excel error value, not a count",
                "correct the formula in the workbook (or type the count), then export again",
            )
        if re.match(r"^\d(\.\d+)?e[+-]?\d+$", compact, re.I):
            raise CellProblem(
                f"{t!r} is in scientific notation (Excel shortens long numbers so), not a count",
                "format the column as Number with 0 decimal places and export again",
            )
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
    n = int(compact.replace(",", "").split(".")[0].lstrip("+"))
    if n > MAX_COUNT:
        raise CellProblem(
            f"{t} is not a plausible count (above {MAX_COUNT:,})",
            "check the cell: an id, a date or a pasted total may have landed in a count column",
        )
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
    note_input(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    if not rows or not {"id", "label"} <= set(rows[0]):
        raise InputError(f"{shown}: a catalogue needs at least the columns id and label")
    fields = Indicator.__dataclass_fields__
    out = []
    seen: dict[str, tuple[str, int]] = {}  # "id:<normalised>" or "label:<...>" -> first entry
    for line, r in enumerate(rows, start=2):
        values = {
            k: clean_cell(v or "")[0]
            for k, v in r.items()
            if k in fields and k != "in_catalogue" and isinstance(v, str | None)
        }
        if not values.get("id") or not values.get("label"):
            raise InputError(
                f"{shown}: an entry has no id or no label (data row {line - 1})",
                hint="give every indicator an id and a label",
            )
        for what in ("id", "label"):
            key = normalise_name(values[what])
            prior = seen.get(f"{what}:{key}")
            if prior is not None:
                raise InputError(
                    f"{shown}: indicators {prior[0]!r} and {values['id']!r} have the same {what} "
                    f"{values[what]!r}",
                    hint=f"give each indicator its own {what}: tables, workbooks and reports "
                    "show indicators by label",
                )
            seen[f"{what}:{key}"] = (values["id"], line)
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
    #: The periods as printed (one spelling each), oldest first; set by :func:`_choose_period`.
    periods_in_order: list[str] = field(default_factory=list)


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
    period = normalise_period(period)
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
    files = data_files(Path(path) if path is not None else default_data_path(period))
    key = _parse_key(files, register, catalogue, sheet, ward_column, suppressed_range)
    cached = _PARSED.get(key) if key is not None else None
    if cached is not None:
        # The same files, unchanged, read the same way: a multi-period file is parsed once for
        # all its periods (a comparison or trend asks for each period in turn).
        parsed, problems = cached
        report.extend(problems)
    else:
        parsed = _Parsed()
        for f in files:
            try:
                table = read_table(f, sheet)
            except InputError as exc:
                report.add(exc.message, hint=exc.hint)
                continue
            log.info(
                "read %s: %d rows, %s", table.source, len(table.rows), table.sheet or table.encoding
            )
            hint = None
            if table.sheets and sheet is None and _find_header(table, ward_column) is None:
                hint = _sheet_hint(f, table, ward_column)
            _parse_table(
                table, register, catalogue, parsed, report, ward_column, suppressed_range, hint
            )
        if key is not None:
            _PARSED.clear()  # one exercise's files at a time: memory stays that of one read
            _PARSED[key] = (parsed, list(report.problems))
    before = len(report.errors)
    chosen = _choose_period(parsed, period, report)
    records = [r for r in parsed.records if chosen is None or r.period in (chosen, "")]
    if len(report.errors) == before:  # else every ward of every period would be a "duplicate"
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
    data.all_periods = list(parsed.periods_in_order)
    return data, report


#: The last parse, by what it was read from and how (see :func:`_parse_key`).
_PARSED: dict[tuple[Any, ...], tuple[_Parsed, list[Any]]] = {}


def _parse_key(
    files: list[Path], register: WardRegister, catalogue: list[Indicator], sheet: str | None,
    ward_column: str | None, suppressed_range: tuple[int, int | None],
) -> tuple[Any, ...] | None:  # fmt: skip
    """What a parse depends on: each file's path and content (a digest: a time stamp can be
    coarse, or put back, and an edited file must never be served from the last parse), and every
    reading option."""
    import hashlib

    try:
        stamps = []
        for f in files:
            with f.open("rb") as fh:
                stamps.append((str(f.resolve()), hashlib.file_digest(fh, "sha256").hexdigest()))
    except OSError:
        return None
    return (tuple(stamps), register.codes, register.names, tuple(catalogue), sheet, ward_column,
            tuple(suppressed_range))  # fmt: skip


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


def _sheet_hint(path: Path, table: RawTable, ward_column: str | None) -> str:
    """For a workbook whose first sheet has no ward table: its sheets, and the one that has."""
    names = ", ".join(repr(n) for n in table.sheets)
    for name in table.sheets:
        if name == table.sheet:
            continue
        try:
            other = read_table(path, name)
        except InputError:
            continue
        if _find_header(other, ward_column) is not None:
            return (
                f"the ward table seems to be on sheet {name!r} (sheets: {names}); "
                f"choose it with --sheet {quote_sheet(name)}"
            )
    return f"the workbook's sheets are {names}; choose the one with the ward table with --sheet"


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
    sheet_hint: str | None = None,
) -> None:
    src = table.source
    parsed.comments.extend(table.comments)
    decimal_comma = table.delimiter == ";"
    if table.cleaned:
        cells = ", ".join(f"row {r} column {_column_name(c)}" for r, c, _ in table.cleaned[:5])
        more = f" and {len(table.cleaned) - 5} more" if len(table.cleaned) > 5 else ""
        codes = " ".join(dict.fromkeys(" ".join(x for _, _, x in table.cleaned).split()))
        report.add(
            f"removed control or invisible direction characters ({codes}) from "
            f"{len(table.cleaned)} cell(s): {cells}{more}",
            file=src,
            severity="warning",
            hint="they can hide or reorder text; check those cells read as intended",
        )
    comment_period = next(
        (c.split(":", 1)[1].strip() for c in table.comments if c.lower().startswith("period:")), ""
    )
    h = _find_header(table, ward_column)
    if h is None:
        first = table.rows[0][1] if table.rows else []
        expected = ward_column or "ward_code or ward_name"
        hint = (
            f"columns seen: {', '.join(repr(c) for c in first if c)[:200]}; "
            "name the column with --ward-column"
        )
        if sheet_hint:
            hint = sheet_hint
        report.add(
            f"no ward column found (expected a column named {expected})",
            file=src,
            row=table.rows[0][0] if table.rows else None,
            hint=hint,
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
    if _two_row_header(table, h, code_col, name_col, keys, report):
        return
    _check_unnamed_columns(table, h, keys, report)

    no_period: list[int] = []
    stated = False
    unknown_names: list[str] = []
    unknown_codes: list[str] = []
    # A national file repeats a few thousand ward texts and a few hundred count texts over
    # millions of cells: each is read once (what it means depends only on its text here).
    count_of = functools.lru_cache(maxsize=1 << 14)(
        functools.partial(
            parse_count, suppressed_range=suppressed_range, decimal_comma=decimal_comma
        )
    )
    is_total = functools.lru_cache(maxsize=1 << 16)(register.is_total_label)
    match = functools.lru_cache(maxsize=1 << 16)(register.match)
    for rownum, cells in table.rows[h + 1 :]:
        if not any(cells):
            continue
        cell = functools.partial(_cell_at, cells)
        if (
            normalise_name(cells[0]) == keys[0]
            and [normalise_name(c) for c in cells[: len(keys)]] == keys
        ):
            report.add(
                f"the header row repeats here (also row {header_row}): two exports pasted together?",
                file=src,
                row=rownum,
                hint="delete the repeated header, and check the rows after it are not duplicates",
            )
            continue
        ward_text = cell(code_col) or cell(name_col)
        period = cell(period_col) or comment_period
        if period:
            parsed.periods.add(period)
            stated = True
        elif period_col is not None and ward_text:
            no_period.append(rownum)
        if not ward_text:
            report.add("row has values but no ward", file=src, row=rownum)
            continue
        if is_total(ward_text):
            targets = (
                [(cell(long_val), indicator_for(cell(long_ind), rownum))]
                if is_long
                else [(cell(i), ind) for i, ind in wide_cols]
            )
            for text, ind in targets:
                if ind is not None:
                    try:
                        c = parse_count(text, suppressed_range, decimal_comma=decimal_comma)
                    except CellProblem:
                        continue
                    parsed.totals.append(_Total(src, rownum, ward_text, ind.id, c, period))
            parsed.totals.append(_Total(src, rownum, ward_text, "", Count(0, 0, "missing"), period))
            continue
        # A code is matched on its own: a name beside a code it contradicts (an old ward code, a
        # neighbour's code) must not quietly turn the row into the named ward.
        code_text, name_text = cell(code_col), cell(name_col)
        code = match(code_text if code_text else name_text)
        if code is None:
            msg, hint = register.unknown_ward_problem(ward_text)
            if code_text and name_text and register.match(name_text):
                hint = (
                    f"the row's name {name_text!r} is a current ward but its code is not; "
                    "correct the code (or clear it to match by name)"
                )
            report.add(msg, file=src, row=rownum, ward=ward_text, hint=hint)
            if name_text:
                unknown_names.append(name_text)
            if code_text:
                unknown_codes.append(code_text)
            continue
        if code_text and name_text:
            by_name = match(name_text)
            # A name several authorities use matches no ward alone, but is still this ward's.
            if by_name != code and not register.is_name_of(name_text, code):
                named = f"{name_text!r}" + (
                    f" ({by_name})" if by_name else " (not a current ward name)"
                )
                report.add(
                    f"code {code} is {register.name_of(code)!r} but the row names {named}",
                    file=src,
                    row=rownum,
                    ward=code,
                    hint="correct the code or the name so they agree",
                )
                continue
        targets = (
            [(long_val, indicator_for(cell(long_ind), rownum))] if is_long else list(wide_cols)
        )
        for col, ind in targets:
            if ind is None or col is None:
                continue
            try:
                c = count_of(cell(col))
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
    if no_period and stated:
        listed = ", ".join(map(str, no_period[:10])) + (" ..." if len(no_period) > 10 else "")
        report.add(
            f"{len(no_period)} row(s) have no period although other rows of the file have one "
            f"(rows {listed})",
            file=src,
            row=no_period[0],
            field=headers[period_col] if period_col is not None else None,
            hint="fill in the period of each row, or delete the column if the file holds one period",
        )
    previous = register.previous_vintage(unknown_names)
    if previous is not None and len(unknown_names) + len(unknown_codes) >= 3:
        vintage, names = previous
        report.add(
            f"the file is on {register.lad_name}'s {vintage} wards ({', '.join(names[:4])}"
            f"{' ...' if len(names) > 4 else ''}), not the {len(register)} wards of {register.vintage}",
            file=src,
            hint="move the counts to the current wards with `localitymap crosswalk` first",
        )
    elif (
        unknown_codes
        and len(unknown_codes) >= 3
        and not parsed_any_code(register, table, h, code_col)
    ):
        report.add(
            f"none of the file's ward codes are {register.lad_name}'s current wards "
            f"({register.vintage}), e.g. {', '.join(unknown_codes[:3])}",
            file=src,
            hint="if the file is on older ward boundaries, move it to the current wards with "
            "`localitymap crosswalk`; if it is another authority's, use its ward register",
        )


def parsed_any_code(register: WardRegister, table: RawTable, h: int, code_col: int | None) -> bool:
    """True when any row's ward code is one of the register's."""
    return code_col is not None and any(
        _cell_at(cells, code_col).strip().upper() in register for _, cells in table.rows[h + 1 :]
    )


def _column_name(index: int) -> str:
    """A column as a spreadsheet names it: 0 -> A, 27 -> AB."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def _two_row_header(
    table: RawTable,
    h: int,
    code_col: int | None,
    name_col: int | None,
    keys: list[str],
    report: Report,
) -> bool:
    """A header split over two rows (a merged group row such as "Social care" over the column
    names): the row under the header has no ward but names in the header's gaps."""
    if h + 1 >= len(table.rows):
        return False
    rownum, below = table.rows[h + 1]
    if _cell_at(below, code_col) or _cell_at(below, name_col):
        return False
    texts = [i for i, c in enumerate(below) if c and not re.match(r"^[\d.,<>*\s-]+$", c)]
    gaps = [i for i in texts if i >= len(keys) or not keys[i]]
    if len(texts) < 2 or not gaps:
        return False
    report.add(
        f"the header runs over two rows ({table.rows[h][0]} and {rownum}): column names are "
        "under a merged group row",
        file=table.source,
        row=rownum,
        hint=f"keep one header row: delete row {table.rows[h][0]}'s group labels and put the "
        f"ward column's name in row {rownum}, or unmerge and name every column in one row",
    )
    return True


def _check_unnamed_columns(table: RawTable, h: int, keys: list[str], report: Report) -> None:
    """Values under an empty header, or past the last header, would be dropped unseen."""
    rows_by_col: dict[int, list[int]] = {}
    for rownum, cells in table.rows[h + 1 :]:
        for i, c in enumerate(cells):
            if c and (i >= len(keys) or not keys[i]):
                rows_by_col.setdefault(i, []).append(rownum)
    for i, rows in sorted(rows_by_col.items()):
        listed = ", ".join(map(str, rows[:5])) + (" ..." if len(rows) > 5 else "")
        where = "past the last header" if i >= len(keys) else "under an empty header"
        report.add(
            f"column {_column_name(i)} has {len(rows)} value(s) {where} (rows {listed})",
            file=table.source,
            row=rows[0],
            hint="give the column a header naming its indicator, or delete the values",
        )


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
    """The period to use, as printed: ``period`` when given (in any spelling), else the latest.
    Every record and total is rewritten to the printed spelling, so ``Feb 2019`` and ``2019-02``
    are one period. Periods that cannot be read are refused when a choice among them is needed."""
    meaning = parse_periods(sorted(parsed.periods))
    unreadable = [t for t, p in meaning.items() if p is None]
    printed = {t: (p.text if p is not None else t) for t, p in meaning.items()}
    for r in parsed.records:
        r.period = printed.get(r.period, r.period)
    for t in parsed.totals:
        t.period = printed.get(t.period, t.period)
    known: dict[str, Period] = {p.text: p for p in meaning.values() if p is not None}
    distinct = list(dict.fromkeys(printed.values()))
    parsed.periods_in_order = [p.text for p in ordered(known.values())] + [
        t for t in distinct if t not in known
    ]
    if period is not None:
        wanted = normalise_period(period)
        if not distinct:
            report.add(
                f"--period {period} was given, but the data states no period",
                hint="leave out --period, or give the data a period column or a "
                "'# period: ...' first line",
            )
        elif wanted not in distinct:
            report.add(
                f"period {period!r} is not in the data",
                hint=f"periods found: {', '.join(parsed.periods_in_order)}",
            )
        return wanted
    if len(distinct) <= 1:
        return distinct[0] if distinct else None
    if unreadable:
        report.add(
            "cannot tell which period is the latest: "
            + ", ".join(repr(t) for t in unreadable)
            + (" is not a period" if len(unreadable) == 1 else " are not periods")
            + " this tool can put in order",
            hint="write periods as e.g. 2019-02, Feb 2019, 2019/20 or 2019 Q1, or choose one "
            "with --period",
        )
        return None
    try:
        chosen = latest(known.values()).text
    except InputError as exc:
        report.add(exc.message, hint=exc.hint)
        return None
    report.add(
        f"the data holds {len(distinct)} periods; using the latest, {chosen}",
        severity="note",
        hint=f"choose another with --period ({', '.join(parsed.periods_in_order)})",
    )
    return chosen


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
            checked = any(
                o.file == t.file and o.row == t.row and o.indicator in sums
                and o.count.status == "value"
                for o in parsed.totals
            )  # fmt: skip
            how = "checked against their sum" if checked else "not checked: it holds no counts"
            report.add(
                f"total row {t.label!r} excluded from the wards ({how})",
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
