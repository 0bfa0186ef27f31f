"""``localitymap findings``: the plain-English summary for a committee paper."""

from enum import StrEnum
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import emit, exercise_command, provenance, status


class TextFormat(StrEnum):
    text = "text"
    md = "md"


@exercise_command(default_disclosure="threshold5")
def findings_command(
    ctx: typer.Context,
    ex,  # noqa: ANN001 (the Exercise, made by exercise_command)
    rates: Annotated[
        bool, typer.Option("--rates/--no-rates", help="Add per-child findings (needs populations).")
    ] = True,
    fmt: Annotated[
        TextFormat, typer.Option("--format", "-f", help="text, or md (a Markdown section).")
    ] = TextFormat.text,
    output: opt.Output = None,
    force: opt.Force = False,
) -> None:
    """Write the findings a committee paper carries, derived only from the published figures.

    Public by default: small numbers are suppressed (threshold5) before any sentence is written.

    Example: localitymap findings --scheme icn6 --format md -o findings.md
    """
    from localitymap.publication.findings import findings, findings_markdown

    table = ex.table(rates=rates)
    status(ex)
    if fmt == TextFormat.md:
        text = findings_markdown(table, status=ex.status_line())
    else:
        lines = [ex.status_line()]
        if table.attrs.get("illustrative"):
            lines.append("(From illustrative data: these statements describe invented figures.)")
        text = "\n".join([*lines, *findings(table)]) + "\n"
    emit(text, output, force, provenance(ex, table.attrs, ctx))
