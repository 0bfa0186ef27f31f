"""``localitymap funnel``: rates against population size with 95% and 99.8% limits, with the
table of its points beside it."""

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


class FunnelLevel(StrEnum):
    locality = "locality"
    ward = "ward"


@exercise_command(default_disclosure="threshold5")
def funnel_command(
    ctx: typer.Context,
    ex,  # noqa: ANN001 (the Exercise, made by exercise_command)
    indicator: Annotated[str, typer.Option("--indicator", "-i", help="Indicator id or label.")],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Chart file: .png, .svg or .pdf. Its figures go beside it as .csv.",
        ),
    ],
    level: Annotated[
        FunnelLevel, typer.Option("--level", help="Plot localities or wards.")
    ] = FunnelLevel.locality,
    dpi: Annotated[int, typer.Option("--dpi", min=72, max=600, help="PNG resolution.")] = 200,
    force: opt.Force = False,
) -> None:
    """Funnel plot: each locality's (or ward's) rate against its population, with the limits
    Fingertips draws around the borough value at 95% and 99.8% (Poisson prediction limits for
    rates, binomial for proportions), and the figures of every point as a CSV beside it.

    Public by default: small numbers are suppressed (threshold5); a ward whose count is hidden
    is left out of the plot.

    Example: localitymap funnel --scheme icn6 --indicator cp_plans -o funnel.png
    """
    fmt = image_format(output)
    payload, figures = ex.funnel(indicator, level=level.value, fmt=fmt, dpi=dpi)
    status(ex)
    prov = provenance(ex, ex.table(rates=True).attrs, ctx)
    emit(payload, output, force, prov)
    write_figures(ex, output, figures, force, prov)
