"""``localitymap compare``: what changed between two periods of the exercise."""

from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import emit, exercise_command, status
from localitymap.cli.rollup import SUFFIXES, OutFormat


@exercise_command()
def compare_command(
    ctx: typer.Context,
    ex,  # noqa: ANN001 (the Exercise, made by exercise_command)
    before: Annotated[
        str | None,
        typer.Argument(
            help="Earlier period, e.g. 2019-02. Default: the exercise's previous period."
        ),
    ] = None,
    after: Annotated[
        str | None,
        typer.Argument(help="Later period, e.g. 2020-02. Default: the exercise's period."),
    ] = None,
    data_after: Annotated[
        Path | None, typer.Option("--data-after", help="The later period's file, if not in --data.")
    ] = None,
    indicator: opt.Indicators = None,
    rates: opt.Rates = False,
    fmt: Annotated[
        OutFormat | None,
        typer.Option("--format", "-f", help="table, csv, xlsx, md, json, geojson or gpkg."),
    ] = None,
    output: opt.Output = None,
    force: opt.Force = False,
) -> None:
    """Change in count, share (percentage points) and rank per locality and indicator.

    Periods name bundled snapshots, or periods inside --data (a multi-period file or folder).
    Both periods are protected under the exercise's disclosure policy, and changes are worked out
    from published figures only.

    Example: localitymap compare 2019-02 2020-02 --scheme icn6
    """
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
    before = before or ex.settings.previous_period
    if before is None:
        raise typer.BadParameter(
            "name the earlier period (or previous_period in localitymap.toml)", param_hint="BEFORE"
        )
    changes = ex.compare(before, after, rates=rates, indicators=indicator, data_after=data_after)
    status(ex)
    changes.attrs["status"] = ex.status_line()
    if fmt_value == "table":
        from localitymap.renderers.changes import changes_table
        from localitymap.renderers.terminal import console

        console().print(changes_table(changes))
        return
    from localitymap.cli._common import Provenance, command_line, write_provenance

    both = Provenance(
        changes.attrs.pop("inputs"), dict(changes.attrs), ex.scheme, command_line(ctx)
    )
    if fmt_value in ("geojson", "gpkg"):
        from localitymap.model.geo import change_layer
        from localitymap.renderers.changes import caption_lines
        from localitymap.renderers.export import to_geojson, write_gpkg

        layer = change_layer(changes, ex.scheme, ex.boundaries)
        meta = {"caption": " ".join(caption_lines(changes)), "attribution": ex.boundaries.attribution,
                "periods": f"{before} to {after or ex.data.period}",
                "scheme": str(changes.attrs.get("scheme_name") or changes.attrs.get("scheme"))}  # fmt: skip
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
