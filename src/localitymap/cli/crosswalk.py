"""``localitymap crosswalk``: ward counts from an old set of wards to a new one."""

from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import Provenance, command_line, emit, handle_errors, print_report


@handle_errors
def crosswalk_command(
    ctx: typer.Context,
    data: Annotated[Path, typer.Option("--data", "-d", help="Counts on the old wards (CSV/XLSX).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Counts on the new wards (CSV).")],
    lookup: Annotated[
        Path | None,
        typer.Option("--lookup", help="old_code,new_code,weight CSV (e.g. population weights)."),
    ] = None,
    from_wards: Annotated[
        Path | None,
        typer.Option("--from-wards", help="Old ward boundaries: weights by area overlap."),
    ] = None,
    to_wards: Annotated[
        Path | None,
        typer.Option("--to-wards", help="New ward boundaries (default: bundled Croydon)."),
    ] = None,
    register: opt.Register = None,
    period: opt.Period = None,
    force: opt.Force = False,
) -> None:
    """Move counts to another set of wards with a weighted lookup, conserving every count.

    Example: localitymap crosswalk -d counts_2014_wards.csv --lookup wd14_to_wd18.csv -o counts.csv
    """
    from localitymap.inputs.indicators import read_indicators
    from localitymap.inputs.wards import load_register
    from localitymap.model.crosswalk import crosswalk, lookup_from_boundaries, read_lookup, to_csv

    if (lookup is None) == (from_wards is None):
        raise typer.BadParameter("give either --lookup or --from-wards", param_hint="--lookup")
    files: list[tuple[str, Path]] = [("data", data)]
    if lookup is not None:
        target = load_register(register)
        weights = read_lookup(lookup, target)
        old = weights.old_register(target.lad_code, f"{target.lad_name} (old wards)")
        files.append(("lookup", lookup))
    else:
        from localitymap.model.geo import load_boundaries

        assert from_wards is not None
        old_b = load_boundaries(from_wards)
        new_b = load_boundaries(to_wards, register=load_register(register) if register else None)
        weights = lookup_from_boundaries(old_b, new_b)
        target, old = new_b.register, old_b.register
        files += [("old boundaries", from_wards)]
        if new_b.path is not None:
            files.append(("new boundaries", new_b.path))
    old_data = read_indicators(data, register=old, period=period)
    print_report(old_data.report, levels=("warning", "note"))
    result = crosswalk(old_data, weights, target)
    attrs = {"period": old_data.period or "", "illustrative": old_data.illustrative,
             "boundaries": f"{target.lad_name} wards, {target.vintage} ({len(target)} wards)"}  # fmt: skip
    typer.echo(f"crosswalk weighting: {weights.weighting}", err=True)
    emit(to_csv(result, weights, old_data.illustrative), output, force,
         Provenance(files, attrs, None, command_line(ctx)))  # fmt: skip
