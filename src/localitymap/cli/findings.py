"""``localitymap findings``: the plain-English summary for a committee paper."""

from enum import StrEnum
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import emit, handle_errors, load_inputs


class TextFormat(StrEnum):
    text = "text"
    md = "md"


@handle_errors
def findings_command(
    ctx: typer.Context,
    scheme: opt.Scheme,
    data: opt.Data = None,
    period: opt.Period = None,
    register: opt.Register = None,
    catalogue: opt.Catalogue = None,
    sheet: opt.Sheet = None,
    ward_column: opt.WardColumn = None,
    suppressed_range: opt.SuppressedRange = None,
    allow_unassigned: opt.AllowUnassigned = False,
    allow_missing_wards: opt.AllowMissing = False,
    rates: Annotated[
        bool, typer.Option("--rates/--no-rates", help="Add per-child findings (needs populations).")
    ] = True,
    population: opt.Population = None,
    per: opt.Per = 10_000,
    fmt: Annotated[TextFormat, typer.Option("--format", "-f")] = TextFormat.text,
    output: opt.Output = None,
    force: opt.Force = False,
) -> None:
    """Write the findings a committee paper carries, derived only from the data.

    Example: localitymap findings --scheme icn6 --format md -o findings.md
    """
    from localitymap.publication.findings import findings, findings_markdown

    inputs = load_inputs(
        scheme=scheme, data=data, period=period, register=register, catalogue=catalogue,
        sheet=sheet, ward_column=ward_column, suppressed_range=suppressed_range,
        allow_unassigned=allow_unassigned, allow_missing_wards=allow_missing_wards,
        rates=rates, population=population, per=per,
    )  # fmt: skip
    table = inputs.table
    if fmt == TextFormat.md:
        emit(findings_markdown(table), output, force, inputs.provenance(ctx))
        return
    lines = findings(table)
    if table.attrs.get("illustrative"):
        lines = ["(From illustrative data: these statements describe invented figures.)", *lines]
    emit("\n".join(lines) + "\n", output, force, inputs.provenance(ctx))
