"""Funnel limits against PHEindicatormethods' published test figures (tests/data/pheindicatormethods).

The figures are the peer's; the code computing ours is :mod:`localitymap.statistics.methods`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from localitymap.statistics.methods import funnel_count_limits, funnel_limits

PEER = Path(__file__).parent / "data" / "pheindicatormethods"
YEARS = 3  # the peer's rate funnel: directly standardised rates over three years
PER = 100_000
# (column stem, level, side): the peer's "2s" limits are 95%, its "3s" limits 99.8%.
RATE_LIMITS = [
    ("lower_2s", 0.95, 0), ("upper_2s", 0.95, 1), ("lower_3s", 0.998, 0), ("upper_3s", 0.998, 1),
]  # fmt: skip


@pytest.fixture(scope="module")
def rate_peer():
    inputs = pd.read_csv(PEER / "funnel_rate_inputs.csv")
    average = inputs["ev"].sum() / (PER * inputs["ev"] / inputs["rate"]).sum()
    return average, pd.read_csv(PEER / "funnel_rate_outputs_sample.csv")


def test_the_rate_average_is_the_published_baseline(rate_peer):
    average, out = rate_peer
    assert f"{average * PER:.10g}" == f"{out['baseline'].iloc[0]:.10g}"


@pytest.mark.parametrize(("stem", "level", "side"), RATE_LIMITS)
def test_poisson_prediction_limits_match_the_peer(rate_peer, stem, level, side):
    """Every published point (events, population) and (events, limit rate) lies on our limit.

    The peer found each population by bisection on v = m / (O + 1 + m) (m the expected count),
    stopping at a step of 2^-24, so its published figures are the root to within 2^-24 in v and
    no closer: that is the precision its digits carry, and ours must fall inside it.
    """
    average, out = rate_peer
    events = out["Events"].to_numpy(float)
    # Our limit curve, inverted: the expected count at which ``events`` is the limit.
    from scipy.optimize import brentq

    def solve(o: float) -> float:
        return brentq(lambda m: funnel_count_limits([m], level)[side][0] - o, 1e-6, 4 * o + 50,
                      xtol=1e-13, rtol=1e-13)  # fmt: skip

    m_ours = np.array([solve(o) for o in events])  # the limit rises with m: invertible
    v_ours = m_ours / (events + 1 + m_ours)
    from_population = out[f"{stem}_population_1_year"].to_numpy(float) * YEARS * average
    from_limit = events / out[f"{stem}_limit"].to_numpy(float) * PER * average
    for m_peer in (from_population, from_limit):
        v_peer = m_peer / (events + 1 + m_peer)
        assert np.abs(v_ours - v_peer).max() <= 2.0**-24 + 1e-9
    assert len(events) == 29


def test_poisson_prediction_limits_are_the_continuous_poisson_tails():
    from scipy.special import gammainc, gammaincc

    m = np.array([0.5, 3.0, 20.0, 250.0, 4000.0])
    for level in (0.95, 0.998):
        alpha = 1 - level
        lower, upper = funnel_count_limits(m, level)
        # P(X <= O | m) = Q(O + 1, m) and P(X >= O | m) = P(O, m) on the continuous scale.
        keep = lower > 0
        assert np.allclose(gammaincc(lower[keep] + 1, m[keep]), alpha / 2, rtol=1e-9)
        assert np.allclose(gammainc(upper, m), alpha / 2, rtol=1e-9)
    # The defect this replaces: the exact CI of m taken as an observation, about a count higher.
    lower, upper = funnel_count_limits([20.0], 0.95)
    assert 11.2 < lower[0] < 11.3 and 29.6 < upper[0] < 29.8  # the CI: 12.2..30.9


@pytest.fixture(scope="module")
def prop_peer():
    inputs = pd.read_csv(PEER / "funnel_prop_inputs.csv")
    return inputs, inputs["numerator"].sum() / inputs["denominator"].sum()


def test_binomial_limits_match_the_peer_to_every_published_digit(prop_peer):
    _, average = prop_peer
    out = pd.read_csv(PEER / "funnel_prop_outputs_sample.csv")
    assert round(average * 100, 6) == out["Baseline"].iloc[0]
    n = out["Population"].tolist()
    matched = 0
    for level, low, high in [
        (0.95, "Lower2s0025limit", "Upper2s0025limit"),
        (0.998, "Lower3s0001limit", "Upper3s0001limit"),
    ]:
        lower, upper = funnel_limits(average, n, level, proportion=True)
        assert [round(x, 6) for x in lower] == out[low].tolist()
        assert [round(x, 6) for x in upper] == out[high].tolist()
        matched += 2 * len(n)
    assert matched == 144


def test_binomial_verdicts_match_every_published_area(prop_peer):
    inputs, average = prop_peer
    share = (inputs["numerator"] / inputs["denominator"] * 100).tolist()
    n = inputs["denominator"].tolist()
    lo95, hi95 = funnel_limits(average, n, 0.95, proportion=True)
    lo998, hi998 = funnel_limits(average, n, 0.998, proportion=True)
    ours = [
        "Low (0.001)" if s < a else "Low (0.025)" if s < b else "High (0.001)" if s > d
        else "High (0.025)" if s > c else "Not significant"
        for s, a, b, c, d in zip(share, lo998, lo95, hi95, hi998, strict=True)
    ]  # fmt: skip
    assert len(ours) == 303 and ours == inputs["significance"].tolist()
