"""``localitymap profiles``: a page per locality (wards and map, population, every indicator,
change, the borough's published benchmarks and the findings), from the exercise's publishable
view."""

from typing import Annotated

import typer

from localitymap.cli import options as opt
from localitymap.cli._common import default_output, emit, exercise_command, provenance, status
from localitymap.cli.dashboard import Authority, Benchmarks, context_for

SUFFIXES = {".docx": "docx", ".html": "html", ".htm": "html"}
Output = opt.document_output("Profiles", ".docx or .html", "profiles.docx")


@exercise_command(default_disclosure="threshold5")
def profiles_command(
    ctx: typer.Context,
    ex,  # noqa: ANN001 (the Exercise, made by exercise_command)
    output: Output = None,
    authority: Authority = None,
    benchmarks: Benchmarks = True,
    title: Annotated[str | None, typer.Option("--title", help="Document title.")] = None,
    force: opt.Force = False,
) -> None:
    """Write locality profiles: one page per locality with its wards (and a map), population by
    age band, every indicator's count, share and rate with its confidence interval against the
    rest of the borough, the change since the last period, published benchmarks and findings.

    Public by default (threshold5). Example: localitymap profiles -s icn6 -o profiles.docx
    """  # fmt: skip
    out = default_output(ex, output, "profiles.docx")
    fmt = SUFFIXES.get(out.suffix.lower())
    if fmt is None:
        raise typer.BadParameter(f"{out.name!r}: use a .docx or .html name", param_hint="--output")
    from localitymap.publication.profiles import exercise_profiles
    from localitymap.renderers.profiles import map_drawer, render_profiles

    doc = exercise_profiles(
        ex, benchmarks=context_for(ex, authority, benchmarks),
        draw_map=map_drawer(ex.boundaries, ex.scheme), title=title,
    )  # fmt: skip
    status(ex)
    emit(render_profiles(doc, fmt), out, force, provenance(ex, ex.table(rates=True).attrs, ctx))
