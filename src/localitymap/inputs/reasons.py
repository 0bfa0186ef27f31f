"""Why a case record was not placed in a ward: one fixed list, held as small integer codes.

Every stage of ``assign`` marks each row with a code (0: placed). Codes rather than strings keep
a million rows' bookkeeping to a few vectorised integer operations; the texts appear only in the
summary and the rejects file. The order here is the order summaries list the reasons in.

>>> LABELS[PLACED], code("sector-only postcode") == SECTOR_ONLY
('assigned', True)
"""

from __future__ import annotations

LABELS: tuple[str, ...] = (
    "assigned",
    "no person id",
    "no valid address on the date",
    "no location",
    "invalid coordinates",
    "missing postcode",
    "invalid postcode",
    "sector-only postcode",
    "district-only postcode",
    "unknown postcode",
    "terminated postcode",
    "large-user (non-residential) postcode",
    "postcode without grid reference",
    "outside the exercise's wards",
)
(
    PLACED,
    NO_PERSON,
    NO_ADDRESS,
    NO_LOCATION,
    INVALID_COORDINATES,
    MISSING_POSTCODE,
    INVALID_POSTCODE,
    SECTOR_ONLY,
    DISTRICT_ONLY,
    UNKNOWN_POSTCODE,
    TERMINATED,
    LARGE_USER,
    NO_GRID_REFERENCE,
    OUTSIDE_WARDS,
) = range(len(LABELS))


def code(label: str) -> int:
    """The code of a reason's text."""
    return LABELS.index(label)
