"""The colour ranges of the topic charts, matched to categories in order of first appearance."""

from __future__ import annotations

__all__ = ["BETA_COLOURS", "CURVE_COLOURS", "OUTCOME_COLOURS", "PAIR_COLOURS", "PART_COLOURS", "STAGE_COLOURS", "SWEEP_COLOURS", "TOKEN_COLOURS", "VENN_COLOURS"]

PAIR_COLOURS = ["#1f77b4", "#ff7f0e"]  # P, Q
SWEEP_COLOURS = ["#1f77b4", "#9467bd", "#d62728"]  # KL(P‖Q), KL(Q‖P), JS
VENN_COLOURS = ["#1f77b4", "#9467bd", "#ff7f0e"]  # H(X|Y), I(X;Y), H(Y|X)
TOKEN_COLOURS = ["#1f77b4", "#ff7f0e"]  # P (data), Q (model)
PART_COLOURS = ["#1f77b4", "#d62728"]  # H(P), KL(P‖Q)
BETA_COLOURS = ["#7f7f7f", "#1f77b4", "#ff7f0e"]  # prior, posterior, likelihood
STAGE_COLOURS = ["#9ecae1", "#08519c"]  # after temperature, after filtering
OUTCOME_COLOURS = ["#2ca02c", "#d62728"]  # accepted, rejected
CURVE_COLOURS = ["#1f77b4", "#7f7f7f", "#ff7f0e", "#2ca02c"]  # generic, in order
