"""Every page's URL contract, in one list (no streamlit, no grader).

Adding a page's contract is one line in :data:`TOPICS`. The grader learns about
them through :mod:`dashboard.common.pages_plugin`, and the docs table of every page's keys
(:mod:`dashboard.common.page_docs`) is generated from the same list.
"""

from __future__ import annotations

import importlib

from dashboard.common.page_params import PageParams

__all__ = ["PAGE_PARAMS", "TOPICS", "all_page_params", "page_params"]

#: The topics with a URL contract (``dashboard/topics/<topic>/params.py``), in the
#: navigation's order; a new page's contract is one more line here.
TOPICS: tuple[str, ...] = (
    "moments",
    "distributions",
    "beta_binomial",
    "entropy",
    "kl_vs_js",
    "mutual_information",
    "sampling",
    "mcmc",
    "fisher",
    "language_model",
)

#: The contracts, in the order of :data:`TOPICS`.
PAGE_PARAMS: tuple[PageParams, ...] = tuple(
    importlib.import_module(f"dashboard.topics.{topic}.params").PARAMS for topic in TOPICS
)


def all_page_params() -> tuple[PageParams, ...]:
    """Every page contract.

    Raises
    ------
    ValueError
        If two contracts claim the same ``url_path``.
    """
    paths = [page.url_path for page in PAGE_PARAMS]
    repeated = sorted({p for p in paths if paths.count(p) > 1})
    if repeated:
        raise ValueError(f"`PAGE_PARAMS` has more than one contract for the pages {repeated}")
    return PAGE_PARAMS


def page_params(url_path: str) -> PageParams:
    """The contract of the page at ``url_path``.

    Raises
    ------
    KeyError
        If no page has that path; the message lists the pages that do.

    Examples
    --------
    >>> page_params("beta-binomial").link({"heads": 3})
    'beta-binomial?heads=3'
    """
    for page in all_page_params():
        if page.url_path == url_path:
            return page
    raise KeyError(f"no page contract for {url_path!r}; pages: {[p.url_path for p in PAGE_PARAMS]}")
