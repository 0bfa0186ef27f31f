"""``localitymap verify``: is an output still current with its inputs?"""

from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli._common import handle_errors


@handle_errors
def verify_command(
    manifest: Annotated[Path, typer.Argument(help="An output's *.manifest.json file.")],
    allow: Annotated[
        list[Path] | None,
        typer.Option(
            "--allow",
            help="Also check inputs in this folder (otherwise only the manifest's own folder, the "
            "bundled data and the folder of localitymap.toml here are read). Repeatable.",
        ),
    ] = None,
) -> None:
    """Re-hash an output's inputs (and the output itself) against its manifest.

    Exits 0 when everything is unchanged, 3 when an input or the output changed, is missing or
    lies outside the folders verify reads.

    Example: localitymap verify report.docx.manifest.json
    """
    from localitymap.errors import EXIT_VALIDATE, visible
    from localitymap.inputs.exercise_file import find_exercise_file
    from localitymap.publication.manifest import verify

    folders = list(allow or ())
    # The exercise you run from is yours, not the manifest's claim: its folder (where the data
    # and exercise file of `localitymap init`'s layout live) is read too.
    here = find_exercise_file()
    if here is not None:
        folders.append(here.parent)
    result = verify(manifest, allow=tuple(folders))
    doc = result["manifest"]
    for check in result["checks"]:
        typer.echo(f"{check['status']:>9}  {visible(check['role']):<13} {visible(check['path'])}")
    out = visible(doc["output"]["path"])
    made = visible(f"made {doc.get('created', '?')} by {doc.get('tool', '?')}")
    if result["current"]:
        typer.echo(f"current: {out} still matches its inputs ({made})")
        return
    if any(c["status"] == "outside" for c in result["checks"]):
        typer.echo(
            "outside: not read, as it lies outside the manifest's folder and the bundled data; "
            "check it with --allow FOLDER if you trust this manifest"
        )
    typer.echo(f"not current: re-run the command to refresh {out} ({made})")
    command = doc.get("command", [])
    if isinstance(command, list):
        typer.echo("command: " + visible(" ".join(map(str, command))))
    raise typer.Exit(EXIT_VALIDATE)
