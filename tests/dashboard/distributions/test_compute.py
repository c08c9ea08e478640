"""The distributions page's cached wrappers give the right numbers in the right shape."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.topics.distributions import compute


class TestDistributionWrappers:
    def test_the_dirichlet_has_no_line_plot(self):
        with pytest.raises(ValueError, match="lives on the simplex"):
            compute.family_density("dirichlet", {"alpha": (1.0, 2.0, 3.0)})
        with pytest.raises(ValueError, match="lives on the simplex"):
            compute.family_samples("dirichlet", {"alpha": (1.0, 2.0, 3.0)}, 0)

    def test_dirichlet_triangle_needs_three_components(self):
        with pytest.raises(ValueError, match="`alpha` must have 3 components to draw on the triangle; got 2"):
            compute.dirichlet_samples((1.0, 2.0), 0)
        with pytest.raises(ValueError, match="`alpha` must have 3 components for a simplex grid; got 4"):
            compute.dirichlet_simplex((1.0, 2.0, 3.0, 4.0))

    def test_discrete_samples_are_frequencies_per_outcome(self):
        frame = compute.family_samples("categorical", {"probs": (0.5, 0.0, 0.5)}, 1, n_samples=1000)
        np.testing.assert_allclose(frame["bin_start"] + 0.25, [0, 1, 2])
        assert frame["density"].sum() == pytest.approx(1.0)
        assert frame["density"].iloc[1] == 0.0  # an impossible outcome is never drawn
