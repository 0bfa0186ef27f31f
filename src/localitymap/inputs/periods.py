"""Periods as analysts spell them, read into one ordered type and printed one way.

A month may be written ``2019-02``, ``Feb 2019``, ``February 2019``, ``Feb-19``, ``2019-02-01``,
``01/02/2019`` (UK day first) or an Excel date (a date cell, or its serial number such as
``43497`` in a CSV); every one of these is the month ``2019-02``. A financial year (April to March)
is ``2019/20``, ``2019-20``, ``2019/2020`` or ``FY2019/20``, printed ``2019/20``; a quarter is
``2019 Q1`` (calendar) or ``2019/20 Q1`` (financial). Periods of one kind are ordered in time;
months and financial years cannot be put in one order, and :func:`latest` refuses to pretend.

>>> parse_period("Feb 2019").text, parse_period("2019-02-01").text, parse_period("43497").text
('2019-02', '2019-02', '2019-02')
>>> parse_period("2019-20").text, parse_period("Q3 2019/20").text
('2019/20', '2019/20 Q3')
>>> parse_period("Jan 2020") > parse_period("Dec 2019")
True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from localitymap.errors import InputError

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
KIND_NAMES = {
    "month": "months",
    "quarter": "calendar quarters",
    "fy": "financial years",
    "fyq": "financial-year quarters",
    "year": "calendar years",
}
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class Period:
    """A period of one kind (``month``, ``quarter``, ``fy``, ``fyq``, ``year``) and its place in
    time within that kind; ``text`` is how it is printed everywhere."""

    kind: str
    index: int
    text: str

    def __lt__(self, other: Period) -> bool:
        if self.kind != other.kind:
            raise TypeError(f"cannot order {self.text} and {other.text}")
        return self.index < other.index

    def __gt__(self, other: Period) -> bool:
        return other < self

    def __str__(self) -> str:
        return self.text


def _month(year: int, month: int) -> Period:
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        raise ValueError
    return Period("month", year * 12 + month - 1, f"{year:04d}-{month:02d}")


def _fy(start: int) -> Period:
    return Period("fy", start, f"{start}/{(start + 1) % 100:02d}")


def _year(text: str) -> int:
    y = int(text)
    return 2000 + y if len(text) == 2 else y


def _fy_start(a: str, b: str) -> int | None:
    """The start year of a financial year written ``a/b``, when ``b`` is the following year."""
    start = int(a)
    end = int(b)
    if (len(b) == 2 and end == (start + 1) % 100) or (len(b) == 4 and end == start + 1):
        return start
    return None


def parse_period(text: str, *, prefer_financial: bool = False) -> Period:
    """The period a cell or option means; :class:`ValueError` when it is not a period spelling.

    ``2011-12`` can be December 2011 or the financial year 2011/12: it is read as a month unless
    ``prefer_financial`` (set when other periods of the same file are financial years).

    >>> parse_period("February 2019"), parse_period("2019/2020").text
    (Period(kind='month', index=24229, text='2019-02'), '2019/20')
    """
    t = " ".join(text.strip().split())
    low = t.lower()
    fy = re.fullmatch(r"(?:fy\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})(?:\s*fy)?", low)
    fyq = re.fullmatch(
        r"(?:fy\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*[- ]?\s*q([1-4])"
        r"|q([1-4])\s*(?:fy\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})",
        low,
    )
    if fyq:
        a, b, q = (
            (fyq.group(1), fyq.group(2), fyq.group(3))
            if fyq.group(1)
            else (fyq.group(5), fyq.group(6), fyq.group(4))
        )
        start = _fy_start(a, b)
        if start is not None:
            return Period("fyq", start * 4 + int(q) - 1, f"{_fy(start).text} Q{q}")
        raise ValueError(text)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", low)
    if m:
        year, num = int(m.group(1)), int(m.group(2))
        is_fy = len(m.group(2)) == 2 and num == (year + 1) % 100
        if is_fy and (prefer_financial or num > 12):
            return _fy(year)
        return _month(year, num)
    if fy:
        start = _fy_start(fy.group(1), fy.group(2))
        if start is not None:
            return _fy(start)
        raise ValueError(text)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?", low)
    if m:
        dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))  # a real date, or ValueError
        return _month(int(m.group(1)), int(m.group(2)))
    m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", low)
    if m:  # UK order, day first, as UK Excel writes dates into CSV
        dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return _month(int(m.group(3)), int(m.group(2)))
    m = re.fullmatch(r"([a-z]+)\.?[ -]?(\d{4}|\d{2})", low)
    if m and m.group(1) in _MONTHS:
        return _month(_year(m.group(2)), _MONTHS[m.group(1)])
    m = re.fullmatch(r"(\d{4})[ -]?q([1-4])|q([1-4])[ -]?(\d{4})", low)
    if m:
        year, q = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return Period("quarter", int(year) * 4 + int(q) - 1, f"{year} Q{q}")
    if re.fullmatch(r"\d{4}", low) and 1900 <= int(low) <= 2200:
        return Period("year", int(low), low)
    if re.fullmatch(r"\d{5}(\.0+)?", low):  # an Excel date serial number, 1954 to 2119
        serial = int(float(low))
        if 20000 <= serial <= 80000:
            day = _EXCEL_EPOCH + dt.timedelta(days=serial)
            return _month(day.year, day.month)
    raise ValueError(text)


def parse_periods(texts: Iterable[str]) -> dict[str, Period | None]:
    """Each distinct spelling and the period it means (None when it is not a period spelling).
    Ambiguous ``YYYY-YY`` spellings are financial years when any other one is.

    >>> {k: v.text for k, v in parse_periods(["2011-12", "2012/13"]).items()}
    {'2011-12': '2011/12', '2012/13': '2012/13'}
    """
    distinct = list(dict.fromkeys(t for t in texts if t.strip()))
    first: dict[str, Period | None] = {}
    for t in distinct:
        try:
            first[t] = parse_period(t)
        except ValueError:
            first[t] = None
    financial = any(p is not None and p.kind in ("fy", "fyq") for p in first.values())
    if not financial:
        return first
    return {t: (parse_period(t, prefer_financial=True) if p else None) for t, p in first.items()}


def normalise_period(text: str) -> str:
    """How a period given on the command line is printed, or the text itself if it is not one.

    >>> normalise_period("Feb 2019"), normalise_period("Spring term")
    ('2019-02', 'Spring term')
    """
    try:
        return parse_period(text).text
    except ValueError:
        return text.strip()


def latest(periods: Iterable[Period]) -> Period:
    """The latest of periods of one kind; :class:`InputError` when the kinds differ.

    >>> latest([parse_period("Mar 2019"), parse_period("Feb 2020")]).text
    '2020-02'
    """
    items = list(periods)
    kinds = sorted({p.kind for p in items})
    if len(kinds) > 1:
        example = {p.kind: p.text for p in items}
        raise InputError(
            "the data mixes "
            + " and ".join(f"{KIND_NAMES[k]} ({example[k]})" for k in kinds)
            + ", which cannot be put in one order",
            hint="choose one with --period, or keep one kind of period per file",
        )
    return max(items, key=lambda p: p.index)


def ordered(periods: Iterable[Period]) -> list[Period]:
    """Periods oldest first (kinds grouped, so a mixed list still prints in a stable order)."""
    return sorted(set(periods), key=lambda p: (p.kind, p.index))
