"""The package is arranged by stage, and imports run one way: a newcomer reads the flow from the
folder names, and no stage reaches forward into a later one (not even inside a function)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "localitymap"
STAGES = ["inputs", "model", "statistics", "publication", "renderers", "cli"]
#: Below every stage: errors, bundled-data paths, safe file writing.
FOUNDATIONS = {"errors", "paths", "outputs"}


def _imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, module, only for type checking) for every ``localitymap`` import in a file."""
    tree = ast.parse(path.read_text())
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in ast.walk(node):
                typing_only.add(id(sub))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("localitymap"):
            out.append((node.lineno, node.module or "", id(node) in typing_only))
    return out


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] in STAGES)


def test_the_top_level_holds_only_the_stages_the_facade_and_the_foundations():
    top = {p.stem for p in PACKAGE.glob("*.py")} | {p.name for p in PACKAGE.iterdir() if p.is_dir()}
    top -= {"__init__", "__pycache__", "__main__", "_data"}
    assert top == set(STAGES) | FOUNDATIONS | {"exercise"}


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_stage_imports_a_later_stage(path):
    stage = STAGES.index(path.relative_to(PACKAGE).parts[0])
    for line, module, typing_only in _imports(path):
        target = module.split(".")[1] if "." in module else ""
        if target in STAGES:
            assert STAGES.index(target) <= stage, f"{path.name}:{line} imports {module}"
        if target == "exercise" and STAGES[stage] != "cli":
            # Builders may name the exercise in type hints only; the exercise calls them.
            assert typing_only, f"{path.name}:{line} imports the exercise at run time"
