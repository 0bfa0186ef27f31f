"""``localitymap design`` and ``localitymap whatif``: balanced contiguous localities, and what
moving wards would do. Advice for planning, not a decision."""

from pathlib import Path
from typing import Annotated, Any

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import emit, err, exercise_command, provenance, status

Balance = Annotated[
    str,
    typer.Option(
        "--balance",
        help="Indicator(s) whose summed counts to balance, comma-separated, or 'composite' "
        "(the weighted mean of ward shares, weights from --weights).",
    ),
]
Weights = Annotated[
    str | None,
    typer.Option(
        "--weights", "-w", help="Weights: bundled (equal, toxic_trio) or a CSV (indicator,weight)."
    ),
]
Addresses = Annotated[
    Path | None,
    typer.Option(
        "--addresses",
        help="Address history (CSV/XLSX: person_id, start, end, ward_code or easting/northing; "
        "or an SSD ssd_address extract) to count hand-offs.",
    ),
]
Since = Annotated[str | None, typer.Option("--since", help="Count moves from this date (ISO).")]
Until = Annotated[str | None, typer.Option("--until", help="Count moves up to this date (ISO).")]
MinShared = Annotated[
    float,
    typer.Option("--min-shared", min=0, help="Shortest shared border (m) that joins two wards."),
]


def _demand(ex: Any, balance: str, weights: str | None) -> Any:
    """Ward demand from the exercise: its published ward figures under a disclosure policy (so
    no figure shown rests on a hidden count), every count as it is otherwise."""
    from localitymap.inputs.indicators import find_indicator
    from localitymap.model.design import ward_demand
    from localitymap.statistics.composite import load_weights

    values = ex.ward_values if ex.public else None
    if balance.strip().lower() == "composite":
        w = load_weights(weights or "equal")
        present = {i.id for i in ex.data.indicators}
        chosen = [i for i, v in w.items() if i in present and v > 0]
        return ward_demand(ex.data, chosen, w, basis="share", values=values)
    names = [p.strip() for p in balance.split(",") if p.strip()]
    chosen = [find_indicator(ex.data.indicators, n).id for n in names]
    w = load_weights(weights) if weights else None
    return ward_demand(ex.data, chosen, w, values=values)


def _demand_text(demand: Any) -> str:
    a = demand.attrs
    w = a["weights"]
    parts = [i if w[i] == 1 else f"{w[i]:g} × {i}" for i in a["indicators"]]
    if a["basis"] == "share":
        return "composite: weighted mean of ward shares of " + ", ".join(parts)
    return " + ".join(parts)


def _notes(demand: Any, extra: list[str]) -> list[str]:
    from localitymap.model.design import ADVICE
    from localitymap.renderers.planning import ILLUSTRATIVE

    lines = [ILLUSTRATIVE] if demand.attrs.get("illustrative") else []
    lines.append(f"Demand balanced: {_demand_text(demand)}; period {demand.attrs.get('period')}.")
    if demand.attrs.get("suppressed"):
        lines.append(
            "Suppressed counts taken at the middle of their range: "
            + ", ".join(demand.attrs["suppressed"][:10])
        )
    lines += extra
    lines.append(
        "Coefficient of variation = standard deviation of locality demand ÷ mean; "
        "contiguity: wards sharing a border of the --min-shared length or more."
    )
    lines.append(ADVICE)
    return lines


def print_handoffs(addresses: Path, boundaries: Any, schemes: list[Any], since: str | None,
                   until: str | None, disclosure: str = "threshold5") -> None:  # fmt: skip
    """Count hand-offs under each scheme and print them (also used by `schemes check`)."""
    from localitymap.renderers.terminal import console

    console().print(_handoffs(addresses, boundaries, schemes, since, until, disclosure))


def _handoffs(addresses: Path, boundaries: Any, schemes: list[Any], since: str | None,
              until: str | None, disclosure: str) -> Any:  # fmt: skip
    from localitymap.inputs.addresses import read_address_history
    from localitymap.model.handoffs import handoff_table, locate, moves
    from localitymap.renderers.planning import handoff_group

    register = boundaries.register
    history = locate(read_address_history(addresses, register), boundaries)
    moved = moves(history, since=since, until=until, wards=set(register.codes))
    table = handoff_table(moved, schemes)
    from localitymap.publication.disclosure import get_policy

    policy = get_policy(disclosure)
    return handoff_group(table, policy.id, policy.symbol, policy.threshold)


def _write_scheme(ctx: typer.Context, scheme: Any, ex: Any, notes: list[str],
                  output: Path, force: bool) -> None:  # fmt: skip
    from localitymap.model.design import scheme_toml

    text = scheme_toml(scheme, ex.register, notes)
    emit(text, output, force, provenance(ex, {"scheme": scheme.id}, ctx))


@exercise_command()
def design_command(
    ctx: typer.Context,
    ex,  # noqa: ANN001 (the Exercise, made by exercise_command)
    k: Annotated[int, typer.Option("--k", min=1, help="How many localities.")],
    balance: Balance,
    compact: Annotated[
        bool, typer.Option("--compact", help="Prefer compact localities over long thin ones.")
    ] = False,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same scheme).")] = 0,
    restarts: Annotated[
        int, typer.Option("--restarts", min=1, help="Searches from different starts.")
    ] = 40,
    scheme_id: Annotated[
        str | None, typer.Option("--id", help="Id of the proposed scheme (default proposed<k>).")
    ] = None,
    weights: Weights = None,
    addresses: Addresses = None,
    since: Since = None,
    until: Until = None,
    min_shared: MinShared = 10.0,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the proposed scheme (TOML) here.")
    ] = None,
    force: opt.Force = False,
) -> None:
    """Propose k contiguous localities that balance demand, compared with the current scheme
    (--scheme). Advice for planning, not a decision.

    Example: localitymap design --scheme icn6 --k 6 --balance cp_plans,lac --compact -o p6.toml
    """
    from localitymap.model.design import adjacency, compare, design
    from localitymap.renderers.planning import comparison_group
    from localitymap.renderers.terminal import console

    demand = _demand(ex, balance, weights)
    graph = adjacency(ex.boundaries, min_shared)
    proposed = design(
        demand, graph, k, seed=seed, compact=compact, restarts=restarts,
        current=ex.scheme, register=ex.register, scheme_id=scheme_id,
    )  # fmt: skip
    table, stats, moved = compare(ex.scheme, proposed, demand, ex.register)
    how = (
        f"Proposed by localitymap design: {k} contiguous localities balancing demand"
        f"{', compact' if compact else ''}; seed {seed}, {restarts} restarts; "
        f"compared with {ex.scheme.id}."
    )
    status(ex)
    console().print(
        comparison_group(
            f"Proposed {k} localities against {ex.scheme.name}",
            table,
            stats,
            moved,
            (ex.scheme.id, proposed.id),
            _notes(demand, [how, ex.status_line()]),
        )
    )
    if addresses is not None:
        print_handoffs(addresses, ex.boundaries, [ex.scheme, proposed], since, until,
                       ex.policy.id)  # fmt: skip
    if output is not None:
        ratio = stats["proposed"]["max_min_ratio"], stats["current"]["max_min_ratio"]
        header = [
            f"{proposed.name}.",
            how,
            f"Demand: {_demand_text(demand)}; period {demand.attrs.get('period')}.",
            f"Largest ÷ smallest locality demand: {ratio[0]:.2f} ({ex.scheme.id}: {ratio[1]:.2f}).",
            "Advice for planning, not a decision.",
        ]
        _write_scheme(ctx, proposed, ex, header, output, force)
    elif not addresses:
        err("note: add -o FILE.toml to save the proposed scheme for other commands")


@exercise_command()
def whatif_command(
    ctx: typer.Context,
    ex,  # noqa: ANN001 (the Exercise, made by exercise_command)
    move: Annotated[
        list[str],
        typer.Option("--move", "-m", help='A ward move, "WARD=LOCALITY"; repeat for more.'),
    ],
    balance: Balance,
    allow_exclaves: Annotated[
        bool,
        typer.Option("--allow-exclaves", help="Allow moves that leave a locality in pieces."),
    ] = False,
    weights: Weights = None,
    addresses: Addresses = None,
    since: Since = None,
    until: Until = None,
    min_shared: MinShared = 10.0,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the changed scheme (TOML) here.")
    ] = None,
    force: opt.Force = False,
) -> None:
    """Move wards between localities and see the demand and balance, side by side with the
    current scheme. Refuses moves that break contiguity unless --allow-exclaves.

    Example: localitymap whatif --scheme icn6 --move "Thornton Heath=North West" --balance lac
    """
    from localitymap.model.design import adjacency, apply_moves, compare, components, parse_move
    from localitymap.renderers.planning import comparison_group
    from localitymap.renderers.terminal import console

    reg = ex.register
    demand = _demand(ex, balance, weights)
    graph = adjacency(ex.boundaries, min_shared)
    moves = [parse_move(m, ex.scheme, reg) for m in move]
    changed = apply_moves(ex.scheme, moves, graph, reg, allow_exclaves=allow_exclaves)
    table, stats, moved = compare(ex.scheme, changed, demand, reg)
    how = "Moves: " + "; ".join(f"{reg.name_of(c)} to {loc}" for c, loc in moves) + "."
    broken = [loc for loc, codes in changed.localities.items() if len(components(codes, graph)) > 1]
    if broken:
        how += " Not contiguous (allowed by --allow-exclaves): " + ", ".join(broken) + "."
    status(ex)
    console().print(
        comparison_group(
            f"What if: {ex.scheme.name}",
            table,
            stats,
            moved,
            (ex.scheme.id, "after moves"),
            _notes(demand, [how, ex.status_line()]),
        )
    )
    if addresses is not None:
        print_handoffs(addresses, ex.boundaries, [ex.scheme, changed], since, until,
                       ex.policy.id)  # fmt: skip
    if output is not None:
        header = [f"{changed.name}.", how, "Advice for planning, not a decision."]
        _write_scheme(ctx, changed, ex, header, output, force)
