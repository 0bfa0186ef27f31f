"""``localitymap allocate``: posts per locality in proportion to demand, or the posts a caseload
needs. Advice for planning, not a decision."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import emit, exercise_command, provenance, status


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"


def split_list(text: str) -> list[str]:
    """``"cp_plans, lac"`` -> ``["cp_plans", "lac"]``."""
    return [part.strip() for part in text.split(",") if part.strip()]


@exercise_command()
def allocate_command(
    ctx: typer.Context,
    ex,  # noqa: ANN001 (the Exercise, made by exercise_command)
    demand: Annotated[
        str,
        typer.Option("--demand", help="Indicator(s) whose counts are the cases, comma-separated."),
    ],
    staff: Annotated[
        float | None,
        typer.Option("--staff", min=0, help="Posts to allocate (whole posts; FTE with --fte)."),
    ] = None,
    flex: Annotated[
        float,
        typer.Option("--flex", min=0, max=0.99, help="Share of posts kept as a borough-wide pool."),
    ] = 0.2,
    caseload: Annotated[
        str | None,
        typer.Option(
            "--caseload",
            help="Cases per FTE: a number, 'authority' (its latest published) or 'england'. "
            "Gives the posts each locality needs instead of allocating --staff.",
        ),
    ] = None,
    weights: Annotated[
        Path | None,
        typer.Option("--weights", help="Case-type weights CSV (indicator,weight); default 1 each."),
    ] = None,
    fte: Annotated[bool, typer.Option("--fte", help="Fractional posts (to 0.1 FTE).")] = False,
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table (on screen) or csv.")
    ] = TableFormat.table,
    output: opt.Output = None,
    force: opt.Force = False,
) -> None:
    """Size locality teams: posts in proportion to demand with a borough pool, or the posts a
    caseload needs. Advice for planning, not a decision.

    Example: localitymap allocate --scheme icn6 --staff 67 --demand cp_plans,cin_plans,lac --flex 0.2
    """
    from localitymap.inputs.indicators import find_indicator
    from localitymap.model.allocate import allocate, locality_demand, posts_needed

    if (staff is None) == (caseload is None):
        raise typer.BadParameter("give either --staff or --caseload", param_hint="--staff")
    case_weights = None
    if weights is not None:
        from localitymap.statistics.composite import load_weights

        case_weights = load_weights(weights)
    # The exercise's publishable table: under a disclosure policy, hidden counts are ranges here.
    table = ex.table()
    indicators = [find_indicator(ex.data.indicators, n).id for n in split_list(demand)]
    per_locality = locality_demand(table, indicators, case_weights)
    if caseload is not None:
        from localitymap.inputs.workforce import caseload as parse_caseload

        rate = parse_caseload(caseload, lad_code=ex.register.lad_code)
        result = posts_needed(per_locality, rate, fte=fte)
        title = f"localitymap allocate: posts needed at {rate.per_fte:g} cases per FTE"
    else:
        assert staff is not None
        result = allocate(per_locality, staff, flex, fte=fte)
        title = f"localitymap allocate: {staff:g} {'FTE' if fte else 'posts'} by demand"
    result.attrs["weighted"] = case_weights is not None
    result.attrs["illustrative"] = ex.data.illustrative
    result.attrs["status"] = ex.status_line()
    status(ex)
    if fmt == TableFormat.csv:
        from localitymap.renderers.planning import demand_label, frame_csv, header_lines

        header = header_lines(result.attrs, f"{title}, {ex.scheme.name} ({ex.scheme.id})")
        header.insert(1, f"Demand: {demand_label(result.attrs)}; period {ex.data.period}")
        prov = provenance(ex, table.attrs, ctx)
        if weights is not None:
            prov.files.append(("weights", weights))
        emit(frame_csv(result, header), output, force, prov)
        return
    from localitymap.renderers.planning import allocation_group, need_group
    from localitymap.renderers.terminal import console

    group = need_group if result.attrs["mode"] == "need" else allocation_group
    console().print(group(result, ex.scheme.name))
