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

    from localitymap.exercise import Exercise
    from localitymap.inputs.schemes import Scheme

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
    from localitymap.outputs import write_atomic

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
    """``"1-4"`` -> (1, 4); ``"1-"`` -> (1, None); None -> (0, None); a usage error otherwise."""
    from localitymap.errors import InputError
    from localitymap.exercise import parse_range as parse

    try:
        return parse(text)
    except InputError as exc:
        raise typer.BadParameter(exc.one_line(), param_hint="--suppressed-range") from None


#: The exercise's input options, declared once: (parameter name, annotation). Every command
#: decorated with :func:`exercise_command` takes them, and they override the exercise file.
def _shared_options() -> list[tuple[str, Any]]:
    from localitymap.cli import options as opt

    return [
        ("exercise", opt.Exercise), ("scheme", opt.Scheme), ("data", opt.Data),
        ("period", opt.Period), ("register", opt.Register), ("wards", opt.Wards),
        ("ward_code_column", opt.WardCodeColumn), ("ward_name_column", opt.WardNameColumn),
        ("catalogue", opt.Catalogue), ("sheet", opt.Sheet), ("ward_column", opt.WardColumn),
        ("suppressed_range", opt.SuppressedRange), ("population", opt.Population),
        ("per", opt.Per), ("disclosure", opt.Disclosure),
        ("allow_unassigned", opt.AllowUnassigned), ("allow_missing_wards", opt.AllowMissing),
    ]  # fmt: skip


def exercise_command(*, default_disclosure: str = "none") -> Callable[[F], F]:
    """Give a command the exercise's input options and call it with the :class:`Exercise` they
    make (keyword ``ex``), under the one error handler. The command declares only its own
    options; what the inputs are is said once, here and in the exercise file."""
    import inspect

    def decorate(fn: F) -> F:
        sig = inspect.signature(fn)
        own = [p for p in sig.parameters.values() if p.name != "ex"]
        shared = _shared_options()
        names = [name for name, _ in shared]
        added = [
            inspect.Parameter(
                name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=ann,
                default=False if name.startswith("allow_") else None,
            )
            for name, ann in shared
        ]  # fmt: skip

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {name: kwargs.pop(name, None) for name in names}
            ex = build_exercise(values, default_disclosure)
            try:
                return fn(*args, ex=ex, **kwargs)
            finally:
                print_report(Report(list(ex.notes)), levels=("warning", "note"))
                ex.notes.clear()

        wrapper.__signature__ = sig.replace(parameters=[*own, *added])  # type: ignore[attr-defined]
        return handle_errors(wrapper)  # type: ignore[return-value]

    return decorate


def build_exercise(values: dict[str, Any], default_disclosure: str = "none") -> Exercise:
    """The exercise from the exercise file (``--exercise``, or ``localitymap.toml`` here) with the
    options given on the command line on top."""
    from localitymap.exercise import Exercise

    path = values.pop("exercise", None)
    parse_range(values.get("suppressed_range"))  # a usage error (exit 2) before any reading
    disclosure = values.pop("disclosure", None)
    overrides = {k: v for k, v in values.items() if v not in (None, False)}
    if disclosure is not None:
        overrides["disclosure"] = getattr(disclosure, "value", disclosure)
    ex = Exercise.load(path, default_disclosure=default_disclosure, **overrides)
    if not ex.settings.scheme:
        raise typer.BadParameter(
            "no locality scheme: give --scheme (icn6, areas3 or a file), or scheme = in "
            "localitymap.toml (`localitymap init` writes one)",
            param_hint="--scheme",
        )
    if ex.settings.path is not None:
        err(f"exercise: {ex.settings.path.name}")
    return ex


def status(ex: Exercise) -> None:
    """The exercise's publication status on stderr: every command says it."""
    err(("" if ex.public else "warning: ") + ex.status_line())


def cover_gaps(ex: Exercise) -> None:
    """Tell the analyst (not the reader of the file) which cover facts a document will give as
    "Not stated.", and where to set them."""
    missing = [k.replace("_", " ") for k in ("contact", "publication_date")
               if not ex.settings.publication.get(k)]  # fmt: skip
    if missing:
        err(f"note: the cover says 'Not stated.' for the {' and the '.join(missing)}; set "
            f"{' and '.join(k.replace(' ', '_') for k in missing)} under [publication] in "
            "localitymap.toml")  # fmt: skip


def provenance(ex: Exercise, attrs: dict[str, Any], ctx: typer.Context | None = None) -> Provenance:
    """What an output of ``ex`` was made from, for its manifest."""
    return Provenance(ex.input_files(), dict(attrs), ex.scheme, command_line(ctx) if ctx else None)


def default_output(ex: Exercise, output: Path | None, name: str) -> Path:
    """``output``, or ``name`` in the exercise file's output folder (made if needed)."""
    if output is not None:
        return output
    folder = ex.settings.output_folder
    if folder is None:
        raise typer.BadParameter("give --output FILE (or output_folder in localitymap.toml)",
                                 param_hint="--output")  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def write_figures(ex: Exercise, output: Path, figures: pd.DataFrame, force: bool,
                  prov: Provenance) -> None:  # fmt: skip
    """The table behind a chart, as CSV beside the image (same name, ``.csv``): the accessible
    alternative a chart in a public paper needs, under the same disclosure control."""
    from localitymap.renderers.export import figures_csv

    emit(figures_csv(figures, ex.status_line()), output.with_suffix(".csv"), force, prov)
