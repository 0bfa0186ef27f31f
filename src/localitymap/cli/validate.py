"""``localitymap validate``: check indicator files and report every problem, without rolling up."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import emit, handle_errors, parse_range
from localitymap.errors import EXIT_VALIDATE


class ReportFormat(StrEnum):
    table = "table"
    csv = "csv"


@handle_errors
def validate_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Indicator CSV/XLSX file or folder to check.")],
    scheme: Annotated[
        str | None, typer.Option("--scheme", "-s", help="Also check coverage against this scheme.")
    ] = None,
    period: opt.Period = None,
    register: opt.Register = None,
    catalogue: opt.Catalogue = None,
    sheet: opt.Sheet = None,
    ward_column: opt.WardColumn = None,
    suppressed_range: opt.SuppressedRange = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="table (on screen) or csv (one row per problem)."),
    ] = ReportFormat.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the problems to this file.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing output file.")
    ] = False,
) -> None:
    """Check indicator file(s): wards, counts, suppression, duplicates and total rows.

    Prints every problem found (row, field, problem, what to do). Exits 3 if any is an error.

    Example: localitymap validate ward_counts.xlsx --scheme icn6 --sheet "Feb 2019"
    """
    from localitymap.inputs.indicators import load_catalogue, validate_indicators
    from localitymap.inputs.wards import load_register

    reg = load_register(register)
    data, report = validate_indicators(
        path,
        register=reg,
        catalogue=load_catalogue(catalogue),
        period=period,
        sheet=sheet,
        ward_column=ward_column,
        suppressed_range=parse_range(suppressed_range),
    )
    if scheme is not None:
        from localitymap.errors import SchemeError
        from localitymap.inputs.schemes import check_scheme, load_scheme

        try:
            sch = load_scheme(scheme, reg)
        except SchemeError as exc:
            report.extend(exc.report)
        else:
            report.extend(check_scheme(sch, reg))
            if data is not None:
                present = set(data.wards())
                for loc, codes in sch.localities.items():
                    for c in codes:
                        if c not in present:
                            report.add(
                                f"ward {reg.name_of(c)} of {loc!r} has no data",
                                ward=c,
                                file=sch.source,
                                hint="rollup stops unless --allow-missing-wards",
                            )
    title = (
        f"Validation of {path}: {len(report.errors)} error(s), {len(report.warnings)} warning(s)"
    )
    if fmt == ReportFormat.csv:
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["severity", "file", "row", "field", "ward", "problem", "hint"])
        from localitymap.renderers.safety import csv_row

        for p in report:
            w.writerow(
                csv_row(
                    [
                        p.severity,
                        p.file or "",
                        p.row or "",
                        p.field or "",
                        p.ward or "",
                        p.message,
                        p.hint or "",
                    ]
                )
            )
        from localitymap.cli._common import Provenance, command_line
        from localitymap.inputs.indicators import data_files

        files = [("data", f) for f in data_files(path)]
        emit(buf.getvalue(), output, force, Provenance(files, {}, None, command_line(ctx)))
    else:
        from localitymap.renderers.terminal import console, problems_table

        if len(report):
            console().print(problems_table(report, title))
        else:
            typer.echo(f"{title}: no problems found.")
    if report.errors:
        raise typer.Exit(EXIT_VALIDATE)
