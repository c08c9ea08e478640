"""One colour per concept, the same on every page, safe for colour-blind readers.

Every colour comes from the Okabe–Ito palette (distinguishable under the common forms of
colour blindness). A concept keeps its colour on every page: KL(P‖Q) is vermillion
wherever it is drawn. A colour may serve two concepts that never share a chart (the
mean is black, and so is JS); within one chart no two concepts share a colour, and no
chart pairs vermillion with bluish green for opposed ideas. Charts pick colours only
through these names (:func:`concept_range` for a legend), never a hex literal.

This module is additive: pages on other branches import the names below, so rename
nothing; add a concept when a chart needs one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = [
    "ACCEPTED", "BETA_COLOURS", "CATEGORICAL", "CONCEPTS", "CURVE_COLOURS", "ENTROPY", "EXACT",
    "JS", "KL", "KL_REVERSE", "OUTCOME_COLOURS", "PAIR_COLOURS", "PART_COLOURS", "STAGE_COLOURS",
    "SWEEP_COLOURS", "TOKEN_COLOURS", "VENN_COLOURS", "concept_range",
]

# Okabe & Ito (2008), "Color Universal Design".
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#999999"
LIGHT_GREY = "#BBBBBB"

# --- Distributions compared (information theory, sampling)
P = BLUE                      #: the data / true distribution P
Q = ORANGE                    #: the model / approximating distribution Q
MIXTURE = GREY                #: the midpoint mixture M = (P + Q) / 2 of JS
KL = VERMILLION               #: KL(P‖Q), forward KL, and its pointwise integrand
KL_REVERSE = REDDISH_PURPLE   #: KL(Q‖P), reverse KL
JS = BLACK                    #: Jensen–Shannon divergence
ENTROPY = SKY_BLUE            #: entropy H(P)
CROSS_ENTROPY = BLUE          #: cross-entropy H(P, Q) (= H(P) + KL(P‖Q))
MUTUAL_INFORMATION = BLUISH_GREEN  #: I(X;Y)
CONDITIONAL_X = SKY_BLUE      #: H(X|Y) (an entropy of X)
CONDITIONAL_Y = ORANGE        #: H(Y|X)

# --- Sample against exact, estimates
SAMPLE = LIGHT_GREY           #: what was drawn (histogram bars, sample proportions)
EXACT = BLUE                  #: the exact density / probabilities it is compared with
MEAN = BLACK                  #: an expectation E[X] or posterior mean
MODE = BLUE                   #: a MAP estimate (the posterior's mode)
MLE = ORANGE                  #: a maximum-likelihood estimate (the likelihood's peak)
INTERVAL = SKY_BLUE           #: a credible / confidence interval band

# --- Bayesian updating
PRIOR = GREY
POSTERIOR = BLUE
LIKELIHOOD = ORANGE

# --- Sampling steps
ACCEPTED = BLUE
REJECTED = ORANGE
TARGET = BLUE                 #: the density sampled from
PROPOSAL = GREY               #: the proposal / envelope density
AFTER_TEMPERATURE = SKY_BLUE
AFTER_FILTERING = BLUE
CUT = VERMILLION              #: a threshold drawn on a chart (top-p cut, clip)

# --- Fisher information and optimisation
BOUND = GREY                  #: a theoretical bound (Cramér–Rao, JS ceiling)
GRADIENT = ORANGE             #: plain gradient steps
NATURAL_GRADIENT = BLUE       #: natural-gradient steps
ESTIMATE = REDDISH_PURPLE     #: an estimator's spread or a sweep of estimates
OPTIMUM = BLACK               #: the optimum marked on a landscape

#: Categories with no concept of their own (chains, tokens in order): Okabe–Ito order.
CATEGORICAL: tuple[str, ...] = (BLUE, ORANGE, BLUISH_GREEN, REDDISH_PURPLE, SKY_BLUE, VERMILLION, YELLOW, BLACK)

#: Every named concept, for the legend test and the docs.
CONCEPTS: Mapping[str, str] = {
    name: value for name, value in dict(globals()).items()
    if name.isupper() and isinstance(value, str) and value.startswith("#")
}

# Ranges in legend order, kept for the pages that name a chart's whole range at once.
PAIR_COLOURS = [P, Q]
SWEEP_COLOURS = [KL, KL_REVERSE, JS]
VENN_COLOURS = [CONDITIONAL_X, MUTUAL_INFORMATION, CONDITIONAL_Y]
TOKEN_COLOURS = [P, Q]
PART_COLOURS = [ENTROPY, KL]
BETA_COLOURS = [PRIOR, POSTERIOR, LIKELIHOOD]
STAGE_COLOURS = [AFTER_TEMPERATURE, AFTER_FILTERING]
OUTCOME_COLOURS = [ACCEPTED, REJECTED]
CURVE_COLOURS = list(CATEGORICAL)


def concept_range(colours: Mapping[str, str], shown: Sequence[str] | None = None) -> tuple[list[str], list[str]]:
    """Domain and range for a legend mapping each label to its concept's colour.

    Parameters
    ----------
    colours : Mapping of str to str
        Legend label -> colour (one of this module's names).
    shown : Sequence of str, optional
        The labels actually in the data, in legend order; default all of ``colours``.

    Returns
    -------
    tuple of list of str
        ``(domain, range)`` for ``alt.Scale``.

    Raises
    ------
    ValueError
        If a shown label has no colour.

    Examples
    --------
    >>> concept_range({"KL(P‖Q)": KL, "JS": JS}, ["JS"])
    (['JS'], ['#000000'])
    """
    labels = list(colours) if shown is None else [str(s) for s in shown]
    missing = [label for label in labels if label not in colours]
    if missing:
        raise ValueError(f"`shown` labels {missing} have no colour; known: {list(colours)}")
    return labels, [colours[label] for label in labels]
