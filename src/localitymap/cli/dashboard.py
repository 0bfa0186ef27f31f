"""``localitymap dashboard``: the members' dashboard, one self-contained accessible HTML file (or
the same content as XLSX), from the exercise's publishable view."""

from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import default_output, emit, err, exercise_command, provenance, status

SUFFIXES = {".html": "html", ".htm": "html", ".xlsx": "xlsx"}

Authority = Annotated[
    str | None,
    typer.Option(
        "--authority",
        help="Authority for the published benchmarks: name, DfE LA number or GSS code "
        "(default: the exercise file's, else the ward register's).",
    ),
]
Benchmarks = Annotated[
    bool,
    typer.Option("--benchmarks/--no-benchmarks", help="Include published benchmarks (DfE)."),
]


def context_for(ex, authority: str | None, wanted: bool):  # noqa: ANN001, ANN201
    """The published benchmarks, or None with a note on stderr saying why."""
    if not wanted:
        return None
    from localitymap.publication.dashboard import exercise_context

    table, why = exercise_context(ex, authority)
    if table is None:
        err(f"note: no published benchmarks: {why}")
    return table


Output = opt.document_output("Dashboard", ".html or .xlsx", "dashboard.html")


@exercise_command(default_disclosure="threshold5")
def dashboard_command(
    ctx: typer.Context,
    ex,  # noqa: ANN001 (the Exercise, made by exercise_command)
    output: Output = None,
    authority: Authority = None,
    benchmarks: Benchmarks = True,
    title: Annotated[str | None, typer.Option("--title", help="Dashboard title.")] = None,
    force: opt.Force = False,
) -> None:
    """Write the members' dashboard: each indicator's latest and previous value, direction of
    travel, target and RAG rating (targets from the exercise file), trend, three-year average,
    published benchmarks, a small-number flag, and each locality's trend.

    Public by default (threshold5). Example: localitymap dashboard -s icn6 -o dashboard.html
    """  # fmt: skip
    out = default_output(ex, output, "dashboard.html")
    fmt = SUFFIXES.get(out.suffix.lower())
    if fmt is None:
        raise typer.BadParameter(f"{out.name!r}: use a .html or .xlsx name", param_hint="--output")
    from localitymap.publication.dashboard import build_dashboard, exercise_tables, exercise_targets
    from localitymap.renderers.dashboard import render_dashboard

    tables = exercise_tables(ex)
    dash = build_dashboard(
        tables, exercise_targets(ex), context_for(ex, authority, benchmarks), title=title
    )
    status(ex)
    emit(render_dashboard(dash, fmt), out, force, provenance(ex, tables[-1].attrs, ctx))
