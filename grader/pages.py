"""The page-parameter contract: what grader needs to know about a dashboard page.

A dashboard page keeps its state in the URL. A plugin (the dashboard's own,
``dashboard.common.pages_plugin``) registers one :class:`PageContract` per page through
the ``register_pages`` hook; grader then builds every exercise's dashboard link with
the page's :meth:`PageContract.link`, which checks each value (an unknown key or a value
out of bounds is a ValueError). grader never imports the dashboard: any object with the
three members below is a contract.

When no contract is registered at all (grader used without the dashboard), links are
built from the exercise's query values as they are, and are not checked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from urllib.parse import urlencode

if TYPE_CHECKING:
    from grader.exercise import DashboardLink

__all__ = ["LinkError", "PageContract", "build_url", "check_contract", "link_query"]


@runtime_checkable
class PageContract(Protocol):
    """One dashboard page's URL state, as the ``register_pages`` hook registers it.

    Attributes
    ----------
    url_path : str
        The page's URL segment, e.g. ``"beta-binomial"``.
    title : str
        The page's title, as shown in the navigation.
    """

    @property
    def url_path(self) -> str: ...

    @property
    def title(self) -> str: ...

    def link(self, values: Mapping[str, object]) -> str:
        """``"url_path?key=value&..."`` for these query values.

        Raises
        ------
        ValueError
            For an unknown key or a value outside the key's bounds, naming the page
            and the key.
        """
        ...


class LinkError(ValueError):
    """An exercise's dashboard link that its page's contract refuses."""


def check_contract(contract: object) -> PageContract:
    """Return ``contract`` if it has the contract's members; raise TypeError/ValueError if not."""
    if not isinstance(contract, PageContract):
        raise TypeError(
            "a page contract needs `url_path`, `title` and a `link(values)` method; "
            f"got {type(contract).__name__}"
        )
    url_path = contract.url_path
    if not isinstance(url_path, str) or not url_path.strip() or url_path != url_path.strip("/ "):
        raise ValueError(
            f"a page contract's `url_path` must be a non-empty URL segment without slashes "
            f"at its ends; got {url_path!r}"
        )
    if not isinstance(contract.title, str) or not contract.title.strip():
        raise ValueError(f"page contract {url_path!r}: `title` must be non-empty text")
    if not callable(contract.link):
        raise TypeError(f"page contract {url_path!r}: `link` must be callable")
    return contract


def link_query(link: DashboardLink, params: Mapping[str, Any]) -> dict[str, Any]:
    """The query values of ``link`` for a variant's ``params`` (empty without ``params``)."""
    return {} if link.params is None else dict(link.params(dict(params)))


def build_url(
    link: DashboardLink,
    params: Mapping[str, Any],
    contract: PageContract | None,
    *,
    exercise_id: str | None = None,
) -> str:
    """The relative URL (``/page?key=value``) of ``link`` for a variant.

    Parameters
    ----------
    link : DashboardLink
        The exercise's link: a page and a function of the variant's parameters.
    params : mapping
        The variant's parameters.
    contract : PageContract or None
        The page's contract; None when no contract is registered (the values are then
        URL-encoded as they are, unchecked).
    exercise_id : str, optional
        Named in the error message.

    Raises
    ------
    LinkError
        If the contract refuses the values (its message names the key and the bound).
    """
    query = link_query(link, params)
    if contract is None:
        suffix = f"?{urlencode(query)}" if query else ""
        return f"/{link.page}{suffix}"
    try:
        url = contract.link(query)
    except ValueError as exc:
        where = f"exercise {exercise_id!r}: " if exercise_id else ""
        raise LinkError(f"{where}dashboard link to page {link.page!r}: {exc}") from exc
    return "/" + url.lstrip("/")


def unknown_page_message(exercise_id: str, page: str, pages: Mapping[str, object]) -> str:
    """The message for a link to a page no contract describes, listing the pages."""
    known = ", ".join(sorted(pages))
    return f"exercise {exercise_id!r}: dashboard link to unknown page {page!r}; the pages are {known}"


#: The type of the ``register`` argument of the ``register_pages`` hook.
RegisterPage = Callable[[PageContract], None]
