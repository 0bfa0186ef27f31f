"""``localitymap map``: a choropleth of localities or wards, or small multiples of every indicator,
with the table of its figures beside it."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import (
    emit,
    exercise_command,
    image_format,
    provenance,
    status,
    write_figures,
)


class MapLevel(StrEnum):
    locality = "locality"
    ward = "ward"


class MapValue(StrEnum):
    count = "count"
    share = "share"


@exercise_command(default_disclosure="threshold5")
def map_command(
    ctx: typer.Context,
    ex,  # noqa: ANN001 (the Exercise, made by exercise_command)
    indicator: Annotated[
        str,
        typer.Option(
            "--indicator", "-i", help="Indicator id or label, or 'all' for one page of all."
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Map file: .png, .svg or .pdf. Its figures go beside it as .csv.",
        ),
    ],
    level: Annotated[
        MapLevel, typer.Option("--level", help="Colour localities or wards.")
    ] = MapLevel.locality,
    value: Annotated[
        MapValue, typer.Option("--value", help="Map counts or shares.")
    ] = MapValue.count,
    dpi: Annotated[int, typer.Option("--dpi", min=72, max=600, help="PNG resolution.")] = 200,
    force: opt.Force = False,
) -> None:
    """Draw a map of one indicator (or all of them) for a committee paper, and write the figures
    it shows as a CSV beside it (the accessible alternative).

    Public by default: small numbers are suppressed (threshold5) at both levels.

    Example: localitymap map --scheme icn6 --indicator cp_plans -o cp_plans.png
    """
    fmt = image_format(output)
    payload, figures = ex.map(indicator, level=level.value, value=value.value, fmt=fmt, dpi=dpi)
    status(ex)
    prov = provenance(ex, ex.table().attrs, ctx)
    emit(payload, output, force, prov)
    write_figures(ex, output, figures, force, prov)
