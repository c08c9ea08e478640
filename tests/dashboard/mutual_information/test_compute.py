"""The mutual information page's cached wrappers give the right numbers in the right shape."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.topics.mutual_information import compute


class TestMutualInformationWrappers:
    def test_gaussian_table_labels_are_cell_centres(self):
        table = compute.gaussian_table(0.3, 5)
        # Inner edges −3, −1, 1, 3: midpoints −2, 0, 2; outer cells half a width (1) beyond ±3.
        assert table.labels == ("-4.00", "-2.00", "+0.00", "+2.00", "+4.00")
        assert sum(map(sum, table.joint)) == pytest.approx(1.0, abs=1e-12)

    def test_information_diagram_segments_tile_the_joint_entropy(self):
        s = compute.mutual_information_summary(((0.3, 0.1), (0.2, 0.4)), "bits")
        frame = compute.information_diagram(s)
        whole = frame[frame["entropy"] == "H(X, Y)"]
        assert whole["start"].iloc[0] == 0.0
        np.testing.assert_allclose(whole["start"].iloc[1:], whole["end"].iloc[:-1])
        assert whole["end"].iloc[-1] == pytest.approx(s.h_xy, rel=1e-12)
        assert frame.groupby("entropy")["value"].sum()["H(Y)"] == pytest.approx(s.h_y, rel=1e-12)

    def test_heatmap_labels_must_fit_the_table(self):
        with pytest.raises(ValueError, match=r"`x_labels` and `y_labels` must label the 2×2 table; got 3 and 2"):
            compute.joint_heatmaps(((0.25, 0.25), (0.25, 0.25)), ("a", "b", "c"), ("a", "b"), "nats")

    def test_index_labels(self):
        assert compute.index_labels(((0.5, 0.5),)) == (("0",), ("0", "1"))
