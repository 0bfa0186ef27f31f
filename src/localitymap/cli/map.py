"""``localitymap map``: a choropleth of localities or wards, or small multiples of every indicator."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import emit, handle_errors, image_format, load_inputs


class MapLevel(StrEnum):
    locality = "locality"
    ward = "ward"


class MapValue(StrEnum):
    count = "count"
    share = "share"


@handle_errors
def map_command(
    ctx: typer.Context,
    scheme: opt.Scheme,
    indicator: Annotated[
        str,
        typer.Option(
            "--indicator", "-i", help="Indicator id or label, or 'all' for one page of all."
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Map file: .png, .svg or .pdf.")],
    level: Annotated[
        MapLevel, typer.Option("--level", help="Colour localities or wards.")
    ] = MapLevel.locality,
    value: Annotated[
        MapValue, typer.Option("--value", help="Map counts or shares.")
    ] = MapValue.count,
    dpi: Annotated[int, typer.Option("--dpi", min=72, max=600, help="PNG resolution.")] = 200,
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
    """Draw a map of one indicator (or all of them) for a committee paper.

    Example: localitymap map --scheme icn6 --indicator cp_plans -o cp_plans.png
    """
    fmt = image_format(output)
    inputs = load_inputs(
        scheme=scheme, data=data, period=period, register=register, wards=wards,
        ward_code_column=ward_code_column, ward_name_column=ward_name_column,
        catalogue=catalogue, sheet=sheet, ward_column=ward_column,
        suppressed_range=suppressed_range, allow_unassigned=allow_unassigned,
        allow_missing_wards=allow_missing_wards, need_geometry=True,
    )  # fmt: skip
    from localitymap.renderers.figures import render_map

    payload = render_map(
        inputs.table, inputs.data, inputs.scheme, inputs.boundaries, indicator,  # type: ignore[arg-type]
        level=level.value, value=value.value, fmt=fmt, dpi=dpi,
    )  # fmt: skip
    emit(payload, output, force, inputs.provenance(ctx))
