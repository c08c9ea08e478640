"""The code answer kind without running any code: reading source, comparing, feedback.

Values a function "returned" are given as :class:`grader.code_answers.CodeOutputs`, the
data the sandboxed harness sends back; nothing here executes student code.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from grader import ANY, NONFINITE, AnswerError, Checks, Code, checks_from
from grader.code_answers import Check, CodeOutputs, _read_result, check_source, compare
from grader.code_harness import build_arg, to_json

KIND = Code(function="f", params=("x", "base"), imports=("numpy", "math"), ready_made=("scipy.stats.entropy",))


def read(source: str) -> None:
    KIND.parse(source)


class TestCheckSource:
    def test_a_plain_function_is_read(self):
        value = KIND.parse("import numpy as np\nimport math\n\ndef f(x, base=None):\n    return np.sum(x)\n")
        assert value.source.startswith("import numpy")

    def test_a_table_with_code_is_read_and_keeps_its_file_name(self):
        value = KIND.parse({"code": "def f(x, b):\n    return 1\n", "file": "f.py"})
        assert value.file == "f.py"

    @pytest.mark.parametrize(
        ("source", "message"),
        [
            ("import scipy\ndef f(x, b): pass", r"line 1: `import scipy` is not allowed: this exercise may import only numpy, math"),
            ("def f(x, b):\n    import torch\n", r"line 2: `import torch` is not allowed"),
            ("import os.path\ndef f(x, b): pass", r"line 1: `import os.path` is not allowed"),
            ("from core import entropy\ndef f(x, b): pass", r"line 1: `from core import entropy` is not allowed"),
            ("from grader import x\ndef f(x, b): pass", r"line 1: `from grader import x` is not allowed"),
            ("import exercises\ndef f(x, b): pass", r"`import exercises` is not allowed"),
            ("\n\nfrom scipy.stats import entropy\ndef f(x, b): pass", r"line 3: `from scipy.stats import entropy` is the ready-made function"),
            ("from . import x\ndef f(x, b): pass", r"line 1: relative imports are not allowed"),
            ("def f(x, b):\n    return __import__('os')\n", r"line 2: `__import__` is not allowed"),
            ("def f(x, b):\n    exec('1')\n", r"line 2: `exec` is not allowed"),
            ("def f(x, b):\n    return eval('1')\n", r"line 2: `eval` is not allowed"),
            ("import math\ndef f(x, b):\n    return math.__builtins__\n", r"line 3: `__builtins__` is not allowed"),
            ("def f(x, b)\n    return 1\n", r"line 1: syntax error"),
            ("def g(x, b):\n    return 1\n", r"define a function f\(x, base\) at the top level of the code \(it defines g\)"),
            ("x = 1\n", r"define a function f\(x, base\) at the top level of the code$"),
            ("def f(x):\n    return 1\n", r"line 1: f is called as f\(x, base\), with 2 arguments; yours takes \(x\)"),
            ("def f(x, b, c):\n    return 1\n", r"yours takes \(x, b, c\)"),
            ("def f(x, b, *, c):\n    return 1\n", r"yours takes \(x, b, \*, c\)"),
            ("async def f(x, b):\n    return 1\n", r"line 1: f must be a plain function, not async"),
            ("def f(x, b):\n    return 1  # \u202e evil\n", r"line 2: the invisible character U\+202E"),
            ("   \n", r"the code is empty"),
        ],
    )
    def test_refused_before_running_with_the_line(self, source, message):
        with pytest.raises(AnswerError, match=message):
            read(source)

    def test_a_signature_with_defaults_or_star_args_fits(self):
        read("def f(x, base=None, extra=3):\n    return 1\n")
        read("def f(*args):\n    return 1\n")

    def test_identifiers_are_normalised_so_fullwidth_letters_cannot_hide_exec(self):
        # NFKC: the parser reads "ｅｘｅｃ" as exec.
        with pytest.raises(AnswerError, match="`exec` is not allowed"):
            read("def f(x, b):\n    \uff45\uff58\uff45\uff43('1')\n")

    def test_too_long_is_refused(self):
        with pytest.raises(AnswerError, match="the limit is"):
            read("def f(x, b):\n    return 1\n" + "#" * 70_000)

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            (3, "a code answer must be text"),
            ({"code": "def f(x, b): pass", "lang": "py"}, "unknown key\\(s\\): lang"),
            ({"file": "f.py"}, "a `file` answer is read only from a submission file"),
            ({"file": "f.py", "unreadable": "the file 'f.py': no such file"}, "no such file"),
        ],
    )
    def test_bad_raw_answers(self, raw, message):
        with pytest.raises(AnswerError, match=message):
            KIND.parse(raw)

    def test_check_source_alone_names_the_ready_made_function(self):
        with pytest.raises(AnswerError, match="ready-made"):
            check_source("from scipy.special import log_softmax\n", function="log_softmax", params=("z",),
                         imports=("numpy",), ready_made=("scipy.special.log_softmax",))


class TestCompare:
    @pytest.mark.parametrize(
        ("got", "expected", "ok"),
        [
            (1.0 + 1e-9, 1.0, True),
            (1.001, 1.0, False),
            (math.inf, math.inf, True),
            (-math.inf, math.inf, False),
            (math.nan, math.nan, True),
            (math.nan, 1.0, False),
            ([1.0, 2.0], [1.0, 2.0], True),
            ([1.0], [1.0, 2.0], False),
            (1.0, [1.0], False),
            ([1.0], 1.0, False),
            (True, True, True),
            (1, True, True),
            (0, True, False),
            ("yes", True, False),
            (None, 1.0, False),
            (True, 1.0, False),
            ([[1.0, 2.0], True], [[1.0, 2.0], True], True),
            (5.0, ANY, True),
            ([1.0, math.nan], NONFINITE, True),
            ([1.0, 2.0], NONFINITE, False),
        ],
    )
    def test_values(self, got, expected, ok):
        assert (compare(got, expected, rtol=1e-6, atol=1e-9) == "") is ok

    def test_the_reason_says_what_differs_in_shape(self):
        assert compare([1.0], [1.0, 2.0], rtol=1e-6, atol=0) == "1 values where 2 were expected"


def _checks(values: list[float]) -> Checks:
    return Checks(tuple(Check(f"case {i}", ([float(i)], None), v) for i, v in enumerate(values)))


class TestEvaluate:
    def test_partial_credit_by_checks_passed_and_feedback_names_the_input(self):
        expected = _checks([1.0, 2.0, 3.0, 4.0])
        outputs = CodeOutputs(({"value": 1.0}, {"value": 2.0}, {"value": 3.5}, {"value": 4.0}))
        evaluation = KIND.evaluate(outputs, expected)
        assert evaluation.score == 0.75
        bad = [p for p in evaluation.parts if p.score < 1]
        assert [p.part for p in bad] == ["case 2"]
        assert bad[0].message == "on x=[2.0], base=None: expected 3.0, got 3.5"

    def test_an_exception_names_its_line_and_scores_zero_for_that_check(self):
        error = {"type": "ZeroDivisionError", "message": "division by zero", "line": 4, "code": "return 1 / 0"}
        outputs = CodeOutputs(({"value": 1.0}, {"error": error}))
        evaluation = KIND.evaluate(outputs, _checks([1.0, 2.0]))
        assert evaluation.score == 0.5
        assert evaluation.parts[1].message == (
            "on x=[1.0], base=None your function raised ZeroDivisionError at line 4 (`return 1 / 0`): division by zero"
        )

    def test_a_problem_with_the_whole_run_is_one_invalid_part(self):
        evaluation = KIND.evaluate(CodeOutputs(problem="your code did not finish: over 5 s of CPU"), _checks([1.0]))
        assert evaluation.score == 0.0
        assert evaluation.parts[0].verdict == "invalid"

    def test_long_values_are_shortened(self):
        expected = Checks((Check("long", ([0.0] * 200, None), [0.5] * 200),))
        part = KIND.evaluate(CodeOutputs(({"value": [0.25] * 200},)), expected).parts[0]
        assert "…" in part.message and len(part.message) < 300

    def test_a_misconception_matches_only_the_checks_it_gives(self):
        expected = _checks([1.0, 2.0])
        wrong = Checks((Check("case 0", ([0.0], None), ANY), Check("case 1", ([1.0], None), NONFINITE)))
        assert KIND.matches(CodeOutputs(({"value": 7.0}, {"value": math.inf})), wrong)
        assert not KIND.matches(CodeOutputs(({"value": 7.0}, {"value": 2.0})), wrong)
        assert not KIND.matches(CodeOutputs(problem="timeout"), wrong)
        # What check reads for a student holding it: the expected value where ANY, nan where NONFINITE.
        typed = KIND.as_typed_wrong(expected, wrong)
        assert typed.results[0] == {"value": 1.0} and math.isnan(typed.results[1]["value"])

    def test_solve_must_return_checks(self):
        with pytest.raises(ValueError, match=r"must return grader\.Checks"):
            KIND.normalise([1.0])
        with pytest.raises(ValueError, match="names must be distinct"):
            KIND.normalise(Checks((Check("a", (), 1.0), Check("a", (), 2.0))))

    def test_checks_from_calls_the_reference_on_built_arguments(self):
        checks = checks_from([("two", [[1.0, 2.0], None]), ("inf", [["-inf", 0.0], 2])], lambda x, b: x.tolist())
        assert checks.checks[0].expected == [1.0, 2.0]
        assert checks.checks[1].expected == [-math.inf, 0.0]


class TestReadResult:
    @pytest.mark.parametrize(
        "result",
        [
            None,
            [],
            {"import_error": None, "results": [{"value": 1.0}]},  # one result for two checks
            {"import_error": None, "results": [{"value": "text"}, {"value": 1.0}]},
            {"import_error": None, "results": [{"value": {"a": 1}}, {"value": 1.0}]},
            {"import_error": None, "results": [{"nothing": 1}, {"value": 1.0}]},
        ],
    )
    def test_malformed_results_are_the_codes_fault(self, result):
        out = _read_result(result, 2)
        assert out.problem is not None and "could not be read" in out.problem

    def test_an_import_error_is_one_problem(self):
        error = {"type": "NameError", "message": "name 'y' is not defined", "line": 3, "code": "y"}
        out = _read_result({"import_error": error, "results": []}, 2)
        assert out.problem == "importing your code raised NameError at line 3 (`y`): name 'y' is not defined"

    def test_non_finite_strings_become_floats(self):
        out = _read_result({"import_error": None, "results": [{"value": ["inf", "-inf", "nan", 1.5]}]}, 1)
        got = out.results[0]["value"]
        assert got[:2] == [math.inf, -math.inf] and math.isnan(got[2]) and got[3] == 1.5


class TestHarnessConversion:
    """The harness's pure helpers, imported as the trusted code they are (no main())."""

    @pytest.mark.parametrize(
        ("value", "plain"),
        [
            (1.5, 1.5),
            (np.float32(0.5), 0.5),
            (np.int64(3), 3),
            (np.bool_(True), True),
            ((np.array([1.0, np.inf]), False), [[1.0, "inf"], False]),
            (np.array([[1, 2], [3, 4]]), [[1, 2], [3, 4]]),
            (None, None),
            (float("nan"), "nan"),
        ],
    )
    def test_plain_values(self, value, plain):
        assert to_json(value) == plain

    class Lying(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    @pytest.mark.parametrize(
        "value",
        [Lying(1.0), np.array(["a"]), np.array([object()]), {"a": 1}, "text", np.zeros(20_000), [[[[[[1.0]]]]]],
         2**70, np.array([1.0]).view(np.matrix)],
    )
    def test_other_values_are_refused_without_calling_their_methods(self, value):
        from grader.code_harness import _Unconvertible

        with pytest.raises(_Unconvertible):
            to_json(value)

    def test_build_arg_specs(self):
        assert build_arg([1, "inf"]).tolist() == [1.0, math.inf]
        assert build_arg({"$rng": 5}).random() == np.random.default_rng(5).random()
        grad = build_arg({"$gaussian": {"mean": [1.0], "precision": [[2.0]]}, "$part": "grad_log_density"})
        assert grad(np.array([2.0])).tolist() == [-2.0]
        log_density = build_arg({"$gaussian": {"mean": [0.0, 0.0], "precision": [[1.0, 0.0], [0.0, 4.0]]},
                                 "$part": "log_density"})
        assert log_density([1.0, 1.0]) == -2.5
        assert build_arg("HTTH") == "HTTH" and build_arg(None) is None
