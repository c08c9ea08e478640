"""The docs table of every page's URL keys is generated, and the committed one is current."""

from __future__ import annotations

import pytest

from dashboard.common import page_docs
from dashboard.common.page_params import PageParams, Param
from dashboard.common.registry import all_page_params


def test_the_committed_table_is_up_to_date():
    text = page_docs.DOCS.read_text(encoding="utf-8")
    assert page_docs.update_docs(text, page_docs.markdown_table(all_page_params())) == text, (
        "docs/plugins.md is stale: run python -m dashboard.common.page_docs"
    )


def test_the_table_has_a_row_per_key_with_bounds_choices_and_defaults():
    page = PageParams("p", "P", (
        Param("n", "n", "int", 3, lo=0, hi=10, step=1, help="A count."),
        Param("u", "u", "choice", "a", choices=("a", "b"), aliases={"x": "a"}, help="A | choice."),
        Param("t", "t", "text", "", max_chars=5),
        Param("f", "f", "float", 0.5, lo=0.0),
    ))
    rows = page_docs.markdown_table([page]).splitlines()
    assert rows[2] == "| `p` | `n` | int | 0 to 10, step 1 | `3` | A count. |"
    assert rows[3] == "| `p` | `u` | choice | `a`, `b`; also `x` | `a` | A \\| choice. |"
    assert rows[4] == "| `p` | `t` | text | up to 5 characters | (empty) |  |"
    assert rows[5] == "| `p` | `f` | float | 0 to … | `0.5` |  |"


def test_update_replaces_only_between_the_markers():
    text = f"intro\n{page_docs.START}\nold\n{page_docs.END}\noutro\n"
    assert page_docs.update_docs(text, "new\n") == f"intro\n{page_docs.START}\nnew\n{page_docs.END}\noutro\n"


@pytest.mark.parametrize("text", ["no markers", f"{page_docs.END} {page_docs.START}", f"{page_docs.START}{page_docs.START}{page_docs.END}"])
def test_missing_or_misplaced_markers_are_refused(text):
    with pytest.raises(ValueError, match="the docs need exactly one"):
        page_docs.update_docs(text, "")


def test_the_command_writes_then_checks(tmp_path, capsys):
    docs = tmp_path / "plugins.md"
    docs.write_text(f"# Doc\n{page_docs.START}\nstale\n{page_docs.END}\n", encoding="utf-8")
    assert page_docs.main(["--check", "--docs", str(docs)]) == 1
    assert "out of date" in capsys.readouterr().out
    assert page_docs.main(["--docs", str(docs)]) == 0
    assert "| `beta-binomial` | `heads` | int | 0 to 1000, step 1 | `4` |" in docs.read_text(encoding="utf-8")
    assert page_docs.main(["--check", "--docs", str(docs)]) == 0
