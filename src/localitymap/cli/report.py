"""``localitymap report``: a scrutiny-committee report (Word, HTML or Excel) under the exercise's
disclosure control."""

from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import (
    cover_gaps,
    default_output,
    emit,
    exercise_command,
    provenance,
    status,
)
from localitymap.exercise import REPORT_SUFFIXES

Output = opt.document_output("Report", ".docx, .html or .xlsx", "report.docx")


@exercise_command(default_disclosure="threshold5")
def report_command(
    ctx: typer.Context,
    ex,  # noqa: ANN001 (the Exercise, made by exercise_command)
    output: Output = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Report title (default names the authority).")
    ] = None,
    rates: Annotated[
        bool,
        typer.Option("--rates/--no-rates", help="Include rates per child (needs a population)."),
    ] = True,
    force: opt.Force = False,
) -> None:
    """Write a committee report: map, ranked tables, rates, findings, ward annex and methods.

    Public by default: small numbers are suppressed (threshold5) unless the exercise file or
    --disclosure says otherwise.

    Example: localitymap report --scheme icn6 -o croydon_localities.docx
    """
    out = default_output(ex, output, "report.docx")
    fmt = REPORT_SUFFIXES.get(out.suffix.lower())
    if fmt is None:
        raise typer.BadParameter(
            f"{out.name!r}: use a .docx, .html or .xlsx name", param_hint="--output"
        )
    from localitymap.renderers.documents import render_document

    doc = ex.report(title=title, rates=rates)
    status(ex)
    cover_gaps(ex)
    emit(render_document(doc, fmt), out, force, provenance(ex, ex.table(rates=rates).attrs, ctx))
