"""``localitymap benchmark``: the authority's published figures beside England, its region and
its statistical neighbours (DfE LAIT, offline)."""

from enum import StrEnum
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import emit, handle_errors


class ContextFormat(StrEnum):
    table = "table"
    csv = "csv"
    md = "md"


@handle_errors
def benchmark_command(
    authority: Annotated[
        str | None,
        typer.Option(
            "--authority",
            "-a",
            help="Authority name, DfE LA number or GSS code (default: the exercise file's, else "
            "the ward register's).",
        ),
    ] = None,
    measure: Annotated[
        list[str] | None,
        typer.Option("--measure", "-m", help="Indicator id or LAIT code; repeat for more."),
    ] = None,
    year: Annotated[
        str | None, typer.Option("--year", help="Year as published, e.g. 2024.")
    ] = None,
    exercise: opt.Exercise = None,
    register: opt.Register = None,
    catalogue: opt.Catalogue = None,
    fmt: Annotated[ContextFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ContextFormat.table
    ),
    output: opt.Output = None,
    force: opt.Force = False,
) -> None:
    """Published benchmarks: latest value, England, region, statistical neighbours' average and
    range, quartile band and change from the previous year.

    Example: localitymap benchmark --measure cp_plans
    """
    from localitymap.inputs.benchmarks import load_benchmarks
    from localitymap.inputs.exercise_file import find_exercise_file, read_exercise
    from localitymap.inputs.indicators import load_catalogue
    from localitymap.inputs.wards import load_register
    from localitymap.renderers import context
    from localitymap.statistics.benchmark import benchmark

    found = exercise or find_exercise_file()
    settings = read_exercise(found) if found is not None else None
    if authority is None and settings is not None and settings.authority:
        authority = settings.authority
    if authority is None:
        reg = load_register(register or (settings.register if settings else None))
        authority = reg.lad_code or reg.lad_name
    cat = catalogue or (settings.catalogue if settings else None)
    table = benchmark(
        load_benchmarks(), authority, measure or None, catalogue=load_catalogue(cat), year=year
    )
    name = table["authority"].iloc[0] if len(table) else authority
    title = f"{name} in context: published figures (DfE)"
    if fmt == ContextFormat.table:
        from localitymap.renderers.terminal import console

        if output is None:
            console().print(context.to_rich(table, title))
            return
        con = console(width=100, file_text=True)
        con.print(context.to_rich(table, title))
        emit(con.export_text(), output, force)
        return
    text = context.to_csv(table) if fmt == ContextFormat.csv else context.to_markdown(table, title)
    emit(text, output, force)
