"""``localitymap assign``: case records to the ward table that ``rollup`` reads."""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import err, handle_errors

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.model.assign import Assignment
    from localitymap.publication.disclosure import Policy

#: Inputs with more rows than this get a progress bar (smaller ones finish before it would draw).
PROGRESS_ROWS = 100_000


@handle_errors
def assign_command(
    ctx: typer.Context,
    cases: Annotated[
        Path | None,
        typer.Argument(help="Case records: CSV, XLSX or Parquet, one row per child/case/episode."),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Ward table to write (CSV), as rollup reads.")
    ] = Path("ward_counts.csv"),
    category_col: Annotated[
        str | None,
        typer.Option("--category-col", help="Column whose values become one count column each."),
    ] = None,
    indicator: Annotated[
        str | None,
        typer.Option("--indicator", "-i", help="Name of the single count column (default: cases)."),
    ] = None,
    postcode_col: Annotated[
        str | None, typer.Option("--postcode-col", help="Column holding postcodes.")
    ] = None,
    easting_col: Annotated[
        str | None, typer.Option("--easting-col", help="Column holding eastings (EPSG:27700).")
    ] = None,
    northing_col: Annotated[
        str | None, typer.Option("--northing-col", help="Column holding northings (EPSG:27700).")
    ] = None,
    lat_col: Annotated[str | None, typer.Option("--lat-col", help="Latitude (WGS84).")] = None,
    lon_col: Annotated[str | None, typer.Option("--lon-col", help="Longitude (WGS84).")] = None,
    person_col: Annotated[
        str | None, typer.Option("--person-col", help="Person id column (joins --ssd-address).")
    ] = None,
    ssd_address: Annotated[
        Path | None,
        typer.Option("--ssd-address", help="SSD ssd_address table: locate people by address."),
    ] = None,
    as_at: Annotated[
        str | None,
        typer.Option("--as-at", help="Date for --ssd-address (default: end of --period's month)."),
    ] = None,
    address_type: Annotated[
        list[str] | None,
        typer.Option("--address-type", help="Only these SSD address types; repeat for more."),
    ] = None,
    postcodes: Annotated[
        Path | None,
        typer.Option(
            "--postcodes", help="ONSPD/NSPL file (CSV or zip) instead of the bundled one."
        ),
    ] = None,
    exercise: opt.Exercise = None,
    wards: opt.Wards = None,
    ward_code_column: opt.WardCodeColumn = None,
    ward_name_column: opt.WardNameColumn = None,
    period: opt.Period = None,
    disclosure: Annotated[
        bool,
        typer.Option(
            "--disclosure",
            help="For sharing: mark counts under the exercise's disclosure threshold "
            "(its policy, or threshold5 when it states none).",
        ),
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Rows not placed (default: OUTPUT.rejects.csv)."),
    ] = None,
    keep_fields: Annotated[
        bool,
        typer.Option(
            "--keep-fields", help="Rejects also carry the record's fields (internal use)."
        ),
    ] = False,
    summary: Annotated[
        Path | None, typer.Option("--summary", help="Also write the summary to this CSV.")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX sheet name.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")] = False,
) -> None:
    """Count case records per ward of the exercise's boundaries, offline.

    Each record's location is its easting/northing, latitude/longitude or postcode (resolved
    with the bundled ONS Postcode Directory, or --postcodes). Rows that cannot be placed are
    counted by reason; the summary shows they add up to the input.

    Example: localitymap assign cp_plans.csv --indicator cp_plans -o ward_counts.csv
    """
    from localitymap.cli._common import Provenance, command_line, write_provenance
    from localitymap.exercise import PUBLIC_DEFAULT, Exercise
    from localitymap.model.assign import assign_records, exercise_wards
    from localitymap.outputs import write_atomic
    from localitymap.publication.disclosure import get_policy

    if cases is None and ssd_address is None:
        raise typer.BadParameter("give a cases file, or --ssd-address", param_hint="CASES")
    if category_col and indicator:
        raise typer.BadParameter("use --category-col or --indicator, not both")
    rejects_path = rejects or output.with_name(output.stem + ".rejects.csv")
    for target in (output, rejects_path, summary):
        if target is not None and target.exists() and not force:
            raise typer.BadParameter(f"{target} exists; add --force to replace it")
    # The exercise (its file, or the bundled Croydon one) says which wards and which period:
    # records are placed on *its* boundaries, whatever vintage the postcode directory is.
    ex = Exercise.load(exercise, wards=wards, ward_code_column=ward_code_column,
                       ward_name_column=ward_name_column, period=period)  # fmt: skip
    if ex.settings.path is not None:
        err(f"exercise: {ex.settings.path.name}")
    period = ex.settings.period
    policy = get_policy("none")
    if disclosure:
        policy = ex.policy if ex.policy.threshold else get_policy(PUBLIC_DEFAULT)
    if ssd_address is not None and as_at is None:
        as_at = _end_of_month(period)
        if as_at is None:
            raise typer.BadParameter("--ssd-address needs --as-at YYYY-MM-DD (or --period YYYY-MM)")
        err(f"note: addresses taken as at {as_at}, the end of the period")
    wards_ = exercise_wards(ex)
    for line in wards_.warnings:
        err(f"warning: {line}")
    index, names, boundary_path = wards_.index, wards_.names, wards_.path
    directory = None
    if postcodes is not None:
        from localitymap.inputs.postcodes import PostcodeDirectory

        directory = PostcodeDirectory.from_file(postcodes, as_at=as_at)
    columns = {
        "postcode": postcode_col, "easting": easting_col, "northing": northing_col,
        "latitude": lat_col, "longitude": lon_col, "person_id": person_col,
    }  # fmt: skip
    with _progress(cases) as tick:
        result = assign_records(
            cases, index, names, directory=directory, columns=columns, category=category_col,
            indicator=indicator or "cases", ssd_address=ssd_address, as_at=as_at,
            address_types=address_type, keep_fields=keep_fields, sheet=sheet, progress=tick,
        )  # fmt: skip
    table = _ward_table(result.counts, policy)
    lines = [
        f"# Counted by localitymap assign from {result.rows} input {result.unit}"
        + (f", addresses as at {as_at}" if ssd_address is not None else "")
        + f"; boundaries: {boundary_path.name if boundary_path else 'bundled'}.",
        f"# Disclosure control: {policy.id}"
        + (
            f" (counts 1 to {policy.threshold} shown as {policy.symbol}; "
            f"rollup --suppressed-range 1-{policy.threshold} reads them as such)"
            if policy.threshold
            else ""
        ),
    ]
    if period:
        lines.append(f"# period: {period}")
    write_atomic(output, "\n".join(lines) + "\n" + table.to_csv(index=False), force=force)
    err(f"wrote {output}")
    attrs = {"period": period or "", "disclosure": policy.id,
             "boundaries": boundary_path.name if boundary_path else "bundled"}  # fmt: skip
    files = [("exercise", ex.settings.path)] if ex.settings.path is not None else []
    files += [(role, p) for role, p in (("cases", cases), ("ssd address", ssd_address),
                                        ("postcode directory", postcodes)) if p is not None]  # fmt: skip
    if boundary_path is not None:
        files.append(("boundaries", boundary_path))
    write_provenance(output, Provenance(files, attrs, None, command_line(ctx)))
    if len(result.rejects):
        write_atomic(rejects_path, result.rejects.to_csv(index=False), force=force)
        err(f"wrote {rejects_path} ({len(result.rejects)} rows not placed)")
    shown = _summary_table(result, policy)
    if summary is not None:
        write_atomic(summary, shown.to_csv(index=False), force=force)
        err(f"wrote {summary}")
    _print_summary(shown, result)


def _end_of_month(period: str | None) -> str | None:
    import re

    import pandas as pd

    if period and re.fullmatch(r"\d{4}-\d{2}", period.strip()):
        return (pd.Timestamp(period.strip() + "-01") + pd.offsets.MonthEnd(0)).strftime("%Y-%m-%d")
    return None


def _mark(values: list[int], policy: "Policy") -> list[object]:
    """Counts 1..threshold become the policy's symbol; zeros and larger counts stay numbers."""
    return [policy.symbol if 0 < v <= policy.threshold else int(v) for v in values]


def _ward_table(counts: "pd.DataFrame", policy: "Policy") -> "pd.DataFrame":
    """Counts per ward, small ones marked with the policy's symbol (as any input would carry)."""
    table = counts.reset_index()
    for col in table.columns[2:]:
        table[col] = _mark(table[col].tolist(), policy)
    # Ward names come from the boundary file: never let one start a spreadsheet formula.
    table["ward_name"] = [
        "'" + n if str(n)[:1] in ("=", "+", "-", "@", "\t", "\r") else n for n in table["ward_name"]
    ]
    return table


def _summary_table(result: "Assignment", policy: "Policy") -> "pd.DataFrame":
    frame = result.summary()
    frame["rows"] = _mark(frame["rows"].tolist(), policy)
    return frame


def _print_summary(shown: "pd.DataFrame", result: "Assignment") -> None:
    for reason, rows in shown.itertuples(index=False):
        err(f"  {reason:<40} {rows:>10}")
    ok = "reconciles" if result.reconciles else "DOES NOT reconcile"
    err(f"summary: assigned plus every reason {ok} with the input {result.unit}")
    for note, n in result.notes.items():
        if n:
            err(f"note: {note}: {n}")


class _progress:
    """A rich progress bar on stderr for large inputs; a no-op callback otherwise."""

    def __init__(self, cases: Path | None) -> None:
        from localitymap.inputs.cases import estimate_rows

        self.total = estimate_rows(cases) if cases is not None and cases.is_file() else None
        self.bar = None

    def __enter__(self) -> Callable[[int], None] | None:
        if not self.total or self.total < PROGRESS_ROWS:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self.bar = Progress(
            "assigning", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True,
        )  # fmt: skip
        self.bar.start()
        task = self.bar.add_task("rows", total=self.total)

        def tick(done: int) -> None:
            assert self.bar is not None
            self.bar.update(task, completed=done, total=max(done, self.total or 0))

        return tick

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
