"""The ``localitymap`` command: a thin layer that parses options, calls the library and renders.

Command modules import pandas and friends inside their functions, so ``--help`` stays light.
They also leave out ``from __future__ import annotations``: with string annotations Typer evals
every parameter's annotation on each run, which cost more than the rest of a rollup's own work.
"""

import os

import typer

from localitymap import __version__
from localitymap.cli import (
    allocate,
    compare,
    composite,
    crosswalk,
    design,
    findings,
    funnel,
    init,
    map,
    report,
    rollup,
    schemes,
    validate,
    verify,
    wards,
)
from localitymap.cli._common import state

app = typer.Typer(
    name="localitymap",
    help="Map children's-services demand from wards to localities: counts, shares and ranks.",
    epilog="Exit codes: 0 success; 1 input or data error; 2 misused options; "
    "3 `validate` found problems. Add --debug for a traceback.",
    no_args_is_help=True,
    add_completion=False,
    # Plain help text: Typer's rich help formatter costs more start-up than the whole --help budget.
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,  # tracebacks must never print children's data
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"localitymap {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: bool = typer.Option(False, "--debug", help="Show a traceback when something fails."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what is read and done."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Global options, set before any command runs."""
    state.debug = debug
    state.verbose = verbose
    if verbose:
        import logging

        logging.basicConfig(level=logging.INFO, format="localitymap: %(message)s")


app.command("init")(init.init_command)
app.command("rollup")(rollup.rollup_command)
app.command("validate")(validate.validate_command)
app.command("map")(map.map_command)
app.command("findings")(findings.findings_command)
app.command("composite")(composite.composite_command)
app.command("funnel")(funnel.funnel_command)
app.command("report")(report.report_command)
app.command("compare")(compare.compare_command)
app.command("verify")(verify.verify_command)
app.command("crosswalk")(crosswalk.crosswalk_command)
app.command("allocate")(allocate.allocate_command)
app.command("design")(design.design_command)
app.command("whatif")(design.whatif_command)
app.add_typer(schemes.app, name="schemes")
app.add_typer(wards.app, name="wards")


def main() -> None:
    """Console-script entry point."""
    # numpy's OpenBLAS starts a thread per core on import (~0.1 s here); the command does no
    # linear algebra that threads would speed up. A value the user set is kept.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    app()
