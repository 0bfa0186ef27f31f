"""``localitymap profiles``: a page per locality (wards and map, population, every indicator,
change, the borough's published benchmarks and the findings), under disclosure control."""

from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import Provenance, command_line, emit, handle_errors
from localitymap.cli.dashboard import Authority, context_table, load_periods

SUFFIXES = {".docx": "docx", ".html": "html", ".htm": "html"}


@handle_errors
def profiles_command(
    ctx: typer.Context,
    scheme: opt.Scheme,
    output: Annotated[Path, typer.Option("--output", "-o", help="Profiles file: .docx or .html.")],
    disclosure: opt.Disclosure = opt.DisclosurePolicy.threshold5,
    authority: Authority = None,
    benchmarks: Annotated[
        bool, typer.Option("--benchmarks/--no-benchmarks", help="Include published benchmarks.")
    ] = True,
    title: Annotated[str | None, typer.Option("--title", help="Document title.")] = None,
    population: opt.Population = None,
    data: opt.Data = None,
    register: opt.Register = None,
    wards: opt.Wards = None,
    catalogue: opt.Catalogue = None,
    suppressed_range: opt.SuppressedRange = None,
    allow_unassigned: opt.AllowUnassigned = False,
    allow_missing_wards: opt.AllowMissing = False,
    force: opt.Force = False,
) -> None:
    """Write locality profiles: one page per locality with its wards (and a map), population by
    age band, every indicator's count, share and rate with its confidence interval against the
    rest of the borough, the change since the last period, published benchmarks and findings.

    Public by default (--disclosure threshold5). Example: localitymap profiles -s icn6 -o p.docx
    """
    fmt = SUFFIXES.get(output.suffix.lower())
    if fmt is None:
        raise typer.BadParameter(
            f"{output.name!r}: use a .docx or .html name", param_hint="--output"
        )
    common = {
        "scheme": scheme, "register": register, "catalogue": catalogue, "sheet": None,
        "ward_column": None, "suppressed_range": suppressed_range,
        "allow_unassigned": allow_unassigned, "allow_missing_wards": allow_missing_wards,
        "rates": True, "population": population, "disclosure": disclosure.value,
        "publish_wards": True,
    }  # fmt: skip
    loaded = load_periods({**common, "wards": wards, "need_geometry": True}, data)
    latest = loaded[-1]
    from localitymap.publication.profiles import build_profiles
    from localitymap.renderers.profiles import render_profiles

    bench = context_table(authority, latest, catalogue) if benchmarks else None
    doc = build_profiles(
        latest.table, latest.data, latest.scheme, latest.population, latest.boundaries,
        previous=loaded[-2].table if len(loaded) > 1 else None, benchmarks=bench, title=title,
    )  # fmt: skip
    files = list(dict.fromkeys(f for i in loaded for f in i.provenance().files))
    prov = Provenance(files, dict(latest.table.attrs), latest.scheme, command_line(ctx))
    emit(render_profiles(doc, fmt), output, force, prov)
