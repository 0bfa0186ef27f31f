"""Stage 2, the model: the exercise, ward-to-locality rollups, geometry and period comparisons.
Imports from :mod:`localitymap.inputs` only."""
