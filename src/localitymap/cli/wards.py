"""``localitymap wards fetch``: ward boundaries for any authority from the ONS portal."""

import os
from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli._common import err, handle_errors

app = typer.Typer(help="Ward boundaries and registers.", no_args_is_help=True)


@app.command("fetch")
@handle_errors
def fetch_command(
    lad: Annotated[str, typer.Option("--lad", help="Local authority code, e.g. E09000008.")],
    year: Annotated[
        int, typer.Option("--year", min=2015, max=2100, help="Ward boundaries as at December of.")
    ] = 2024,
    service: Annotated[
        str | None,
        typer.Option(
            "--service", help="ONS service name or layer URL, if not the usual for --year."
        ),
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out-dir", help="Folder for the files.")] = Path(),
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Download one authority's ward boundaries (ONS Open Geography Portal) and save a GeoPackage
    and a ward register for --wards and --register.

    Example: localitymap wards fetch --lad E09000008 --year 2024
    """
    from localitymap.inputs.fetch import ONS_SERVICES, fetch_wards, save_fetched

    # A mirror or proxy of the ONS services can stand in (also how the tests replay answers).
    base = os.environ.get("LOCALITYMAP_ONS_URL", ONS_SERVICES)
    fetched = fetch_wards(lad, year, service=service, base_url=base)
    gpkg, register = save_fetched(fetched, out_dir, force=force)
    err(
        f"fetched {len(fetched.frame)} wards of {fetched.lad_name} ({fetched.lad_code}), "
        f"{fetched.vintage}, in {fetched.pages} page(s) from {fetched.url}"
    )
    typer.echo(f"{gpkg}\n{register}")
    err(f"use them with: --wards {gpkg}  (or --register {register} without geometry)")
