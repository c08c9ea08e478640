"""grader.authoring: declarations become ordinary exercises; the grader does the bookkeeping."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from grader import (
    Exercise,
    InvalidExercise,
    Number,
    Record,
    build_registry,
    grade_answer,
    variant_for,
)
from grader.authoring import (
    LINK_POSITION,
    choice,
    counts,
    exercise,
    integers,
    mistake,
    render,
    uniform,
)
from grader.variants import params_for_seed

SECRET = "authoring-tests"


def _squares(**overrides: object) -> Exercise:
    # x² against the misconception "x": the two coincide at x = 0 and x = 1.
    declaration: dict[str, object] = {
        "id": "demo.squares",
        "title": "Squares",
        "params": {"x": integers(0, 6)},
        "prompt": "What is $[[ x ]]^{2}$?",
        "solve": lambda v: v.x**2,
        "answer": Number(rtol=0.0, atol=0.01),
        "misconceptions": [mistake("forgot_square", "You gave x itself.", lambda v: v.x)],
    }
    declaration.update(overrides)
    return exercise(**declaration)  # type: ignore[arg-type]


class TestResampling:
    def test_draws_where_a_misconception_equals_the_answer_are_redrawn(self) -> None:
        squares = _squares()
        # Without resampling, some of these seeds draw x = 0 or 1 first (checked, so the
        # test cannot pass vacuously) ...
        first = [int(np.random.default_rng(seed).integers(0, 6)) for seed in range(200)]
        assert sum(x in (0, 1) for x in first) > 20
        # ... and none of the variants has them; the others keep their first draw.
        drawn = [params_for_seed(squares, seed)["x"] for seed in range(200)]
        assert not {0, 1} & set(drawn)
        assert all(d == f for d, f in zip(drawn, first, strict=True) if f not in (0, 1))

    def test_within_the_imprecise_band_is_not_told_apart(self) -> None:
        # atol 0.01: a misconception 0.05 away is only "imprecise", so it is redrawn.
        near = _squares(misconceptions=[mistake("near", "Close.", lambda v: v.x**2 + (0.05 if v.x == 3 else 5))])
        assert all(params_for_seed(near, seed)["x"] != 3 for seed in range(200))

    def test_a_misconception_graded_as_an_earlier_one_is_redrawn(self) -> None:
        # 2x and x + 2 coincide at x = 2: the second could never be named there.
        two = _squares(
            params={"x": integers(2, 6)},
            misconceptions=[
                mistake("doubled", "You doubled it.", lambda v: 2 * v.x),
                mistake("added_two", "You added two.", lambda v: v.x + 2),
            ],
        )
        assert all(params_for_seed(two, seed)["x"] != 2 for seed in range(200))

    def test_accept_adds_the_problems_own_conditions(self) -> None:
        odd = _squares(accept=lambda v: v.x % 2 == 1)
        assert {params_for_seed(odd, seed)["x"] for seed in range(100)} == {3, 5}

    def test_bounded_tries_error_names_the_exercise(self) -> None:
        never = _squares(id="demo.never", misconceptions=[mistake("same", "Same.", lambda v: v.x**2)], max_tries=5)
        with pytest.raises(InvalidExercise, match=r"exercise 'demo\.never': no draw in 5 .*'same' gives the expected answer"):
            params_for_seed(never, 0)

    def test_registration_reports_the_exercise_that_cannot_separate(self) -> None:
        never = _squares(id="demo.never", misconceptions=[mistake("same", "Same.", lambda v: v.x**2)], max_tries=3)

        class Plugin:
            register_exercises = staticmethod(collect_only(never))

        registry = build_registry(builtin=False, autoload=False, extra_plugins=[("demo", Plugin())])
        assert "demo.never" not in registry.exercises
        assert [str(e) for e in registry.errors] == [
            "plugin 'demo': exercise 'demo.never': generate failed: InvalidExercise: exercise 'demo.never': "
            "no draw in 3 told the answer and every misconception apart; the last one: misconception "
            "'same' gives the expected answer, to within its tolerance"
        ]

    def test_max_tries_must_be_positive(self) -> None:
        with pytest.raises(ValueError, match="`max_tries` must be a positive integer; got 0"):
            _squares(max_tries=0)


def collect_only(*exercises: Exercise):  # type: ignore[no-untyped-def]
    from grader import hookimpl

    @hookimpl
    def register_exercises(register):  # type: ignore[no-untyped-def]
        for e in exercises:
            register(e)

    return register_exercises


class TestComputedOnce:
    def test_derive_solve_and_misconceptions_run_once_per_variant(self) -> None:
        calls = {"derive": 0, "solve": 0, "wrong": 0}

        def derive(v):  # type: ignore[no-untyped-def]
            calls["derive"] += 1
            return {"root": math.sqrt(v.n)}

        def solve(v):  # type: ignore[no-untyped-def]
            calls["solve"] += 1
            return v.root

        def wrong(v):  # type: ignore[no-untyped-def]
            calls["wrong"] += 1
            return v.n

        roots = exercise(
            id="demo.roots", title="Roots", params={"n": integers(2, 100)}, derive=derive,
            prompt="sqrt([[ n ]])", solve=solve, answer=Number(),
            misconceptions=[mistake("no_root", "That is n.", wrong)],
        )
        n = variant_for("s1", roots, secret=SECRET).params["n"]
        for raw in (math.sqrt(n), n, 1.0, "sqrt(2)"):
            grade_answer(roots, raw, student_id="s1", secret=SECRET)
        roots.render_prompt({"n": n})
        assert calls == {"derive": 1, "solve": 1, "wrong": 1}


class TestPrompts:
    def test_latex_braces_are_written_once(self) -> None:
        text = render(r"$\frac{1}{[[ n ]]} + \mathrm{KL}(p\,\|\,q)$ and $x^{[[ k | fmt('.2f') ]]}$", {"n": 7, "k": 0.5})
        assert text == r"$\frac{1}{7} + \mathrm{KL}(p\,\|\,q)$ and $x^{0.50}$"

    def test_blocks_loops_and_filters(self) -> None:
        template = "| i | c |\n|---|---|\n[% for c in cs %]\n| [[ loop.index ]] | [[ c ]] |\n[% endfor %]\np = [[ cs | fractions ]]"
        assert render(template, {"cs": [1, 3]}) == "| i | c |\n|---|---|\n| 1 | 1 |\n| 2 | 3 |\np = (1/4, 3/4)"

    def test_an_unknown_name_is_an_error(self) -> None:
        import jinja2

        with pytest.raises(jinja2.UndefinedError, match="'nll' is undefined"):
            render("[[ nll ]]", {"n": 1})

    def test_a_broken_template_fails_at_declaration(self) -> None:
        with pytest.raises(InvalidExercise, match=r"exercise 'demo.squares': prompt template: TemplateSyntaxError"):
            _squares(prompt="[% for x in %]")

    def test_prompt_file_next_to_the_module(self, tmp_path: Path) -> None:
        (tmp_path / "q.md").write_text(r"Give $\sqrt{[[ n ]]}$." + "\n", encoding="utf-8")
        (tmp_path / "fileprompt.py").write_text(
            "from grader import Number\n"
            "from grader.authoring import collect, exercise, integers\n"
            "ROOT = exercise(id='demo.file_prompt', title='Root', params={'n': integers(2, 9)},\n"
            "                prompt_file='q.md', solve=lambda v: v.n ** 0.5, answer=Number())\n"
            "register_exercises = collect(__name__)\n",
            encoding="utf-8",
        )
        registry = build_registry(builtin=False, autoload=False, plugins_dir=tmp_path)
        assert registry.errors == []
        root = registry.get("demo.file_prompt")
        params = variant_for("s1", root, secret=SECRET).params
        assert root.render_prompt(params) == rf"Give $\sqrt{{{params['n']}}}$."


class TestDeclaration:
    def test_result_is_an_ordinary_exercise(self) -> None:
        squares = _squares(points=2.0, version=3, misconceptions=[mistake("forgot_square", "x.", lambda v: v.x, credit=0.5)])
        assert isinstance(squares, Exercise)
        assert squares.version == 3 and squares.points == 2.0
        assert squares.misconceptions[0].credit == 0.5
        params = variant_for("s1", squares, secret=SECRET).params
        assert squares.expected(params) == params["x"] ** 2
        assert squares.render_prompt(params) == f"What is ${params['x']}^{{2}}$?"

    def test_page_link_and_feedback_sentence(self) -> None:
        linked = _squares(page="entropy", page_title="Entropy & perplexity", link=lambda v: {"nll": v.x})
        params = variant_for("s2", linked, secret=SECRET).params
        assert linked.dashboard_url(params) == f"/entropy?nll={params['x']}"
        assert LINK_POSITION == "above"  # the student page shows the link under the prompt
        assert linked.misconceptions[0].feedback == (
            "You gave x itself. The Entropy & perplexity page, linked above, shows this with your numbers."
        )
        feedback = grade_answer(linked, params["x"], student_id="s2", secret=SECRET)
        assert feedback.misconception == "forgot_square"
        assert feedback.misconception_feedback is not None and "linked above" in feedback.misconception_feedback

    def test_no_page_no_sentence(self) -> None:
        assert _squares().misconceptions[0].feedback == "You gave x itself."
        assert _squares().dashboard is None

    def test_exactly_one_of_params_and_generate(self) -> None:
        with pytest.raises(TypeError, match="exactly one of `params` and `generate`"):
            _squares(generate=lambda rng: {"x": 2})
        with pytest.raises(TypeError, match="exactly one of `prompt` and `prompt_file`"):
            _squares(prompt_file="q.md")
        with pytest.raises(TypeError, match="`link` needs `page`"):
            _squares(link=lambda v: {})

    def test_record_misconceptions_may_give_some_fields(self) -> None:
        pair = exercise(
            id="demo.pair", title="Pair", params={"a": integers(1, 9), "b": integers(1, 9)},
            prompt="[[ a ]], [[ b ]]", solve=lambda v: {"sum": v.a + v.b, "product": v.a * v.b},
            answer=Record({"sum": Number(atol=0.01), "product": Number(atol=0.01)}),
            misconceptions=[mistake("product_is_sum", "That is the sum.", lambda v: {"product": v.a + v.b})],
        )
        for seed in range(100):  # a + b = a·b at a = b = 2: redrawn
            assert params_for_seed(pair, seed) != {"a": 2, "b": 2}


class TestDraws:
    def test_draws_consume_the_generator_like_numpy(self) -> None:
        a, b = np.random.default_rng(5), np.random.default_rng(5)
        assert integers(150, 501, over=100)(a) == int(b.integers(150, 501)) / 100
        assert choice(["x", "y", "z"])(a) == str(b.choice(["x", "y", "z"]))
        assert counts(4)(a) == [int(c) for c in b.integers(1, 10, size=4)]
        assert uniform(0.0, 1.0, digits=3)(a) == round(float(b.uniform(0.0, 1.0)), 3)

    def test_bad_bounds(self) -> None:
        with pytest.raises(ValueError, match="`hi` must be greater than `lo`; got lo=5, hi=5"):
            integers(5, 5)
        with pytest.raises(ValueError, match="`options` must not be empty"):
            choice([])
        with pytest.raises(ValueError, match="`lo` must be at least 1"):
            counts(3, lo=0)

    def test_params_must_be_draws(self) -> None:
        with pytest.raises(TypeError, match=r"`params\['x'\]` must be a draw helper"):
            _squares(params={"x": 3})


class TestCollect:
    def test_collect_registers_exactly_the_modules_exercises(self, tmp_path: Path) -> None:
        (tmp_path / "mine.py").write_text(
            "from grader import Exercise, Number\n"
            "from grader.authoring import collect, exercise, integers\n"
            "from exercises.interview.q3_perplexity import PERPLEXITY_FROM_NLL  # imported: not mine\n"
            "ONE = exercise(id='mine.one', title='One', params={'n': integers(1, 9)}, prompt='[[ n ]]',\n"
            "               solve=lambda v: v.n, answer=Number())\n"
            "def _gen(rng):\n"
            "    return {'n': int(rng.integers(1, 9))}\n"
            "OLD = Exercise(id='mine.old', title='Old', generate=_gen, prompt='{n}',\n"
            "               solve=lambda p: 2 * p['n'], answer=Number())\n"
            "ALIAS = ONE\n"
            "register_exercises = collect(__name__)\n",
            encoding="utf-8",
        )
        registry = build_registry(autoload=False, plugins_dir=tmp_path)
        assert registry.errors == []
        assert registry.plugins["mine.py"].exercises == ["mine.one", "mine.old"]
        assert registry.owner("interview.perplexity_from_nll") == "exercises.interview.q3_perplexity"

    def test_builtin_subpackage_modules_are_plugins(self) -> None:
        registry = build_registry(autoload=False)
        assert registry.errors == []
        owners = {registry.owner(i) for i in registry.exercises if i.startswith("interview.")}
        assert len(owners) == 8 and all(o.startswith("exercises.interview.q") for o in owners)


def test_the_documented_declaration_loads_and_grades(tmp_path: Path) -> None:
    import re

    doc = (Path(__file__).resolve().parents[2] / "docs" / "plugins.md").read_text(encoding="utf-8")
    section = doc.split("## Declaring an exercise with `grader.authoring`", 1)[1].split("\n## ", 1)[0]
    (block,) = [b for b in re.findall(r"```python\n(.*?)```", section, flags=re.S) if "collect(__name__)" in b]
    (tmp_path / "mycourse_perplexity.py").write_text(block, encoding="utf-8")
    registry = build_registry(builtin=False, autoload=False, plugins_dir=tmp_path)
    assert registry.errors == []
    declared = registry.get("mycourse.perplexity_bits")
    nll = variant_for("s1", declared, secret=SECRET).params["nll"]
    assert grade_answer(declared, 2**nll, student_id="s1", secret=SECRET).score == 1.0
    wrong = grade_answer(declared, math.exp(nll), student_id="s1", secret=SECRET)
    assert wrong.misconception == "nats_for_bits" and "linked above" in (wrong.misconception_feedback or "")
    assert declared.dashboard_url({"nll": nll}) == f"/entropy?nll={nll}&nll_unit=bits"
