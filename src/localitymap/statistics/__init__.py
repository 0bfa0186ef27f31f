"""Stage 3, statistics: rates with confidence intervals, comparisons, funnel limits, composite
indices, following the public-health methods (Fingertips / PHEindicatormethods)."""
