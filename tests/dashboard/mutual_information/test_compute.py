"""The mutual information page's cached wrappers give the right numbers in the right shape."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.topics.mutual_information import compute


class TestMutualInformationWrappers:
    def test_gaussian_table_labels_inner_centres_and_open_outer_cells(self):
        table = compute.gaussian_table(0.3, 5)
        # Inner edges −3, −1, 1, 3: midpoints −2, 0, 2; the outer cells run out to ∓∞.
        assert table.labels == ("(−∞, −3)", "−2.00", "+0.00", "+2.00", "(3, ∞)")
        assert compute.gaussian_table(0.3, 2).labels == ("(−∞, 0)", "(0, ∞)")
        assert sum(map(sum, table.joint)) == pytest.approx(1.0, abs=1e-12)

    def test_pmi_colour_is_clipped_and_impossible_cells_are_flagged(self):
        # P(1, 1) = 1e-5 against P(X = 1) P(Y = 1) = 0.09 · 0.01001: PMI log(0.0111) ≈ −4.5.
        joint = ((0.9, 0.01), (0.08999, 0.00001))
        frame = compute.joint_heatmaps(joint, ("0", "1"), ("0", "1"), "nats")
        pmi = frame[frame["panel"] == compute.PMI].reset_index(drop=True)
        p = np.asarray(joint)
        expected = np.log(p / np.outer(p.sum(1), p.sum(0)))
        np.testing.assert_allclose(pmi["value"], expected.ravel(), rtol=1e-12)
        np.testing.assert_allclose(pmi["shade"], np.clip(expected.ravel(), -3, 3), rtol=1e-12)
        assert expected[1, 1] < -3 and pmi["shade"].iloc[3] == -3.0
        assert not pmi["impossible"].any()
        zero = compute.joint_heatmaps(((0.5, 0.0), (0.0, 0.5)), ("0", "1"), ("0", "1"), "bits")
        assert list(zero[zero["panel"] == compute.PMI]["impossible"]) == [False, True, True, False]
        # The joint and product panels are not clipped.
        joint_panel = frame[frame["panel"] == compute.JOINT]
        np.testing.assert_allclose(joint_panel["shade"], joint_panel["value"])

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
