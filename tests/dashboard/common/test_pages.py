"""The page registry: files exist, sections are known, URLs are unique."""

from __future__ import annotations

import pytest

from dashboard.common.pages import DASHBOARD_DIR, PAGES, SECTIONS, PageSpec, pages_by_section


def test_every_registered_page_file_exists():
    for spec in PAGES:
        assert (DASHBOARD_DIR / spec.path).is_file(), spec.path


def test_url_paths_are_unique_and_one_page_is_the_default():
    assert len({spec.url_path for spec in PAGES}) == len(PAGES)
    assert [spec.title for spec in PAGES if spec.default] == ["Home"]


def test_sections_follow_the_declared_order_and_skip_empty_ones():
    grouped = pages_by_section()
    order = list(SECTIONS)
    assert sorted(grouped, key=order.index) == list(grouped)
    assert all(grouped.values())
    assert sum(len(v) for v in grouped.values()) == len(PAGES)


def test_unknown_section_is_rejected():
    stray = PageSpec("topics/home/page.py", "Stray", "Astrology", ":material/star:", "stray", "x")
    with pytest.raises(ValueError, match=r"`pages` \['Stray'\] name a section not in SECTIONS"):
        pages_by_section((*PAGES, stray))


@pytest.mark.parametrize(
    "module",
    ["dashboard.common.pages", "dashboard.common.ui", "dashboard.common.page_params", "dashboard.common.inputs", "dashboard.common.units"],
)
def test_docstring_examples_run(module):
    # dashboard/ is outside pytest's doctest paths (tests, core), so run them here.
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
