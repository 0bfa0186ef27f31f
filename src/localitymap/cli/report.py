"""``localitymap report``: a scrutiny-committee report (Word, HTML or Excel) under disclosure
control."""

from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import emit, handle_errors, load_inputs

SUFFIXES = {".docx": "docx", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}


@handle_errors
def report_command(
    ctx: typer.Context,
    scheme: opt.Scheme,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Report file: .docx, .html or .xlsx.")
    ],
    disclosure: opt.Disclosure = opt.DisclosurePolicy.threshold5,
    title: Annotated[
        str | None, typer.Option("--title", help="Report title (default names the authority).")
    ] = None,
    rates: Annotated[
        bool,
        typer.Option("--rates/--no-rates", help="Include rates per child (needs a population)."),
    ] = True,
    population: opt.Population = None,
    per: opt.Per = 10_000,
    data: opt.Data = None,
    period: opt.Period = None,
    register: opt.Register = None,
    wards: opt.Wards = None,
    ward_code_column: opt.WardCodeColumn = None,
    ward_name_column: opt.WardNameColumn = None,
    catalogue: opt.Catalogue = None,
    sheet: opt.Sheet = None,
    ward_column: opt.WardColumn = None,
    suppressed_range: opt.SuppressedRange = None,
    allow_unassigned: opt.AllowUnassigned = False,
    allow_missing_wards: opt.AllowMissing = False,
    force: opt.Force = False,
) -> None:
    """Write a committee report: map, ranked tables, rates, findings, ward annex and methods.

    Public by default: small numbers are suppressed (--disclosure threshold5).

    Example: localitymap report --scheme icn6 -o croydon_localities.docx
    """
    fmt = SUFFIXES.get(output.suffix.lower())
    if fmt is None:
        raise typer.BadParameter(
            f"{output.name!r}: use a .docx, .html or .xlsx name", param_hint="--output"
        )
    inputs = load_inputs(
        scheme=scheme, data=data, period=period, register=register, wards=wards,
        ward_code_column=ward_code_column, ward_name_column=ward_name_column,
        catalogue=catalogue, sheet=sheet, ward_column=ward_column,
        suppressed_range=suppressed_range, allow_unassigned=allow_unassigned,
        allow_missing_wards=allow_missing_wards, need_geometry=fmt != "xlsx",
        rates=rates, population=population, per=per,
        disclosure=disclosure.value, publish_wards=True,
    )  # fmt: skip
    from localitymap.publication.report import build_report
    from localitymap.renderers.documents import render_document

    doc = build_report(
        inputs.table, inputs.data, inputs.scheme, inputs.protection, inputs.boundaries, title=title
    )
    emit(render_document(doc, fmt), output, force, inputs.provenance(ctx))
