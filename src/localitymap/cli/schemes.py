"""``localitymap schemes list|show``: the bundled schemes and what is in them."""

from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli._common import handle_errors

app = typer.Typer(help="List and show locality schemes.", no_args_is_help=True)


@app.command("list")
@handle_errors
def list_command(
    folder: Annotated[
        Path | None, typer.Option("--folder", help="List schemes in this folder instead.")
    ] = None,
) -> None:
    """List the schemes (bundled, or in a folder).

    Example: localitymap schemes list
    """
    import pandas as pd

    from localitymap.inputs.schemes import list_schemes
    from localitymap.renderers.terminal import console, frame_table

    console().print(frame_table(pd.DataFrame(list_schemes(folder)), "Locality schemes"))


@app.command("show")
@handle_errors
def show_command(
    scheme: Annotated[str, typer.Argument(help="Scheme id (icn6, areas3) or file.")],
    register: Annotated[Path | None, typer.Option("--register", help="Ward register CSV.")] = None,
) -> None:
    """Show a scheme's localities and their wards, and any coverage problem.

    Example: localitymap schemes show icn6
    """
    from localitymap.cli._common import print_report
    from localitymap.inputs.schemes import check_scheme, load_scheme
    from localitymap.inputs.wards import load_register
    from localitymap.renderers.terminal import console, frame_table

    reg = load_register(register)
    sch = load_scheme(scheme, reg)
    frame = sch.to_frame(reg)
    title = f"{sch.name} ({sch.id}): {len(sch.localities)} localities, {len(frame)} wards"
    if sch.based_on:
        title += f", grouped from {sch.based_on}"
    typer.echo(title)
    console().print(frame_table(frame))
    for loc, note in sch.locality_notes.items():
        typer.echo(f"{loc}: {note}")
    print_report(check_scheme(sch, reg))


@app.command("check")
@handle_errors
def check_command(
    scheme: Annotated[str, typer.Argument(help="Scheme id (icn6, areas3) or file.")],
    wards: Annotated[
        Path | None, typer.Option("--wards", help="Ward boundary file (default: bundled Croydon).")
    ] = None,
    register: Annotated[Path | None, typer.Option("--register", help="Ward register CSV.")] = None,
    min_shared: Annotated[
        float,
        typer.Option(
            "--min-shared", min=0, help="Shortest shared border (m) that joins two wards."
        ),
    ] = 10.0,
    handoffs: Annotated[
        Path | None,
        typer.Option("--handoffs", help="Address history: also count hand-offs under the scheme."),
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="Hand-offs from (ISO).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Hand-offs up to (ISO).")] = None,
) -> None:
    """Check a scheme on the ground: every ward exactly once, no unknown wards, and each locality
    one connected group of wards (corner contacts under --min-shared metres do not count).
    With --handoffs, also count the house moves that would cross a locality boundary.

    Exits 3 when it finds a problem.

    Example: localitymap schemes check icn6 --handoffs addresses.csv --since 2019-03-01
    """
    from localitymap.errors import EXIT_VALIDATE, Report, SchemeError
    from localitymap.inputs.schemes import check_scheme, load_scheme
    from localitymap.inputs.wards import load_register
    from localitymap.model.geo import check_contiguity, load_boundaries
    from localitymap.renderers.terminal import console, problems_table

    reg = load_register(register) if register is not None else None
    boundaries = load_boundaries(wards, register=reg)
    report = Report()
    report.extend(boundaries.report)
    try:
        sch = load_scheme(scheme, boundaries.register)
    except SchemeError as exc:
        report.extend(exc.report)
        sch = None
    if sch is not None:
        report.extend(check_scheme(sch, boundaries.register))
        report.extend(check_contiguity(sch, boundaries, min_shared))
    name = sch.id if sch is not None else scheme
    if not report.errors:
        typer.echo(
            f"{name}: {len(sch.localities) if sch else 0} localities cover all "
            f"{len(boundaries.register)} wards once each, and each is contiguous "
            f"(shared borders of {min_shared:g} m or more)."
        )
    if len(report):
        console().print(problems_table(report, f"{name}: {len(report.errors)} problem(s)"))
    if handoffs is not None and sch is not None and not report.errors:
        from localitymap.cli.design import print_handoffs

        print_handoffs(handoffs, boundaries, [sch], since, until)
    if report.errors:
        raise typer.Exit(EXIT_VALIDATE)
