"""``localitymap rollup``: ward counts to locality counts, shares and ranks."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import emit, handle_errors, load_inputs, write_provenance


class OutFormat(StrEnum):
    table = "table"
    csv = "csv"
    xlsx = "xlsx"
    md = "md"
    json = "json"
    geojson = "geojson"
    gpkg = "gpkg"


class ValueView(StrEnum):
    all = "all"
    count = "count"
    share = "share"
    rank = "rank"


class Level(StrEnum):
    locality = "locality"
    ward = "ward"


SUFFIXES = {
    ".csv": "csv", ".json": "json", ".md": "md", ".markdown": "md", ".xlsx": "xlsx",
    ".txt": "table", ".geojson": "geojson", ".gpkg": "gpkg",
}  # fmt: skip


@handle_errors
def rollup_command(
    ctx: typer.Context,
    scheme: opt.Scheme,
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
    indicator: opt.Indicators = None,
    rates: opt.Rates = False,
    population: opt.Population = None,
    per: opt.Per = 10_000,
    disclosure: opt.Disclosure = opt.DisclosurePolicy.none,
    fmt: Annotated[
        OutFormat | None,
        typer.Option(
            "--format", "-f", help="Output format. Default: table, or from --output's suffix."
        ),
    ] = None,
    values: Annotated[
        ValueView, typer.Option("--values", help="What table and md cells show.")
    ] = ValueView.all,
    level: Annotated[
        Level, typer.Option("--level", help="geojson: localities or wards (gpkg holds both).")
    ] = Level.locality,
    output: opt.Output = None,
    force: opt.Force = False,
) -> None:
    """Roll ward counts up to localities: count, % of borough and rank per indicator.

    Example: localitymap rollup --scheme icn6 --format csv -o localities.csv
    """
    fmt_value = _choose_format(fmt, output)
    geo = fmt_value in ("geojson", "gpkg")
    inputs = load_inputs(
        scheme=scheme, data=data, period=period, register=register, wards=wards,
        ward_code_column=ward_code_column, ward_name_column=ward_name_column,
        catalogue=catalogue, sheet=sheet, ward_column=ward_column,
        suppressed_range=suppressed_range, allow_unassigned=allow_unassigned,
        allow_missing_wards=allow_missing_wards, need_geometry=geo,
        indicators=indicator, rates=rates, population=population, per=per,
        disclosure=disclosure.value,
        publish_wards=geo and (fmt_value == "gpkg" or level == Level.ward),
    )  # fmt: skip
    table = inputs.table
    if geo:
        from localitymap.model.geo import locality_layer, ward_layer
        from localitymap.renderers.export import geo_metadata, to_geojson, write_gpkg

        assert inputs.boundaries is not None
        meta = geo_metadata(table, inputs.boundaries.attribution)
        localities = locality_layer(table, inputs.scheme, inputs.boundaries)
        ward_values = inputs.data.values
        if inputs.protection is not None:
            from localitymap.publication.disclosure import public_wards

            ward_values = public_wards(inputs.protection, inputs.data)
        ward_shapes = ward_layer(table, ward_values, inputs.scheme, inputs.boundaries)
        if fmt_value == "gpkg":
            assert output is not None
            write_gpkg(output, {"localities": localities, "wards": ward_shapes}, meta, force=force)
            typer.echo(f"wrote {output}", err=True)
            write_provenance(output, inputs.provenance(ctx))
            return
        layer = localities if level == Level.locality else ward_shapes
        emit(to_geojson(layer, meta), output, force, inputs.provenance(ctx))
        return
    if fmt_value == "table":
        from localitymap.renderers.terminal import console, rates_tables, rollup_table

        view = rates_tables(table) if rates else rollup_table(table, values.value)
        if output is not None:
            con = console(width=100, file_text=True)
            con.print(view)
            emit(con.export_text(), output, force, inputs.provenance(ctx))
        else:
            console().print(view)
        return
    from localitymap.renderers.export import render

    emit(render(table, fmt_value, values.value), output, force, inputs.provenance(ctx))


def _choose_format(fmt: OutFormat | None, output: Path | None) -> str:
    """--format if given, else the format the output file's suffix implies, else a table."""
    if fmt is not None:
        if fmt in (OutFormat.xlsx, OutFormat.gpkg) and output is None:
            raise typer.BadParameter(
                f"{fmt.value} needs --output FILE.{fmt.value}", param_hint="--format"
            )
        return fmt.value
    if output is None:
        return "table"
    guessed = SUFFIXES.get(output.suffix.lower())
    if guessed is None and output.is_dir():
        raise typer.BadParameter(
            f"{output.name!r} is a folder; give a file name inside it", param_hint="--output"
        )
    if guessed is None:
        raise typer.BadParameter(
            f"cannot tell the format from {output.name!r}; add --format", param_hint="--output"
        )
    return guessed
