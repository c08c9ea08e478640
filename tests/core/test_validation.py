"""The shared checks: each failure names the argument and what is wrong."""

from __future__ import annotations

import numpy as np
import pytest

from core import validation as v


class TestProbabilityVector:
    def test_accepts_within_tolerance(self):
        p = np.array([0.1, 0.2, 0.7 + 0.5 * v.PROB_SUM_ATOL])
        assert v.check_probability_vector(p, "p") is p

    def test_rejects_beyond_tolerance(self):
        with pytest.raises(ValueError, match=r"`probs` must sum to 1 along axis -1"):
            v.check_probability_vector([0.1, 0.2, 0.7 + 3 * v.PROB_SUM_ATOL], "probs")

    def test_checks_every_vector_along_axis(self):
        good = np.array([[0.5, 0.5], [0.2, 0.8]])
        v.check_probability_vector(good, "p", axis=1)
        with pytest.raises(ValueError, match=r"`p` must sum to 1 along axis 0 .* sums to 0.7"):
            v.check_probability_vector(good, "p", axis=0)

    def test_never_normalises(self):
        p = np.array([0.25, 0.75])
        out = v.check_probability_vector(p, "p")
        np.testing.assert_array_equal(out, p)

    def test_rejects_inf(self):
        with pytest.raises(ValueError, match=r"`p` must be finite; found inf at index 1"):
            v.check_probability_vector([0.0, np.inf], "p")

    def test_rejects_empty(self):
        with pytest.raises(ValueError, match=r"`p` must have at least one entry along axis -1"):
            v.check_probability_vector(np.zeros((2, 0)), "p")

    def test_rejects_ragged(self):
        with pytest.raises(ValueError, match=r"`p` must be a rectangular array of numbers"):
            v.check_probability_vector([[0.5, 0.5], [1.0]], "p")

    def test_rejects_booleans(self):
        with pytest.raises(TypeError, match=r"`p` must be numeric, got dtype bool"):
            v.check_probability_vector([True, False], "p")

    def test_rejects_none(self):
        with pytest.raises(TypeError, match=r"`p` must be numeric, got NoneType"):
            v.check_probability_vector(None, "p")


class TestScalarsAndCounts:
    def test_positive(self):
        np.testing.assert_array_equal(v.check_positive([1.0, 2.0], "alpha"), [1.0, 2.0])
        with pytest.raises(ValueError, match=r"`alpha` must be > 0; got -2.0 at index 1"):
            v.check_positive([1.0, -2.0], "alpha")

    @pytest.mark.parametrize(
        ("kwargs", "value", "message"),
        [
            ({}, -0.1, r"`p` must lie in \[0, 1\]; got -0.1"),
            ({}, 1.5, r"`p` must lie in \[0, 1\]; got 1.5"),
            ({"low_open": True}, 0.0, r"`p` must lie in \(0, 1\]; got 0.0"),
            ({"low_open": True, "high_open": True}, 1.0, r"`p` must lie in \(0, 1\); got 1.0"),
        ],
    )
    def test_probability(self, kwargs, value, message):
        with pytest.raises(ValueError, match=message):
            v.check_probability(value, "p", **kwargs)

    def test_counts_accept_whole_floats(self):
        np.testing.assert_array_equal(v.check_counts([3.0, 0.0], "heads"), [3, 0])

    def test_counts_reject_fractions(self):
        with pytest.raises(ValueError, match=r"`heads` must be whole numbers; got 2.5"):
            v.check_counts(2.5, "heads")

    def test_counts_reject_negative(self):
        with pytest.raises(ValueError, match=r"`tails` must be non-negative; got -3 at index 1"):
            v.check_counts([1, -3], "tails")

    def test_int(self):
        assert v.check_int(np.int64(4), "n") == 4
        assert v.check_int(4.0, "n") == 4
        with pytest.raises(TypeError, match=r"`n` must be an integer, got 4.5"):
            v.check_int(4.5, "n")
        with pytest.raises(TypeError, match=r"`n` must be an integer, got True"):
            v.check_int(True, "n")
        with pytest.raises(ValueError, match=r"`n` must be <= 10; got 11"):
            v.check_int(11, "n", maximum=10)

    def test_choice(self):
        with pytest.raises(ValueError, match=r"`family` must be one of 'a', 'b'; got 'c'"):
            v.check_choice("c", "family", ("a", "b"))

    def test_same_shape(self):
        v.check_same_shape(np.zeros(3), np.ones(3), "a", "b")
        with pytest.raises(ValueError, match=r"`x` and `y` must have the same shape; got \(3,\) and \(2, 2\)"):
            v.check_same_shape(np.zeros(3), np.zeros((2, 2)), "x", "y")


class TestTables:
    def test_joint_table(self):
        v.check_joint_table([[0.1, 0.2], [0.3, 0.4]])
        with pytest.raises(ValueError, match=r"`joint` must be non-negative; found -0.1"):
            v.check_joint_table([[0.6, 0.5], [-0.1, 0.0]])
        with pytest.raises(ValueError, match=r"`joint` must not be empty"):
            v.check_joint_table(np.zeros((0, 2)))
        with pytest.raises(ValueError, match=r"`joint` must be a 2-D table .* got 3-D"):
            v.check_joint_table(np.full((2, 2, 2), 1 / 8))

    def test_logits(self):
        with pytest.raises(ValueError, match=r"`logits` must have at least one class"):
            v.check_logits(np.zeros((2, 0)))

    def test_huge_finite_values_pass_despite_overflowing_sum(self):
        big = np.full(4, 3e38, dtype=np.float32)  # the float32 sum overflows; the values are finite
        assert v.check_finite(big, "x") is big


class TestScalarFastPaths:
    """Plain Python numbers skip numpy's checks; the results must be the same as the slow path."""

    def test_finite_scalars(self):
        for value in (0, -3, 2.5, 2**53):
            out = v.check_finite(value, "x")
            assert out.dtype == np.float64 and out.ndim == 0 and float(out) == value
        assert v.check_finite(np.float64(2.5), "x") == 2.5  # numpy scalars take the slow path

    @pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
    def test_non_finite_floats_still_rejected(self, value):
        with pytest.raises(ValueError, match=r"`x` must be finite"):
            v.check_finite(value, "x")

    def test_bools_are_not_numbers(self):
        with pytest.raises(TypeError, match=r"`x` must be numeric, got dtype bool"):
            v.check_finite(True, "x")

    def test_counts(self):
        out = v.check_counts(7, "n")
        assert out.dtype == np.int64 and int(out) == 7
        assert int(v.check_counts(2**60, "n")) == 2**60  # beyond the fast path, still exact
        with pytest.raises(ValueError, match=r"`n` must be non-negative; got -1"):
            v.check_counts(-1, "n")
