"""The two KL fits of one Gaussian to a two-mode mixture, against closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from dashboard.topics.kl_vs_js import mixture_fit


def test_forward_kl_fit_matches_the_mixtures_mean_and_variance():
    # Minimising KL(P‖Q) over Gaussians Q is moment matching (closed form below).
    fits = mixture_fit.mixture_fits(4.0, 0.5, 0.3)
    w, m, s = np.array([0.3, 0.7]), np.array([-2.0, 2.0]), 0.5
    mean = float(w @ m)
    sd = math.sqrt(float(w @ (s**2 + m**2)) - mean**2)
    assert fits.forward.mu == pytest.approx(mean, abs=1e-4)
    assert fits.forward.sigma == pytest.approx(sd, abs=1e-4)


def test_reverse_kl_fit_locks_onto_the_heavier_mode_when_modes_are_apart():
    fits = mixture_fit.mixture_fits(6.0, 0.5, 0.3)
    assert fits.reverse.mu == pytest.approx(3.0, abs=1e-2)
    assert fits.reverse.sigma == pytest.approx(0.5, abs=1e-2)
    # Q on one mode: KL(Q‖P) ≈ −log(weight of that mode), by scipy quad as reference.
    p = lambda x: 0.3 * stats.norm.pdf(x, -3, 0.5) + 0.7 * stats.norm.pdf(x, 3, 0.5)  # noqa: E731
    q = stats.norm(fits.reverse.mu, fits.reverse.sigma)
    reference = integrate.quad(lambda x: q.pdf(x) * (q.logpdf(x) - math.log(p(x))), -10, 10, points=[-3, 3])[0]
    assert fits.reverse.kl_qp == pytest.approx(reference, abs=1e-6)
    assert reference == pytest.approx(-math.log(0.7), abs=1e-3)
    # Mode-seeking is bad by the other direction: it leaves the other mode uncovered.
    assert fits.reverse.kl_pq > 10 * fits.forward.kl_pq


def test_one_mode_makes_both_fits_that_gaussian():
    fits = mixture_fit.mixture_fits(0.0, 1.2, 0.5)
    for fit in (fits.forward, fits.reverse):
        assert (fit.mu, fit.sigma) == pytest.approx((0.0, 1.2), abs=1e-4)


def test_curves_hold_the_mixture_and_both_fits():
    curves = mixture_fit.fit_curves(mixture_fit.mixture_fits(4.0, 0.5, 0.5))
    assert list(curves["curve"].unique()) == [mixture_fit.MIXTURE, mixture_fit.FORWARD, mixture_fit.REVERSE]
    mix = curves[curves["curve"] == mixture_fit.MIXTURE]
    np.testing.assert_allclose(
        mix["density"], 0.5 * stats.norm.pdf(mix["x"], -2, 0.5) + 0.5 * stats.norm.pdf(mix["x"], 2, 0.5), rtol=1e-10)


@pytest.mark.parametrize(("args", "message"), [((4.0, 0.5, 1.0), "`weight`"), ((-1.0, 0.5, 0.5), "`gap`"),
                                                ((4.0, 0.0, 0.5), "`sigmas` must be > 0")])
def test_bad_inputs_are_value_errors_naming_the_argument(args, message):
    with pytest.raises(ValueError, match=message):
        mixture_fit.mixture_fits(*args)
