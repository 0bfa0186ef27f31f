"""``localitymap init``: write a commented exercise file for the bundled Croydon exercise."""

from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import err, handle_errors


@handle_errors
def init_command(
    folder: Annotated[
        Path, typer.Argument(help="Folder for localitymap.toml (default: this folder).")
    ] = Path(),
    force: opt.Force = False,
) -> None:
    """Write localitymap.toml, the exercise file every command in the folder reads.

    It names the bundled Croydon exercise; point its data line at your own file and rerun.

    Example: localitymap init && localitymap report -o report.docx
    """
    from localitymap.inputs.exercise_file import FILE_NAME, init_text
    from localitymap.outputs import write_atomic

    target = folder / FILE_NAME
    write_atomic(target, init_text(), force=force)
    err(f"wrote {target}: edit it, then run e.g. `localitymap report -o report.docx`")
