"""Targets and tolerances for the dashboard's RAG ratings, from the ``[targets]`` tables of the
exercise file (``localitymap.toml``, read by :mod:`localitymap.inputs.exercise_file`)::

    [targets.cp_plans]
    target = 45.0       # per 10,000 (or % for proportions); a count with unit = "count"
    tolerance = 3.0     # how far on the wrong side still counts as amber
    polarity = "low"    # lower is better ("high": higher is better)

>>> t = read_targets(bundled_targets())
>>> t["cp_plans"].value, t["cp_plans"].tolerance, t["cp_plans"].polarity
(45.0, 3.0, 'low')
>>> t["cp_plans"].rag(44.0), t["cp_plans"].rag(47.5), t["cp_plans"].rag(48.1)
('green', 'amber', 'red')
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localitymap.errors import InputError
from localitymap.paths import data_dir

RAG_WORDS = {"green": "On target", "amber": "Near target", "red": "Off target"}


@dataclass(frozen=True)
class Target:
    """One indicator's target. ``polarity`` is ``low`` or ``high`` (which side is better), or ""
    when the file leaves it to the indicator's published benchmark; ``measure`` is ``rate`` or
    ``count``."""

    indicator: str
    value: float
    tolerance: float = 0.0
    polarity: str = ""
    measure: str = "rate"

    def rag(self, value: float | None, polarity: str | None = None) -> str:
        """``green`` (on or better than target), ``amber`` (worse by no more than the tolerance),
        ``red`` (worse by more), or "" for no value or no polarity."""
        side = (polarity or self.polarity).lower()
        if value is None or side not in ("low", "high"):
            return ""
        worse_by = value - self.value if side == "low" else self.value - value
        if worse_by <= 0:
            return "green"
        return "amber" if worse_by <= self.tolerance else "red"


def bundled_targets() -> Path:
    """The illustrative targets that go with the bundled Croydon data."""
    return data_dir() / "targets" / "croydon_illustrative.toml"


def targets_from(
    tables: dict[str, dict[str, Any]], source: str = "exercise file"
) -> dict[str, Target]:
    """Targets from an exercise file's ``[targets]`` tables (``ExerciseSettings.targets``)."""
    out = {}
    for ind, t in tables.items():
        where = f"{source}: [targets.{ind}]"
        value = t.get("target")
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise InputError(f"{where} needs a numeric target", hint="e.g. target = 45.0")
        tol = t.get("tolerance", 0.0)
        if not isinstance(tol, int | float) or isinstance(tol, bool) or tol < 0:
            raise InputError(f"{where}: tolerance must be a number, 0 or more")
        polarity = str(t.get("polarity", "")).lower()
        if polarity not in ("", "low", "high"):
            raise InputError(f"{where}: polarity {polarity!r}", hint="use low or high")
        measure = "count" if str(t.get("unit", "")).strip().lower() == "count" else "rate"
        out[ind] = Target(ind, float(value), float(tol), polarity, measure)
    return out


def read_targets(path: Path) -> dict[str, Target]:
    """The ``[targets]`` of an exercise file, by indicator id ({} when it has none)."""
    from localitymap.inputs.exercise_file import read_exercise

    return targets_from(read_exercise(path).targets, path.name)
