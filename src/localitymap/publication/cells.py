"""How a rolled-up figure is shown to a person: counts, ranges, shares and ranks as text.

>>> format_count(113, 113), format_count(110, 118), format_count(110, float("nan"))
('113', '110–118', '≥110')
>>> format_share(0.279012, 0.279012), format_rank(1, 1, 1, tied=True)
('27.9%', '1=')
"""

from __future__ import annotations

import math
import re

EN_DASH = "–"
LEGEND = (
    "Share = % of the borough total. Rank 1 = highest; '=' marks a tie. "
    "a–b = range (suppressed wards); ≥n = lower bound (wards with unknown counts)."
)


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or str(x) == "<NA>"


def format_count(low: float, high: float) -> str:
    """An exact count, a range, or a lower bound."""
    if _missing(high):
        return f"≥{int(low):,}"
    if low == high:
        return f"{int(low):,}"
    return f"{int(low):,}{EN_DASH}{int(high):,}"


def format_share(low: float, high: float, digits: int = 1) -> str:
    """A share as a percentage, or a percentage range when the counts are bounded."""
    if _missing(low) or _missing(high):
        return ""
    a, b = f"{low * 100:.{digits}f}", f"{high * 100:.{digits}f}"
    return f"{a}%" if a == b else f"{a}{EN_DASH}{b}%"


def format_rank(rank: object, best: object, worst: object, *, tied: bool = False) -> str:
    """A rank (``1``, ``2=`` for a tie) or the range of ranks it could take (``2–4``)."""
    if _missing(rank):
        return ""
    if best != worst:
        return f"{int(best)}{EN_DASH}{int(worst)}"  # type: ignore[call-overload]
    return f"{int(rank)}{'=' if tied else ''}"  # type: ignore[call-overload]


def band_label(band: str) -> str:
    """A population band column as words: ``persons_0_15`` -> ``aged 0–15``.

    >>> band_label("persons_16_29"), band_label("persons_65_plus"), band_label("persons_all_ages")
    ('aged 16–29', 'aged 65 and over', 'all ages')
    """
    m = re.fullmatch(r"(?:persons_)?(\d+)_(\d+|plus)", str(band))
    if m:
        low, high = m.groups()
        return f"aged {low} and over" if high == "plus" else f"aged {low}{EN_DASH}{high}"
    if str(band) in ("persons_all_ages", "all_ages"):
        return "all ages"
    return str(band).replace("_", " ")


# Abbreviations in the catalogue's labels, spelled out once where a reader first meets them.
ABBREVIATIONS = {
    "C&F": "children and families",
    "CP": "child protection",
    "CIN": "child in need",
    "EHC": "education, health and care",
    "SEND": "special educational needs and disabilities",
    "SEN": "special educational needs",
    "NEET": "not in education, employment or training",
    "NEETs": "young people not in education, employment or training",
    "LAC": "looked-after children",
    "ICN": "Integrated Care Network",
}


def abbreviations_in(texts: list[str]) -> list[tuple[str, str]]:
    """The known abbreviations that occur (as whole words) in ``texts``, in order of first use.

    >>> [k for k, _ in abbreviations_in(["C&F assessments", "EHC plans", "NEETs", "EHC"])]
    ['C&F', 'EHC', 'NEETs']
    """
    found: dict[str, str] = {}
    for text in texts:
        for word in re.findall(r"[A-Za-z&]+", text):
            if word in ABBREVIATIONS and word not in found:
                found[word] = ABBREVIATIONS[word]
    return list(found.items())


NOT_FOR_PUBLICATION = (
    "NOT FOR PUBLICATION: no disclosure control has been applied. Internal use only."
)


def caption(attrs: dict[str, object]) -> list[str]:
    """Lines every output carries under its table: data status, sources, legend."""
    lines = []
    if attrs.get("illustrative"):
        lines.append(
            "ILLUSTRATIVE DATA: these figures are invented for demonstration and are not real "
            "children's-services data."
        )
    if str(attrs.get("disclosure_policy") or "none") == "none":
        lines.append(NOT_FOR_PUBLICATION)
    period = f" Period: {attrs['period']}." if attrs.get("period") else ""
    lines.append(
        f"Localities: {attrs.get('scheme_name')}.{period} Boundaries: {attrs.get('boundaries')}."
    )
    lines.append("Data: " + "; ".join(map(str, attrs.get("sources", []))))  # type: ignore[call-overload]
    missing = attrs.get("wards_without_data")
    if missing:
        lines.append("Wards without data (counted as unknown): " + ", ".join(missing))  # type: ignore[arg-type]
    lines.append(LEGEND)
    lines.append(disclosure_line(attrs))
    return lines


def disclosure_line(attrs: dict[str, object]) -> str:
    """What disclosure control the output had: every output says, ``none`` included."""
    from localitymap.publication.disclosure import statement

    text = attrs.get("disclosure_statement")
    return str(text) if text else statement("none")


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]  # fmt: skip


def period_label(period: str) -> str:
    """A period in words: ``2019-02`` -> ``February 2019``; anything else unchanged.

    >>> period_label("2019-02"), period_label("2019/20")
    ('February 2019', '2019/20')
    """
    parts = period.split("-")
    if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return period
