"""Typed-in numbers, tables and tokens: split and converted, bad text named."""

from __future__ import annotations

import re

import pytest

from dashboard.common import inputs


class TestParsing:
    def test_numbers_tables_and_tokens(self):
        assert inputs.parse_numbers(" 1,2  3e-1 ,-4 ", "values") == (1.0, 2.0, 0.3, -4.0)
        assert inputs.parse_table("1, 2\n\n3, 4;5, 6", "joint") == ((1.0, 2.0), (3.0, 4.0), (5.0, 6.0))
        assert inputs.parse_tokens("the, , cat", "tokens") == ("the", "cat")

    @pytest.mark.parametrize(
        ("call", "message"),
        [
            (lambda: inputs.parse_numbers("  , ", "probs"), "`probs` is empty"),
            (lambda: inputs.parse_numbers("1, 2x", "probs"), "`probs` has '2x', which is not a number"),
            (lambda: inputs.parse_table("", "joint"), "`joint` is empty"),
            (lambda: inputs.parse_table("1; 2, 3", "joint"), "`joint` row 2 has 2 entries; row 1 has 1"),
            (lambda: inputs.parse_tokens(",", "tokens"), "`tokens` is empty"),
        ],
    )
    def test_bad_text_is_named(self, call, message):
        with pytest.raises(ValueError, match=re.escape(message)):
            call()

    def test_docstring_examples_run(self):
        import doctest

        result = doctest.testmod(inputs)
        assert result.attempted > 0 and result.failed == 0
