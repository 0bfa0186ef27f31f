"""localitymap: map children's-services demand from wards to localities.

The public API returns pandas DataFrames. These modules import pandas, geopandas and matplotlib only
inside the functions that need them, so importing the package (and ``localitymap --help``) is fast.

>>> import localitymap
>>> table = localitymap.rollup(None, "icn6")      # bundled, illustrative Croydon data
>>> localitymap.leaders(table).iloc[0]["highest"]
'Central West'
"""

from __future__ import annotations

__version__ = "0.1.0"

# Bound here, after __version__ (which the modules below read), so that the function
# `localitymap.model.rollup` is not shadowed by the submodule of the same name.
from localitymap.exercise import Exercise
from localitymap.inputs.indicators import load_catalogue, read_indicators, validate_indicators
from localitymap.inputs.schemes import check_scheme, list_schemes, load_scheme
from localitymap.inputs.wards import load_register
from localitymap.model.rollup import leaders, rollup

__all__ = [
    "Exercise",
    "__version__",
    "check_scheme",
    "leaders",
    "list_schemes",
    "load_catalogue",
    "load_register",
    "load_scheme",
    "read_indicators",
    "rollup",
    "validate_indicators",
]
