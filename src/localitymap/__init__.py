"""localitymap: map children's-services demand from wards to localities.

The public API returns pandas DataFrames; heavy modules load on first use, so importing the package
(and running ``localitymap --help``) stays fast.

>>> import localitymap
>>> table = localitymap.rollup(None, "icn6")      # bundled, illustrative Croydon data
>>> localitymap.leaders(table).iloc[0]["highest"]
'Central West'
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {
    "rollup": "localitymap.rollup",
    "leaders": "localitymap.rollup",
    "read_indicators": "localitymap.indicators",
    "validate_indicators": "localitymap.indicators",
    "load_catalogue": "localitymap.indicators",
    "load_scheme": "localitymap.schemes",
    "check_scheme": "localitymap.schemes",
    "list_schemes": "localitymap.schemes",
    "load_register": "localitymap.wards",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        import importlib

        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'localitymap' has no attribute {name!r}")
