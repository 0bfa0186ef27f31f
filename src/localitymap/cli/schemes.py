"""``localitymap schemes list|show``: the bundled schemes and what is in them."""

from __future__ import annotations

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
    """List the schemes (bundled, or in a folder)."""
    import pandas as pd

    from localitymap.render.terminal import console, frame_table
    from localitymap.schemes import list_schemes

    console().print(frame_table(pd.DataFrame(list_schemes(folder)), "Locality schemes"))


@app.command("show")
@handle_errors
def show_command(
    scheme: Annotated[str, typer.Argument(help="Scheme id (icn6, areas3) or file.")],
    register: Annotated[Path | None, typer.Option("--register", help="Ward register CSV.")] = None,
) -> None:
    """Show a scheme's localities and their wards, and any coverage problem."""
    from localitymap.cli._common import print_report
    from localitymap.render.terminal import console, frame_table
    from localitymap.schemes import check_scheme, load_scheme
    from localitymap.wards import load_register

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
