"""``localitymap funnel``: rates against population size with 95% and 99.8% limits."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import emit, handle_errors, image_format, load_inputs


class FunnelLevel(StrEnum):
    locality = "locality"
    ward = "ward"


@handle_errors
def funnel_command(
    ctx: typer.Context,
    indicator: Annotated[str, typer.Option("--indicator", "-i", help="Indicator id or label.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Chart file: .png, .svg or .pdf.")],
    scheme: Annotated[str, typer.Option("--scheme", "-s", help="Scheme id or file.")] = "icn6",
    level: Annotated[
        FunnelLevel, typer.Option("--level", help="Plot localities or wards.")
    ] = FunnelLevel.locality,
    data: opt.Data = None,
    period: opt.Period = None,
    register: opt.Register = None,
    catalogue: opt.Catalogue = None,
    suppressed_range: opt.SuppressedRange = None,
    population: opt.Population = None,
    per: opt.Per = 10_000,
    dpi: Annotated[int, typer.Option("--dpi", min=72, max=600, help="PNG resolution.")] = 200,
    force: opt.Force = False,
) -> None:
    """Funnel plot: each locality's (or ward's) rate against its population, with the limits
    Fingertips draws around the borough value at 95% and 99.8% (Poisson prediction limits for
    rates, binomial for proportions).

    Example: localitymap funnel --indicator cp_plans -o funnel.png
    """
    fmt = image_format(output)
    inputs = load_inputs(
        scheme=scheme, data=data, period=period, register=register, catalogue=catalogue,
        sheet=None, ward_column=None, suppressed_range=suppressed_range,
        allow_unassigned=False, allow_missing_wards=False,
        rates=True, population=population, per=per,
    )  # fmt: skip
    from localitymap.statistics.funnel import render_funnel

    assert inputs.population is not None  # rates=True reads it
    payload = render_funnel(
        inputs.table, inputs.data, inputs.population, indicator, level=level.value, fmt=fmt, dpi=dpi
    )
    emit(payload, output, force, inputs.provenance(ctx))
