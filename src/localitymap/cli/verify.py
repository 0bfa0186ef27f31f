"""``localitymap verify``: is an output still current with its inputs?"""

from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli._common import handle_errors


@handle_errors
def verify_command(
    manifest: Annotated[Path, typer.Argument(help="An output's *.manifest.json file.")],
) -> None:
    """Re-hash an output's inputs (and the output itself) against its manifest.

    Exits 0 when everything is unchanged, 3 when an input or the output changed or is missing.
    """
    from localitymap.errors import EXIT_VALIDATE
    from localitymap.publication.manifest import verify

    result = verify(manifest)
    doc = result["manifest"]
    for check in result["checks"]:
        typer.echo(f"{check['status']:>9}  {check['role']:<13} {check['path']}")
    made = f"made {doc.get('created', '?')} by {doc.get('tool', '?')}"
    if result["current"]:
        typer.echo(f"current: {doc['output']['path']} still matches its inputs ({made})")
        return
    typer.echo(f"not current: re-run the command to refresh {doc['output']['path']} ({made})")
    typer.echo("command: " + " ".join(doc.get("command", [])))
    raise typer.Exit(EXIT_VALIDATE)
