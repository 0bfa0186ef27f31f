"""Targets and tolerances for the dashboard's RAG ratings, from the ``[targets]`` tables of an
exercise file (TOML)::

    [targets.cp_plans]
    value = 45.0        # in the measure's units (rate per 10,000, %, or count)
    tolerance = 3.0     # how far on the wrong side still counts as amber
    polarity = "low"    # lower is better ("high": higher is better)
    measure = "rate"    # or "count"

>>> t = read_targets(bundled_targets())
>>> t["cp_plans"].value, t["cp_plans"].tolerance, t["cp_plans"].polarity
(45.0, 3.0, 'low')
>>> t["cp_plans"].rag(44.0), t["cp_plans"].rag(47.5), t["cp_plans"].rag(48.1)
('green', 'amber', 'red')
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from localitymap.errors import InputError
from localitymap.paths import data_dir, display_path

RAG_WORDS = {"green": "On target", "amber": "Near target", "red": "Off target"}


@dataclass(frozen=True)
class Target:
    """One indicator's target. ``polarity`` is ``low`` or ``high`` (which side is better), or ""
    when the file leaves it to the indicator's published benchmark."""

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


def read_targets(path: Path) -> dict[str, Target]:
    """The ``[targets]`` tables of an exercise file, by indicator id ({} when it has none)."""
    shown = display_path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{shown}: exercise file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{shown}: not valid TOML ({exc})", hint="check the line named") from None
    tables = doc.get("targets", {})
    if not isinstance(tables, dict):
        raise InputError(f"{shown}: [targets] must be tables such as [targets.cp_plans]")
    out = {}
    for ind, t in tables.items():
        where = f"{shown}: [targets.{ind}]"
        if not isinstance(t, dict) or not isinstance(t.get("value"), int | float):
            raise InputError(f"{where} needs a number 'value'", hint="e.g. value = 45.0")
        tol = t.get("tolerance", 0.0)
        polarity = str(t.get("polarity", "")).lower()
        measure = str(t.get("measure", "rate")).lower()
        if not isinstance(tol, int | float) or tol < 0:
            raise InputError(f"{where}: tolerance must be a number, 0 or more")
        if polarity not in ("", "low", "high"):
            raise InputError(f"{where}: polarity {polarity!r}", hint="use low or high")
        if measure not in ("rate", "count"):
            raise InputError(f"{where}: measure {measure!r}", hint="use rate or count")
        out[ind] = Target(ind, float(t["value"]), float(tol), polarity, measure)
    return out
