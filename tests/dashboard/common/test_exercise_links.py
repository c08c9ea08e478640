"""Each topic page ends with links to the exercises it visualises; the home page maps them."""

from __future__ import annotations

import pytest

from dashboard.common.pages import PAGES
from grader import load_exercises
from tests.dashboard.helpers import app_test

TOPIC_PAGES = [p for p in PAGES if p.url_path not in {"home", "exercises", "instructor"}]


def linked_ids(url_path: str) -> set[str]:
    # Straight from the registry, not through the dashboard's helper.
    return {
        e.id for e in load_exercises().exercises.values() if e.dashboard is not None and e.dashboard.page == url_path
    }


@pytest.mark.parametrize("spec", TOPIC_PAGES, ids=lambda s: s.url_path)
def test_topic_page_links_every_exercise_it_visualises(spec):
    expected = linked_ids(spec.url_path)
    assert expected, f"no exercise links to the {spec.url_path!r} page"
    at = app_test().run()
    at.switch_page(spec.path).run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    for exercise_id in expected:
        assert f"exercises?exercise={exercise_id}" in text


def test_home_page_lists_exercises_under_their_pages():
    at = app_test().run()
    captions = "\n".join(c.value for c in at.caption)
    for spec in TOPIC_PAGES:
        for exercise_id in linked_ids(spec.url_path):
            assert f"exercise={exercise_id}" in captions
