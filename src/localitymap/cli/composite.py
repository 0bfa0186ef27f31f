"""``localitymap composite``: one demand index per locality from indicator weights."""

from enum import StrEnum
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import emit, exercise_command, provenance, status


class Basis(StrEnum):
    share = "share"
    rate = "rate"


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"


@exercise_command()
def composite_command(
    ctx: typer.Context,
    ex,  # noqa: ANN001 (the Exercise, made by exercise_command)
    weights: Annotated[
        str,
        typer.Option("--weights", "-w", help="Bundled weights (equal, toxic_trio) or a CSV file."),
    ] = "equal",
    basis: Annotated[
        Basis,
        typer.Option("--basis", help="share: of the borough total; rate: vs the borough rate."),
    ] = Basis.share,
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table (terminal) or csv.")
    ] = TableFormat.table,
    output: opt.Output = None,
    force: opt.Force = False,
) -> None:
    """Rank localities on a weighted composite of indicators.

    Example: localitymap composite --scheme icn6 --weights toxic_trio --basis rate
    """
    from localitymap.statistics.composite import weights_path

    result = ex.composite(weights, basis=basis.value)
    table = ex.table(rates=basis == Basis.rate)
    status(ex)
    if fmt == TableFormat.csv:
        from localitymap.renderers.safety import csv_frame

        csv_text = f"# {ex.status_line()}\n" + csv_frame(result).to_csv(
            index=False, lineterminator="\n", float_format="%.6f"
        )
        prov = provenance(ex, table.attrs, ctx)
        prov.files.append(("weights", weights_path(weights)))
        emit(csv_text, output, force, prov)
        return
    from localitymap.renderers.terminal import composite_table, console

    console().print(composite_table(result, table.attrs, weights))
