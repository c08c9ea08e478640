"""The palette: named concepts, colour-blind-safe colours, legends built from names."""

from __future__ import annotations

import pytest

from dashboard.common import palette

# Okabe & Ito's colour-universal-design set plus two greys (independent list, typed here).
_OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
              "#999999", "#BBBBBB"}


def test_every_concept_is_a_colour_blind_safe_colour() -> None:
    assert set(palette.CONCEPTS.values()) <= _OKABE_ITO
    assert {"KL", "JS", "P", "Q", "MEAN", "MLE", "POSTERIOR"} <= set(palette.CONCEPTS)


@pytest.mark.parametrize(
    "chart_range",
    [palette.PAIR_COLOURS, palette.SWEEP_COLOURS, palette.VENN_COLOURS, palette.PART_COLOURS,
     palette.BETA_COLOURS, palette.OUTCOME_COLOURS, palette.STAGE_COLOURS],
)
def test_one_chart_never_repeats_a_colour_nor_pairs_vermillion_with_green(chart_range: list[str]) -> None:
    assert len(set(chart_range)) == len(chart_range)
    assert not {palette.VERMILLION, palette.BLUISH_GREEN} <= set(chart_range)


def test_kl_is_the_same_colour_in_every_range_it_appears_in() -> None:
    assert palette.SWEEP_COLOURS[0] == palette.PART_COLOURS[1] == palette.KL


def test_concept_range_keeps_legend_order_and_names_a_missing_label() -> None:
    colours = {"prior": palette.PRIOR, "posterior": palette.POSTERIOR}
    assert palette.concept_range(colours, ["posterior"]) == (["posterior"], [palette.POSTERIOR])
    with pytest.raises(ValueError, match="have no colour"):
        palette.concept_range(colours, ["evidence"])
