"""``localitymap compare``: what changed between two periods of the exercise."""

from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import emit, handle_errors, load_inputs
from localitymap.cli.rollup import SUFFIXES, OutFormat


@handle_errors
def compare_command(
    ctx: typer.Context,
    before: Annotated[str, typer.Argument(help="Earlier period, e.g. 2019-02.")],
    after: Annotated[str, typer.Argument(help="Later period, e.g. 2020-02.")],
    scheme: opt.Scheme,
    data: opt.Data = None,
    data_after: Annotated[
        Path | None, typer.Option("--data-after", help="The later period's file, if not in --data.")
    ] = None,
    register: opt.Register = None,
    wards: opt.Wards = None,
    catalogue: opt.Catalogue = None,
    suppressed_range: opt.SuppressedRange = None,
    allow_unassigned: opt.AllowUnassigned = False,
    allow_missing_wards: opt.AllowMissing = False,
    indicator: opt.Indicators = None,
    rates: opt.Rates = False,
    population: opt.Population = None,
    fmt: Annotated[
        OutFormat | None, typer.Option("--format", "-f", help="table, csv, xlsx, md or json.")
    ] = None,
    output: opt.Output = None,
    force: opt.Force = False,
) -> None:
    """Change in count, share (percentage points) and rank per locality and indicator.

    Periods name bundled snapshots, or periods inside --data (a multi-period file or folder).
    Example: localitymap compare 2019-02 2020-02 --scheme icn6
    """
    from localitymap.model.compare import compare

    fmt_value = (
        fmt.value
        if fmt is not None
        else (SUFFIXES.get(output.suffix.lower(), "") if output else "table")
    )
    if not fmt_value and output is not None and output.is_dir():
        raise typer.BadParameter(
            f"{output.name!r} is a folder; give a file name inside it", param_hint="--output"
        )
    if fmt_value not in ("table", "csv", "xlsx", "md", "json", "geojson", "gpkg"):
        raise typer.BadParameter(
            "use table, csv, xlsx, md, json, geojson or gpkg", param_hint="--format"
        )
    if fmt_value in ("xlsx", "gpkg") and output is None:
        raise typer.BadParameter(
            f"{fmt_value} needs --output FILE.{fmt_value}", param_hint="--format"
        )
    common = {
        "scheme": scheme, "register": register, "catalogue": catalogue, "sheet": None,
        "ward_column": None, "suppressed_range": suppressed_range, "allow_unassigned": allow_unassigned,
        "allow_missing_wards": allow_missing_wards, "indicators": indicator, "rates": rates,
        "population": population,
    }  # fmt: skip
    first = load_inputs(data=data, period=before, **common)
    second = load_inputs(data=data_after or data, period=after, **common)
    history = [first.table, second.table]
    if data_after is None:
        # The recent-trend test needs the whole series: every period up to the later one.
        from localitymap.inputs.indicators import bundled_periods

        periods = bundled_periods() if data is None else second.data.all_periods
        series = [p for p in periods if p <= after]
        if len(series) > 2:
            history = [
                first.table if p == before else second.table if p == after
                else load_inputs(data=data, period=p, **common).table
                for p in series
            ]  # fmt: skip
    changes = compare(first.table, second.table, history)
    if fmt_value == "table":
        from localitymap.renderers.changes import changes_table
        from localitymap.renderers.terminal import console

        console().print(changes_table(changes))
        return
    from localitymap.cli._common import Provenance, command_line, write_provenance

    both = Provenance(
        [*first.provenance().files, *second.provenance().files], dict(changes.attrs), second.scheme,
        command_line(ctx),
    )  # fmt: skip
    if fmt_value in ("geojson", "gpkg"):
        from localitymap.model.geo import change_layer, load_boundaries
        from localitymap.renderers.changes import caption_lines
        from localitymap.renderers.export import to_geojson, write_gpkg

        boundaries = load_boundaries(wards, register=second.data.register if wards else None)
        layer = change_layer(changes, second.scheme, boundaries)
        meta = {"caption": " ".join(caption_lines(changes)), "attribution": boundaries.attribution,
                "periods": f"{before} to {after}", "scheme": str(changes.attrs.get("scheme"))}  # fmt: skip
        if fmt_value == "gpkg":
            assert output is not None
            write_gpkg(output, {"changes": layer}, meta, force=force)
            typer.echo(f"wrote {output}", err=True)
            write_provenance(output, both)
            return
        emit(to_geojson(layer, meta), output, force, both)
        return
    from localitymap.renderers.changes import render

    emit(render(changes, fmt_value), output, force, both)
