"""What every command shares: the error handler (the one place exceptions become exit codes),
stderr messages, and writing results to stdout or a file."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from localitymap.errors import EXIT_DATA, LocalityMapError, Report

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.inputs.indicators import IndicatorData
    from localitymap.inputs.schemes import Scheme
    from localitymap.model.geo import Boundaries
    from localitymap.publication.disclosure import Protection

F = TypeVar("F", bound=Callable[..., Any])
MAX_LISTED = 25


@dataclass
class _State:
    debug: bool = False
    verbose: bool = False


state = _State()


def err(message: str) -> None:
    """One message line on stderr."""
    typer.echo(message, err=True)


def print_report(report: Report, *, levels: tuple[str, ...] = ("error", "warning", "note")) -> None:
    """Problems as one line each on stderr (the first MAX_LISTED of each level)."""
    ordered = report.ordered()
    for level in levels:
        items = [p for p in ordered if p.severity == level]
        for p in items[:MAX_LISTED]:
            err(f"{level}: {p.one_line()}")
        if len(items) > MAX_LISTED:
            err(f"{level}: ... and {len(items) - MAX_LISTED} more (see `localitymap validate`)")


def handle_errors(fn: F) -> F:
    """Run a command; turn library errors into a one-line message and their exit code.

    A traceback is shown only with ``--debug``; it never includes local variables.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except LocalityMapError as exc:
            if state.debug:
                raise
            err(f"error: {exc.one_line()}")
            report = getattr(exc, "report", None)
            if report is not None:
                print_report(report, levels=("error",))
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, typer.BadParameter, KeyboardInterrupt):
            raise  # Typer's own: exit codes 0-2 and its usage messages
        except Exception as exc:
            if state.debug:
                raise
            err(
                f"error: unexpected {type(exc).__name__}: {exc}; "
                "run again with --debug for the traceback and report it"
            )
            raise typer.Exit(EXIT_DATA) from None

    return wrapper  # type: ignore[return-value]


@dataclass
class Provenance:
    """What an output was made from, for the manifest written beside it."""

    files: list[tuple[str, Path]]
    attrs: dict[str, Any]
    scheme: Scheme | None = None
    command: list[str] | None = None


def command_line(ctx: typer.Context) -> list[str]:
    """The command as parsed: its path, then every option that is not at its default (so the
    manifest records what was asked, however it was typed)."""
    from enum import Enum

    parts = ctx.command_path.split()
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if value is None or value == param.default or value in ((), []):
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        opt = param.opts[0] if param.opts and param.opts[0].startswith("-") else None
        for v in values:
            text = v.value if isinstance(v, Enum) else str(v)
            if isinstance(v, bool):
                if opt and v:
                    parts.append(opt)
            elif opt:
                parts += [opt, text]
            else:
                parts.append(text)
    return parts


def emit(
    payload: str | bytes, output: Path | None, force: bool, provenance: Provenance | None = None
) -> None:
    """Send a rendered result to ``output`` (atomically, with its manifest) or to stdout."""
    from localitymap.renderers.export import write_atomic

    if output is None:
        if isinstance(payload, bytes):
            sys.stdout.buffer.write(payload)
        else:
            sys.stdout.write(payload)
        return
    write_atomic(output, payload, force=force)
    err(f"wrote {output}")
    if provenance is not None:
        write_provenance(output, provenance)


def write_provenance(output: Path, provenance: Provenance) -> None:
    """The manifest beside ``output`` (replacing the previous one, which described the old file)."""
    from localitymap.publication.manifest import build_manifest, write_manifest

    scheme = provenance.scheme
    manifest = build_manifest(
        output, provenance.files, attrs=provenance.attrs, command=provenance.command,
        scheme_paths=scheme.paths if scheme else (), scheme_id=scheme.id if scheme else None,
    )  # fmt: skip
    err(f"wrote {write_manifest(output, manifest)}")


def image_format(output: Path) -> str:
    """png, svg or pdf from an output file name; a usage error (exit 2) otherwise."""
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise typer.BadParameter(
            f"{output.name!r}: use a .png, .svg or .pdf name", param_hint="--output"
        )
    return fmt


def parse_range(text: str | None) -> tuple[int, int | None]:
    """``"1-4"`` -> (1, 4); ``"1-"`` -> (1, None); None -> (0, None)."""
    if not text:
        return (0, None)
    lo, _, hi = text.replace("–", "-").partition("-")
    try:
        low = int(lo)
        high = int(hi) if hi.strip() else None
    except ValueError:
        raise typer.BadParameter(f"{text!r}: give a range such as 1-4") from None
    if low < 0 or (high is not None and high < low):
        raise typer.BadParameter(f"{text!r}: the range must be 0 or more, low to high")
    return (low, high)


@dataclass
class Inputs:
    """Everything a rollup-based command works from."""

    data: IndicatorData
    scheme: Scheme
    table: pd.DataFrame
    boundaries: Boundaries | None
    population: pd.DataFrame | None = None
    catalogue: Path | None = None
    protection: Protection | None = None

    def provenance(self, ctx: typer.Context | None = None) -> Provenance:
        """Every file this rollup was made from, by role, and the command that asked for it."""
        files: list[tuple[str, Path]] = [("data", p) for p in self.data.paths]
        files += [("scheme", p) for p in self.scheme.paths]
        if self.data.register.path is not None:
            files.append(("ward register", self.data.register.path))
        if self.boundaries is not None and self.boundaries.path is not None:
            files.append(("boundaries", self.boundaries.path))
        if self.population is not None and self.population.attrs.get("path"):
            files.append(("population", Path(self.population.attrs["path"])))
        if self.catalogue is not None:
            files.append(("catalogue", self.catalogue))
        return Provenance(
            files, dict(self.table.attrs), self.scheme, command_line(ctx) if ctx else None
        )


def load_inputs(
    *,
    scheme: str,
    data: Path | None,
    period: str | None,
    register: Path | None,
    catalogue: Path | None,
    sheet: str | None,
    ward_column: str | None,
    suppressed_range: str | None,
    allow_unassigned: bool,
    allow_missing_wards: bool,
    wards: Path | None = None,
    ward_code_column: str | None = None,
    ward_name_column: str | None = None,
    need_geometry: bool = False,
    indicators: list[str] | None = None,
    rates: bool = False,
    population: Path | None = None,
    per: float = 10_000,
    disclosure: str = "none",
    publish_wards: bool = False,
) -> Inputs:
    """Read the register (or boundaries), the data and the scheme, print the data's warnings and
    notes on stderr, and roll up. Geometry is loaded only when asked for or given.

    Under a ``disclosure`` policy other than none, the table is the publishable one
    (:func:`~localitymap.publication.disclosure.public_table`), with ward figures in the sums when
    ``publish_wards``, and rates are worked out from it."""
    from localitymap.inputs.indicators import load_catalogue, read_indicators
    from localitymap.inputs.schemes import load_scheme
    from localitymap.inputs.wards import load_register
    from localitymap.model.rollup import rollup

    boundaries = None
    reg = load_register(register) if register is not None else None
    if need_geometry or wards is not None:
        from localitymap.model.geo import load_boundaries

        boundaries = load_boundaries(
            wards, code_column=ward_code_column, name_column=ward_name_column, register=reg
        )
        print_report(boundaries.report, levels=("warning", "note"))
        reg = boundaries.register
    reg = reg or load_register()
    ind = read_indicators(
        data,
        register=reg,
        catalogue=load_catalogue(catalogue),
        period=period,
        sheet=sheet,
        ward_column=ward_column,
        suppressed_range=parse_range(suppressed_range),
    )
    print_report(ind.report, levels=("warning", "note"))
    sch = load_scheme(scheme, reg)
    table = rollup(
        ind, sch, allow_unassigned=allow_unassigned, allow_missing_wards=allow_missing_wards
    )
    protection = None
    if disclosure != "none":
        from localitymap.publication.disclosure import protect, public_table

        protection = protect(table, disclosure, data=ind if publish_wards else None, scheme=sch)
        table = public_table(table, protection)
    pop = None
    if rates:
        from localitymap.statistics.rates import add_rates, read_population

        pop = read_population(population, register=reg)
        table = add_rates(table, ind, sch, pop, multiplier=per)
        if table.attrs["no_denominator"]:
            err("note: no denominator for " + ", ".join(table.attrs["no_denominator"])
                + "; name a population column in the catalogue's denominator column")  # fmt: skip
    if indicators:
        from localitymap.inputs.indicators import find_indicator

        keep = [find_indicator(ind.indicators, name).id for name in indicators]
        table = table[table["indicator"].isin(keep)].reset_index(drop=True)
    from localitymap.paths import data_dir

    used_catalogue = catalogue or data_dir() / "indicators" / "catalogue.csv"
    return Inputs(ind, sch, table, boundaries, pop, used_catalogue, protection)
