"""``localitymap dashboard``: the members' dashboard, one self-contained accessible HTML file (or
the same content as XLSX), under disclosure control."""

from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import Provenance, command_line, emit, err, handle_errors, load_inputs

SUFFIXES = {".html": "html", ".htm": "html", ".xlsx": "xlsx"}

Targets = Annotated[
    Path | None,
    typer.Option(
        "--targets",
        help="Exercise file (TOML) whose [targets] tables set targets and tolerances. Default: "
        "./localitymap.toml when it has targets; the illustrative targets with the bundled data.",
    ),
]
Authority = Annotated[
    str | None,
    typer.Option(
        "--authority", help="Authority for the published benchmarks (default: the register's)."
    ),
]


def load_periods(common: dict, data: Path | None) -> list:
    """Every period the exercise holds, oldest first, each loaded (and protected) as the report
    loads one."""
    from localitymap.inputs.indicators import bundled_periods

    first = load_inputs(data=data, period=None, **common)
    periods = bundled_periods() if data is None else list(first.data.all_periods)
    latest = first.data.period
    periods = [p for p in periods if p and (latest is None or p <= latest)]
    if len(periods) < 2:
        return [first]
    return [first if p == latest else load_inputs(data=data, period=p, **common) for p in periods]


def find_targets(targets: Path | None, data: Path | None) -> dict:
    from localitymap.inputs.targets import bundled_targets, read_targets

    if targets is not None:
        return read_targets(targets)
    local = Path("localitymap.toml")
    if local.is_file():
        found = read_targets(local)
        if found:
            return found
    return read_targets(bundled_targets()) if data is None else {}


def context_table(authority: str | None, inputs, catalogue: Path | None):  # noqa: ANN001, ANN201
    """The published benchmarks for the exercise's authority, or None (with a note) when the
    benchmark data does not cover it."""
    from localitymap.errors import InputError
    from localitymap.inputs.benchmarks import load_benchmarks
    from localitymap.inputs.indicators import load_catalogue
    from localitymap.statistics.benchmark import benchmark

    reg = inputs.data.register
    try:
        return benchmark(
            load_benchmarks(), authority or reg.lad_code or reg.lad_name,
            catalogue=load_catalogue(catalogue),
        )  # fmt: skip
    except InputError as exc:
        err(f"note: no published benchmarks: {exc.one_line()}")
        return None


@handle_errors
def dashboard_command(
    ctx: typer.Context,
    scheme: opt.Scheme,
    output: Annotated[Path, typer.Option("--output", "-o", help="Dashboard file: .html or .xlsx.")],
    disclosure: opt.Disclosure = opt.DisclosurePolicy.threshold5,
    targets: Targets = None,
    authority: Authority = None,
    benchmarks: Annotated[
        bool, typer.Option("--benchmarks/--no-benchmarks", help="Include published benchmarks.")
    ] = True,
    title: Annotated[str | None, typer.Option("--title", help="Dashboard title.")] = None,
    population: opt.Population = None,
    data: opt.Data = None,
    register: opt.Register = None,
    catalogue: opt.Catalogue = None,
    suppressed_range: opt.SuppressedRange = None,
    allow_unassigned: opt.AllowUnassigned = False,
    allow_missing_wards: opt.AllowMissing = False,
    force: opt.Force = False,
) -> None:
    """Write the members' dashboard: each indicator's latest and previous value, direction of
    travel, target and RAG rating, trend, three-year average, published benchmarks, a
    small-number flag, and each locality's trend.

    Public by default (--disclosure threshold5). Example: localitymap dashboard -o dashboard.html
    """
    fmt = SUFFIXES.get(output.suffix.lower())
    if fmt is None:
        raise typer.BadParameter(
            f"{output.name!r}: use a .html or .xlsx name", param_hint="--output"
        )
    common = {
        "scheme": scheme, "register": register, "catalogue": catalogue, "sheet": None,
        "ward_column": None, "suppressed_range": suppressed_range,
        "allow_unassigned": allow_unassigned, "allow_missing_wards": allow_missing_wards,
        "rates": True, "population": population, "disclosure": disclosure.value,
        "publish_wards": True,
    }  # fmt: skip
    loaded = load_periods(common, data)
    from localitymap.publication.dashboard import build_dashboard
    from localitymap.renderers.dashboard import render_dashboard

    bench = context_table(authority, loaded[-1], catalogue) if benchmarks else None
    dash = build_dashboard(
        [i.table for i in loaded], find_targets(targets, data), bench, title=title
    )
    files = [f for i in loaded for f in i.provenance().files]
    files = list(dict.fromkeys(files))
    if targets is not None:
        files.append(("targets", targets))
    prov = Provenance(files, dict(loaded[-1].table.attrs), loaded[-1].scheme, command_line(ctx))
    emit(render_dashboard(dash, fmt), output, force, prov)
