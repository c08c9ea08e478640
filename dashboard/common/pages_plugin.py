"""The dashboard's page contracts as a grader plugin: the grader checks exercise links with them.

Declared as the entry point ``dashboard = "dashboard.common.pages_plugin"`` of the group
``probstats.exercises``; the grader's ``register_pages`` hook calls :func:`register_pages`
with a function taking one contract (a :class:`~dashboard.common.page_params.PageParams`
fits the grader's ``PageContract`` protocol: ``url_path``, ``title``, ``link``).
"""

from __future__ import annotations

from collections.abc import Callable

from dashboard.common.page_params import PageParams
from dashboard.common.registry import all_page_params
from grader import hookimpl

__all__ = ["register_pages"]


@hookimpl
def register_pages(register: Callable[[PageParams], None]) -> None:
    """Hand every page contract to the grader, once each."""
    for contract in all_page_params():
        register(contract)
