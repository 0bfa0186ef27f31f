"""Errors, collected problem reports, and the one table of exit codes.

The library raises these; only the CLI turns them into messages and exit codes (the ``EXIT_*``
constants below; each exception carries its ``exit_code``). A :class:`Problem` says where (file,
row, field, ward) and what to do, and never carries a case-level record, only the ward and field.

>>> p = Problem("unknown ward 'Adiscombe'", file="data.csv", row=4, hint="did you mean 'Addiscombe West'?")
>>> p.one_line()
"data.csv:4: unknown ward 'Adiscombe'; did you mean 'Addiscombe West'?"
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

#: Exit codes, mapped in this one place. 2 (misused options) is raised by Typer/Click itself.
EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_VALIDATE = 3

Severity = Literal["error", "warning", "note"]

#: Characters that must never reach a terminal, a document or a spreadsheet from input text: C0 and
#: C1 controls (ANSI escapes start with one), DEL, and the invisible direction and width marks that
#: make text display other than it reads (U+202E RIGHT-TO-LEFT OVERRIDE, "Trojan Source").
UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)


def visible(text: str) -> str:
    """Text safe to print: every unsafe character shown as its code point, so a message about a
    crafted cell names it instead of obeying it.

    >>> visible("Fairfield\x1b[2J\u202e")
    'Fairfield<U+001B>[2J<U+202E>'
    """
    return UNSAFE_CHARACTERS.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


@dataclass(frozen=True)
class Problem:
    """One finding about an input: where it is and what to do about it."""

    message: str
    file: str | None = None
    row: int | None = None
    field: str | None = None
    ward: str | None = None
    hint: str | None = None
    severity: Severity = "error"

    def location(self) -> str:
        """`file:row` (or as much of it as is known)."""
        parts = [self.file or ""]
        if self.row is not None:
            parts.append(str(self.row))
        return ":".join(p for p in parts if p)

    def one_line(self) -> str:
        """The problem as one line, `file:row: message; hint`."""
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        return visible(f"{text}; {self.hint}" if self.hint else text)


@dataclass
class Report:
    """Problems collected while reading or checking, so all are shown at once, not just the first."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, message: str, **where: object) -> None:
        """Record one problem; keywords are :class:`Problem` fields."""
        self.problems.append(Problem(message, **where))  # type: ignore[arg-type]

    def extend(self, other: Report | Iterable[Problem]) -> None:
        self.problems.extend(other.problems if isinstance(other, Report) else other)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def ordered(self) -> list[Problem]:
        """Errors first, then warnings, then notes; each by file and row, as a person fixes them."""
        rank = {"error": 0, "warning": 1, "note": 2}
        return sorted(self.problems, key=lambda p: (rank[p.severity], p.file or "", p.row or 0))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "note"]

    @property
    def ok(self) -> bool:
        """True when nothing in the report stops a run (warnings and notes do not)."""
        return not self.errors

    def raise_if_errors(self, what: str) -> None:
        """Raise :class:`InvalidInput` carrying the whole report when it holds any error."""
        if self.errors:
            raise InvalidInput(what, self)


class LocalityMapError(Exception):
    """Base of everything the library raises on purpose. ``exit_code`` is what the CLI exits with."""

    exit_code = EXIT_DATA

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        return visible(f"{self.message}; {self.hint}" if self.hint else self.message)


class InputError(LocalityMapError):
    """An input (indicator, scheme, register or boundary file) cannot be used as given."""


class InvalidInput(InputError):
    """An input failed validation; ``report`` holds every problem found, not just the first."""

    def __init__(self, what: str, report: Report) -> None:
        n = len(report.errors)
        super().__init__(
            f"{what}: {n} problem{'s' if n != 1 else ''} found",
            hint="fix them, or run `localitymap validate` to see the full report",
        )
        self.report = report


class SchemeError(InputError):
    """A scheme does not fit the wards it is used with (unassigned, duplicate or unknown wards)."""

    def __init__(self, message: str, *, hint: str | None = None, report: Report | None = None):
        super().__init__(message, hint=hint)
        self.report = report or Report()


class OutputError(LocalityMapError):
    """An output cannot be written where it was asked for (a folder, a device, an input, a
    read-only folder); the message names the output, never a temporary file."""


class OutputExists(OutputError):
    """Refusing to overwrite an existing output without ``force``."""
