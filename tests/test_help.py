"""Help a council analyst can use: an example on every command, every option described, and the
command list readable at 80 columns."""

from __future__ import annotations

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from localitymap.cli import app

runner = CliRunner()


def _commands() -> list[tuple[list[str], object]]:
    root = typer.main.get_command(app)
    out: list[tuple[list[str], object]] = []

    def walk(path: list[str], cmd: object) -> None:
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk([*path, name], sub)
        else:
            out.append((path, cmd))

    walk([], root)
    return out


COMMANDS = _commands()


def test_the_top_level_help_has_an_example_and_whole_descriptions_at_80_columns():
    result = runner.invoke(app, ["--help"], terminal_width=80)
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    listing = result.stdout.split("Commands:")[1]
    assert "..." not in listing  # no description cut off
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_an_example_and_every_option_a_description(path, cmd):
    result = runner.invoke(app, [*path, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    assert "Example:" in result.stdout, f"{' '.join(path)} --help shows no example"
    undocumented = [
        p.opts[0] for p in cmd.params
        if p.param_type_name == "option" and p.opts[0] != "--help" and not (p.help or "").strip()
    ]  # fmt: skip
    assert not undocumented, f"{' '.join(path)}: options without help: {undocumented}"
    for p in cmd.params:
        if p.param_type_name == "option" and hasattr(p.type, "choices") and p.help:
            # Help that lists choices must list the real ones.
            import re

            named = [c for c in p.type.choices if re.search(rf"\b{re.escape(c)}\b", p.help)]
            assert len(named) < 2 or set(named) == set(p.type.choices), (path, p.opts[0])
