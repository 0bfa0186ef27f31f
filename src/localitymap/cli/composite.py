"""``localitymap composite``: one demand index per locality from indicator weights."""

from enum import StrEnum
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import emit, handle_errors, load_inputs


class Basis(StrEnum):
    share = "share"
    rate = "rate"


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"


@handle_errors
def composite_command(
    ctx: typer.Context,
    scheme: opt.Scheme,
    weights: Annotated[
        str,
        typer.Option("--weights", "-w", help="Bundled weights (equal, toxic_trio) or a CSV file."),
    ] = "equal",
    basis: Annotated[
        Basis,
        typer.Option("--basis", help="share: of the borough total; rate: vs the borough rate."),
    ] = Basis.share,
    data: opt.Data = None,
    period: opt.Period = None,
    register: opt.Register = None,
    catalogue: opt.Catalogue = None,
    suppressed_range: opt.SuppressedRange = None,
    population: opt.Population = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    output: opt.Output = None,
    force: opt.Force = False,
) -> None:
    """Rank localities on a weighted composite of indicators.

    Example: localitymap composite --scheme icn6 --weights toxic_trio --basis rate
    """
    from localitymap.statistics.composite import composite, load_weights, weights_path

    inputs = load_inputs(
        scheme=scheme, data=data, period=period, register=register, catalogue=catalogue,
        sheet=None, ward_column=None, suppressed_range=suppressed_range,
        allow_unassigned=False, allow_missing_wards=False,
        rates=basis == Basis.rate, population=population,
    )  # fmt: skip
    result = composite(inputs.table, load_weights(weights), basis=basis.value)
    if fmt == TableFormat.csv:
        from localitymap.renderers.safety import csv_frame

        csv_text = csv_frame(result).to_csv(index=False, lineterminator="\n", float_format="%.6f")
        provenance = inputs.provenance(ctx)
        provenance.files.append(("weights", weights_path(weights)))
        emit(csv_text, output, force, provenance)
        return
    from localitymap.renderers.terminal import composite_table, console

    console().print(composite_table(result, inputs.table.attrs, weights))
