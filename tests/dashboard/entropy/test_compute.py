"""The entropy page's cached wrappers give the right numbers in the right shape."""

from __future__ import annotations

import pytest

from dashboard.topics.entropy import compute


class TestEntropyWrappers:
    def test_unit_and_vocabulary_are_checked(self):
        with pytest.raises(ValueError, match="`unit` must be 'nats' or 'bits'; got 'bans'"):
            compute.information_summary((0.0, 1.0), (1.0, 0.0), 1.0, "bans")
        with pytest.raises(ValueError, match="`vocab_size` must be >= 1; got 0"):
            compute.uniform_model(0)
        with pytest.raises(ValueError, match="`temperature` must be > 0"):
            compute.information_summary((0.0, 1.0), (1.0, 0.0), 0.0, "nats")
        with pytest.raises(ValueError, match="`mean_nll` must be >= 0"):
            compute.perplexity_of(-1.0, "nats")

    def test_identical_distributions_have_zero_kl(self):
        s = compute.information_summary((1.0, 2.0, 3.0), (1.0, 2.0, 3.0), 1.0, "nats")
        assert s.kl == pytest.approx(0.0, abs=1e-15)
        assert s.cross_entropy == pytest.approx(s.entropy_p, rel=1e-12)
