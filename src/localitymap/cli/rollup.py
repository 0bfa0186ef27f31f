"""``localitymap rollup``: ward counts to locality counts, shares and ranks."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import (
    emit,
    err,
    exercise_command,
    provenance,
    status,
    write_provenance,
)


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


@exercise_command()
def rollup_command(
    ctx: typer.Context,
    ex,  # noqa: ANN001 (the Exercise, made by exercise_command)
    indicator: opt.Indicators = None,
    rates: opt.Rates = False,
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
    table = ex.table(rates=rates, indicators=indicator)
    if rates and table.attrs.get("rates_unavailable"):
        err("note: " + table.attrs["rates_unavailable"])
    elif rates and table.attrs.get("no_denominator"):
        err("note: no denominator for " + ", ".join(table.attrs["no_denominator"])
            + "; name a population column in the catalogue's denominator column")  # fmt: skip
    status(ex)
    prov = provenance(ex, table.attrs, ctx)
    if fmt_value in ("geojson", "gpkg"):
        from localitymap.model.geo import locality_layer, ward_layer
        from localitymap.renderers.export import geo_metadata, to_geojson, write_gpkg

        meta = geo_metadata(table, ex.boundaries.attribution)
        localities = locality_layer(table, ex.scheme, ex.boundaries)
        ward_shapes = ward_layer(table, ex.ward_values, ex.scheme, ex.boundaries)
        prov = provenance(ex, table.attrs, ctx)
        if fmt_value == "gpkg":
            assert output is not None
            write_gpkg(output, {"localities": localities, "wards": ward_shapes}, meta, force=force)
            err(f"wrote {output}")
            write_provenance(output, prov)
            return
        layer = localities if level == Level.locality else ward_shapes
        emit(to_geojson(layer, meta), output, force, prov)
        return
    if fmt_value == "table":
        from localitymap.renderers.terminal import console, rates_tables, rollup_table

        view = (
            rates_tables(table)
            if rates and "rate" in table.columns
            else rollup_table(table, values.value)
        )
        if rates and "rate" in table.columns:  # the borough beside its published figures
            from rich.console import Group

            from localitymap.cli.dashboard import context_for
            from localitymap.renderers.context import beside_rich

            bench = context_for(ex, None, True)
            view = view if bench is None else Group(view, beside_rich(table, bench))
        if output is not None:
            con = console(width=100, file_text=True)
            con.print(view)
            emit(con.export_text(), output, force, prov)
        else:
            console().print(view)
        return
    from localitymap.renderers.export import render

    emit(render(table, fmt_value, values.value), output, force, prov)


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
