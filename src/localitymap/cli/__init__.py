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
    assign,
    benchmark,
    compare,
    composite,
    crosswalk,
    dashboard,
    design,
    findings,
    funnel,
    init,
    map,
    profiles,
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
    epilog="Example: localitymap init && localitymap report -o report.docx\n\n"
    "Exit codes: 0 success; 1 input or data error; 2 misused options; "
    "3 `validate` or `verify` found problems. Add --debug for a traceback.",
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


app.command("init", short_help="Write localitymap.toml for an exercise.")(init.init_command)
app.command("rollup", short_help="Ward counts to locality counts, shares, ranks.")(
    rollup.rollup_command
)
app.command("validate", short_help="Check indicator files; list every problem.")(
    validate.validate_command
)
app.command("map", short_help="Map one indicator (or all) by locality or ward.")(map.map_command)
app.command("findings", short_help="The plain-English findings for a paper.")(
    findings.findings_command
)
app.command("composite", short_help="Rank localities on a weighted index.")(
    composite.composite_command
)
app.command("funnel", short_help="Funnel plot of rates against population.")(funnel.funnel_command)
app.command("report", short_help="Committee report: Word, HTML or Excel.")(report.report_command)
app.command("compare", short_help="What changed between two periods.")(compare.compare_command)
app.command("verify", short_help="Is an output still current with its inputs?")(
    verify.verify_command
)
app.command("crosswalk", short_help="Move ward counts to another set of wards.")(
    crosswalk.crosswalk_command
)
app.command("allocate", short_help="Posts per locality team from demand.")(
    allocate.allocate_command
)
app.command("design", short_help="Propose balanced contiguous localities.")(design.design_command)
app.command("whatif", short_help="Demand and balance after moving wards.")(design.whatif_command)
app.command("assign", short_help="Case records to ward counts, offline.")(assign.assign_command)
app.command("benchmark", short_help="The authority against England and neighbours.")(
    benchmark.benchmark_command
)
app.command("dashboard", short_help="One-file dashboard for members (HTML/XLSX).")(
    dashboard.dashboard_command
)
app.command("profiles", short_help="One page per locality (Word or HTML).")(
    profiles.profiles_command
)
app.add_typer(schemes.app, name="schemes", short_help="List, show and check locality schemes.")
app.add_typer(wards.app, name="wards", short_help="Fetch ward boundaries and registers.")


def main() -> None:
    """Console-script entry point."""
    # numpy's OpenBLAS starts a thread per core on import (~0.1 s here); the command does no
    # linear algebra that threads would speed up. A value the user set is kept.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    app()
