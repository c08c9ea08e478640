"""The dashboard's page registry: one line per page, grouped by the course's sections.

``streamlit_app.py`` builds ``st.navigation`` from :data:`PAGES`, and the home page draws
its map of the course from the same list, so adding a page is one :class:`PageSpec`
line here plus the page's folder in ``dashboard/topics/``. This module imports no
streamlit, so tests can check the registry on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["DASHBOARD_DIR", "INSTRUCTOR_ONLY", "PAGES", "SECTIONS", "PageSpec", "pages_by_section", "visible_pages"]

#: The folder of ``streamlit_app.py``; page paths are relative to it.
DASHBOARD_DIR = Path(__file__).resolve().parents[1]

#: Navigation sections in display order, each with one sentence for the home page map.
SECTIONS: dict[str, str] = {
    "Start": "Where to begin.",
    "Random variables & distributions": (
        "Expectation, variance and the handful of distributions that machine learning uses everywhere."
    ),
    "Bayesian inference": (
        "Turning a prior belief and observed data into a posterior, and how MLE and MAP "
        "relate to the full posterior."
    ),
    "Information theory": (
        "Entropy, cross-entropy, perplexity and the divergences between distributions that "
        "training objectives minimise."
    ),
    "Sampling & MCMC": (
        "Drawing samples when the density is only known up to a constant, and checking that "
        "a chain has mixed."
    ),
    "Fisher information": "How sharply data pins down a parameter, and the bound that follows.",
    "Language models": (
        "A real language model on this machine: its next-token distributions, generation, "
        "perplexity of a sentence and the KL between two policies."
    ),
    "Practice": "Exercises graded against the same numeric core, and the instructor's view.",
}


@dataclass(frozen=True)
class PageSpec:
    """One page of the dashboard.

    Attributes
    ----------
    path : str
        The page script, relative to the ``dashboard/`` folder.
    title : str
        Title in the navigation and on page links.
    section : str
        A key of :data:`SECTIONS`.
    icon : str
        A Material icon, ``":material/name:"``.
    url_path : str
        The page's URL segment; part of a shared link, so keep it stable.
    summary : str
        One sentence for the home page's map of the course.
    default : bool
        True for the page served at the app's root URL (exactly one page).
    """

    path: str
    title: str
    section: str
    icon: str
    url_path: str
    summary: str
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "topics/home/page.py", "Home", "Start", ":material/home:", "home",
        "What ProbStats Lab is and a map of its pages.", default=True,
    ),
    # --- Moments page
    PageSpec(
        "topics/moments/page.py", "Random variables & moments", "Random variables & distributions",
        ":material/functions:", "moments",
        "Edit a distribution and a joint table; see E[X], Var, Cov, Corr, E[E[X|Y]] and the CLT at work.",
    ),
    # --- Distributions page
    PageSpec(
        "topics/distributions/page.py", "The five distributions", "Random variables & distributions",
        ":material/bar_chart:", "distributions",
        "Bernoulli, Categorical, Gaussian, Beta and Dirichlet: parameters, moments, entropy and samples.",
    ),
    PageSpec(
        "topics/beta_binomial/page.py", "Beta-Binomial update", "Bayesian inference",
        ":material/casino:", "beta-binomial",
        "Update a Beta prior on a coin's bias with heads and tails; compare posterior mean, MAP and MLE.",
    ),
    # --- Entropy & perplexity page
    PageSpec(
        "topics/entropy/page.py", "Entropy & perplexity", "Information theory",
        ":material/thermostat:", "entropy",
        "Softmax with temperature over a vocabulary; cross-entropy = entropy + KL; perplexity.",
    ),
    PageSpec(
        "topics/kl_vs_js/page.py", "KL vs JS divergence", "Information theory",
        ":material/compare_arrows:", "kl-vs-js",
        "Pull two Gaussians apart and watch KL grow without bound while JS stays under ln 2.",
    ),
    # --- Mutual information page
    PageSpec(
        "topics/mutual_information/page.py", "Mutual information", "Information theory",
        ":material/join_inner:", "mutual-information",
        "Heatmaps of a joint table against independence; I(X;Y) as overlapping entropies; MI against ρ.",
    ),
    # --- Sampling page
    PageSpec(
        "topics/sampling/page.py", "Sampling", "Sampling & MCMC", ":material/shuffle:", "sampling",
        "Temperature, top-k and top-p on a next-token distribution; inverse-CDF, rejection and "
        "importance sampling; PPO clipping and KL estimators.",
    ),
    # --- MCMC page
    PageSpec(
        "topics/mcmc/page.py", "MCMC samplers", "Sampling & MCMC", ":material/route:", "mcmc",
        "Run Metropolis, Gibbs, HMC and NUTS on hard targets; read trace, rank and "
        "autocorrelation plots and R-hat/ESS, side by side.",
    ),
    # --- Fisher information page
    PageSpec(
        "topics/fisher/page.py", "Fisher information", "Fisher information", ":material/target:",
        "fisher-information",
        "Log-likelihood curvature sharpening with n, the Cramér–Rao bound, natural-gradient paths "
        "and the K-FAC approximation.",
    ),
    # --- Language model page
    PageSpec(
        "topics/language_model/page.py", "Language model", "Language models", ":material/smart_toy:",
        "language_model",
        "SmolLM2-135M's real next-token distribution under temperature, top-k and top-p; generation "
        "step by step; a sentence's surprisal and perplexity; KL and PPO ratios between two policies.",
    ),
    # --- Exercises and Instructor pages (the file is not named exercises.py: run as a
    # script, it would shadow the built-in `exercises` plugin package)
    PageSpec(
        "practice/student_exercises.py", "Exercises", "Practice", ":material/edit_note:", "exercises",
        "Your own variant of each exercise: answer, get graded feedback that names the mistake, "
        "and see your attempts.",
    ),
    PageSpec(
        "practice/instructor.py", "Instructor", "Practice", ":material/school:", "instructor",
        "The gradebook, per-exercise statistics and misconceptions, plugins, CSV export and "
        "`probstats check`.",
    ),
)

#: The url_paths of the pages only instructors may open in a hosted course.
INSTRUCTOR_ONLY = frozenset({"instructor"})


def visible_pages(instructor: bool | None, pages: tuple[PageSpec, ...] = PAGES) -> tuple[PageSpec, ...]:
    """The pages a user may open: all of them locally (``instructor`` None) and for an
    instructor; a hosted course's student misses :data:`INSTRUCTOR_ONLY`.

    Examples
    --------
    >>> len(visible_pages(False)) == len(PAGES) - len(INSTRUCTOR_ONLY)
    True
    """
    if instructor is None or instructor:
        return pages
    return tuple(p for p in pages if p.url_path not in INSTRUCTOR_ONLY)


def pages_by_section(pages: tuple[PageSpec, ...] = PAGES) -> dict[str, list[PageSpec]]:
    """Group ``pages`` by section, in the order of :data:`SECTIONS`; empty sections are left out.

    Raises
    ------
    ValueError
        If a page names a section that is not in :data:`SECTIONS`.

    Examples
    --------
    >>> next(iter(pages_by_section()))
    'Start'
    """
    unknown = [p.title for p in pages if p.section not in SECTIONS]
    if unknown:
        raise ValueError(f"`pages` {unknown} name a section not in SECTIONS: {list(SECTIONS)}")
    grouped: dict[str, list[PageSpec]] = {name: [] for name in SECTIONS}
    for page in pages:
        grouped[page.section].append(page)
    return {name: group for name, group in grouped.items() if group}
