"""Issue 12 §2: a dashboard link carries the problem's inputs, never its answer."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from grader import build_registry, variant_for

REGISTRY = build_registry()
SECRET = "link-inputs"


def _query(exercise_id: str, student: str) -> tuple[dict, dict[str, str]]:
    exercise = REGISTRY.get(exercise_id)
    params = variant_for(student, exercise, secret=SECRET).params
    return params, dict(parse_qsl(urlsplit(exercise.dashboard_url(params) or "").query))


def test_dirichlet_link_opens_the_prior_not_the_posterior() -> None:
    for i in range(20):
        params, query = _query("bayes.dirichlet_posterior_mean", f"s{i}")
        assert query == {"family": "Dirichlet", "a1": "1.0", "a2": "1.0", "a3": "1.0"}
        assert any(c > 0 for c in params["counts"])  # the posterior (1 + n_k) would differ


def test_perplexity_from_logits_link_has_no_nll() -> None:
    for i in range(20):
        params, query = _query("information.perplexity_from_logits", f"s{i}")
        assert "nll" not in query
        assert query["p_logits"] == ", ".join(str(z) for z in params["logits"][0])


def test_js_prompt_mentions_zeros_only_when_there_are_some() -> None:
    exercise = REGISTRY.get("information.js_divergence_bound")
    seen = set()
    for i in range(60):
        params = variant_for(f"s{i}", exercise, secret=SECRET).params
        has_zero = 0 in params["p"] or 0 in params["q"]
        assert ("zeros included" in exercise.render_prompt(params)) == has_zero
        seen.add(has_zero)
    assert seen == {True, False}
