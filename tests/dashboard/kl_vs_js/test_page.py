"""AppTest tests of the KL-vs-JS page, run on its own.

References: the closed-form KL between normals and JS through the mixture's entropy
(tests/dashboard/reference.py), both written independently of core.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

from tests.dashboard import reference
from tests.dashboard.helpers import chart_specs, metric, page_test

# Metrics show 4 decimals, so a displayed value is within half a unit of the last digit.
DISPLAY_TOL = 0.5e-4 + 1e-9


def shown(at, label: str) -> float:
    return float(metric(at, label))


@pytest.fixture
def at():
    return page_test("kl_vs_js.py").run()


def test_default_view_shows_all_three_divergences(at):
    # Defaults: P = N(0, 1), Q = N(2, 1.5²).
    assert not at.exception
    assert shown(at, "KL(P‖Q), nats") == pytest.approx(reference.gaussian_kl(0, 1, 2, 1.5), abs=DISPLAY_TOL)
    assert shown(at, "KL(Q‖P), nats") == pytest.approx(reference.gaussian_kl(2, 1.5, 0, 1), abs=DISPLAY_TOL)
    assert shown(at, "JS(P, Q), nats") == pytest.approx(reference.gaussian_js(0, 1, 2, 1.5), abs=DISPLAY_TOL)
    assert shown(at, "JS ceiling ln 2, nats") == pytest.approx(math.log(2), abs=DISPLAY_TOL)


def test_moving_q_away_grows_kl_while_js_stays_under_ln2(at):
    at.number_input(key="sigma2").set_value(1.0)
    at.slider(key="mu2").set_value(8.0).run()
    assert not at.exception
    # Equal widths: both KLs are (mu1 - mu2)² / 2 = 32.
    assert shown(at, "KL(P‖Q), nats") == pytest.approx(reference.gaussian_kl(0, 1, 8, 1), abs=DISPLAY_TOL)
    assert shown(at, "KL(P‖Q), nats") == pytest.approx(32.0, abs=DISPLAY_TOL)
    assert shown(at, "KL(Q‖P), nats") == pytest.approx(32.0, abs=DISPLAY_TOL)
    js = shown(at, "JS(P, Q), nats")
    assert js == pytest.approx(reference.gaussian_js(0, 1, 8, 1), abs=DISPLAY_TOL)
    assert js <= math.log(2)


def test_query_params_reproduce_a_shared_view():
    at = page_test("kl_vs_js.py")
    at.query_params.update({"mu1": "-1", "sigma1": "0.5", "mu2": "1.5", "sigma2": "2"})
    at.run()
    assert not at.exception
    assert shown(at, "KL(P‖Q), nats") == pytest.approx(reference.gaussian_kl(-1, 0.5, 1.5, 2), abs=DISPLAY_TOL)
    assert shown(at, "KL(Q‖P), nats") == pytest.approx(reference.gaussian_kl(1.5, 2, -1, 0.5), abs=DISPLAY_TOL)
    assert shown(at, "JS(P, Q), nats") == pytest.approx(reference.gaussian_js(-1, 0.5, 1.5, 2), abs=DISPLAY_TOL)


def test_charts_show_densities_integrand_sweep_and_mixture_fit(at):
    specs = chart_specs(at)
    assert len(specs) == 4
    densities, integrand, sweep, mixture = specs
    assert densities["encoding"]["color"]["scale"]["domain"] == ["P", "Q"]
    assert integrand["layer"][0]["mark"]["type"] == "area"
    lines, rule, _label, here = sweep["layer"]
    assert lines["encoding"]["color"]["scale"]["domain"] == ["KL(P‖Q)", "KL(Q‖P)", "JS(P, Q)"]
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["y"]["field"] == "nats"
    assert here["encoding"]["x"]["field"] == "separation"
    assert len(mixture["encoding"]["color"]["scale"]["domain"]) == 3


def test_the_integrand_title_carries_the_kl_shown_after_a_change(at):
    at.slider(key="mu2").set_value(3.0).run()
    kl = metric(at, "KL(P‖Q), nats")
    assert kl in chart_specs(at)[1]["title"]
    assert kl == f"{reference.gaussian_kl(0, 1, 3, 1.5):.4f}"


def test_mixture_widgets_drive_the_two_fits(at):
    # Wiring: gap -> fit -> metric. The forward fit's sd is the mixture's (closed form √(s² + (gap/2)²)).
    at.slider(key="gap").set_value(6.0).run()
    assert not at.exception
    assert float(metric(at, "KL(P‖Q) fit: sd")) == pytest.approx(math.hypot(0.5, 3.0), abs=0.5e-3)
    assert abs(float(metric(at, "KL(Q‖P) fit: mean"))) == pytest.approx(3.0, abs=0.01)
    at.slider(key="weight").set_value(0.8).run()  # the heavier mode is now the left one
    assert float(metric(at, "KL(Q‖P) fit: mean")) == pytest.approx(-3.0, abs=0.01)


def test_a_non_positive_sigma_in_the_url_falls_back_to_the_default():
    at = page_test("kl_vs_js.py")
    at.query_params.update({"sigma1": "0", "mu2": "8", "sigma2": "1"})
    at.run()
    assert not at.exception
    assert at.number_input(key="sigma1").value == 1.0
    assert shown(at, "KL(P‖Q), nats") == pytest.approx(32.0, abs=DISPLAY_TOL)


def chart_rows_of(at, index: int) -> dict[str, list[dict]]:
    """The rows of each dataset of the page's chart ``index``, as the browser receives them."""
    import pyarrow as pa

    element = at.get("vega_lite_chart")[index]
    return {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in element.proto.datasets}


def test_after_a_change_every_chart_draws_the_new_inputs_rows(at):
    # The specs are built once per shape and their rows swapped: the rows must be the new ones.
    at.slider(key="mu2").set_value(3.0).run()
    assert not at.exception
    densities = next(iter(chart_rows_of(at, 0).values()))
    q_x = [r["x"] for r in densities if r["distribution"] == "Q"]
    assert min(q_x) == pytest.approx(3.0 - 4 * 1.5) and max(q_x) == pytest.approx(3.0 + 4 * 1.5)  # mean ± 4 sd
    integrand = next(rows for rows in chart_rows_of(at, 1).values() if rows and "integrand" in rows[0])
    peak = max(integrand, key=lambda r: r["integrand"])
    p, q = stats.norm.pdf(peak["x"], 0, 1), stats.norm.pdf(peak["x"], 3.0, 1.5)  # scipy, the reference
    assert peak["integrand"] == pytest.approx(p * math.log(p / q), rel=1e-3)
    sweep = chart_rows_of(at, 2)
    assert [{"separation": 3.0}] in sweep.values()  # the dotted rule at the new distance
