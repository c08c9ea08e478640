"""The MCMC topic's charts as pure functions: the data each carries, colours, axes, limits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.common.chart_style import MAX_ROWS
from dashboard.topics.mcmc import charts

DRAWS = pd.DataFrame({"chain": [1, 2], "draw": [0, 0], "x": [0.1, 0.2], "y": [0.3, 0.4]})


def density_frame() -> pd.DataFrame:
    x = np.array([0.0, 1.0, 2.0])
    return pd.DataFrame({"x": x, "y": x, "x0": x - 0.5, "x1": x + 0.5, "y0": x - 0.5, "y1": x + 0.5,
                         "density": [0.3, 0.2, 0.01], "region": ["50%", "99%", "outside"]})


def density(**extra) -> dict:
    return charts.mcmc_density_chart(density_frame(), DRAWS, x_title="x1", y_title="x2",
                                     x_domain=(-4.0, 4.0), y_domain=(-2.0, 2.0), **extra).to_dict()


def test_density_chart_drops_cells_outside_and_draws_the_path():
    path = pd.DataFrame({"step": [0, 1, 2], "x": [0.0, 0.5, 1.0], "y": [0.0, 0.2, 0.1]})
    points = pd.DataFrame({"point": ["start", "draw"], "x": [0.0, 1.0], "y": [0.0, 0.1]})
    spec = density(path=path, path_points=points)
    regions, _dots, line, ends = spec["layer"]
    assert [r["region"] for r in spec["datasets"][regions["data"]["name"]]] == ["50%", "99%"]
    assert regions["encoding"]["fill"]["scale"]["domain"] == ["50%", "90%", "99%"]
    assert len(spec["datasets"][line["data"]["name"]]) == 3
    assert ends["encoding"]["shape"]["scale"]["range"] == ["square", "diamond"]
    assert len(density()["layer"]) == 2


def test_density_chart_colours_chains_on_fixed_equal_aspect_axes():
    spec = density(size=400)
    regions, dots = spec["layer"]
    assert dots["encoding"]["color"]["scale"] == {"domain": [1, 2], "range": charts.CHAIN_COLOURS[:2]}
    assert regions["encoding"]["x"]["scale"]["domain"] == [-4.0, 4.0]
    assert dots["encoding"]["y"]["scale"]["domain"] == [-2.0, 2.0]
    # 8 units across 400 px and 4 units down 200 px: one unit is 50 px both ways.
    assert (spec["width"], spec["height"]) == (400, 200)
    assert charts.equal_aspect((0.0, 1.0), (0.0, 3.0), 300) == (100, 300)
    with pytest.raises(ValueError, match="must be increasing ranges"):
        charts.equal_aspect((1.0, 1.0), (0.0, 1.0), 300)


def test_facet_charts_split_by_coordinate_and_chain_with_chain_colours():
    traces = pd.DataFrame({"chain": [1, 1, 2, 2], "draw": [0, 1, 0, 1], "coordinate": ["v", "v", "x1", "x1"],
                           "value": [0.0, 1.0, 2.0, 3.0]})
    spec = charts.mcmc_trace_chart(traces, width=123).to_dict()
    assert [panel["encoding"]["y"]["title"] for panel in spec["vconcat"]] == ["v", "x1"]
    assert {panel["width"] for panel in spec["vconcat"]} == {123}
    assert spec["vconcat"][0]["encoding"]["color"]["scale"]["range"] == charts.CHAIN_COLOURS[:2]
    # Each row's own range by default, padded by 5%: v spans [0, 1], x1 [2, 3].
    domains = [panel["encoding"]["y"]["scale"]["domain"] for panel in spec["vconcat"]]
    assert domains == [pytest.approx([-0.05, 1.05]), pytest.approx([1.95, 3.05])]
    ranks = pd.DataFrame({"coordinate": "x1", "chain": [1, 2], "bin_start": [0.0, 0.0],
                          "bin_end": [4.0, 4.0], "count": [4.0, 4.0], "expected": [4.0, 4.0]})
    spec = charts.mcmc_rank_chart(ranks).to_dict()
    assert set(spec["facet"]) == {"row", "column"}
    assert [layer["mark"]["type"] for layer in spec["spec"]["layer"]] == ["rect", "rule"]
    assert spec["spec"]["layer"][0]["encoding"]["color"]["field"] == "chain"
    acf = pd.DataFrame({"coordinate": "x1", "chain": 1, "lag": [0, 1], "autocorrelation": [1.0, 0.5]})
    assert charts.mcmc_autocorrelation_chart(acf).to_dict()["facet"]["column"]["field"] == "coordinate"


def test_marginals_chart_has_one_panel_per_coordinate():
    hist = pd.DataFrame({"coordinate": ["x1", "x2"], "bin_start": [0.0, 0.0], "bin_end": [1.0, 1.0],
                         "density": [1.0, 1.0]})
    truth = pd.DataFrame({"coordinate": ["x1", "x2"], "x": [0.5, 0.5], "density": [1.0, 1.0]})
    spec = charts.mcmc_marginals_chart(hist, truth).to_dict()
    assert len(spec["hconcat"]) == 2
    assert spec["hconcat"][1]["layer"][0]["encoding"]["x"]["title"] == "x2"


def test_charts_refuse_unthinned_draws():
    big = pd.DataFrame({"chain": np.ones(MAX_ROWS + 1), "draw": 0, "x": 0.0, "y": 0.0})
    with pytest.raises(ValueError, match=r"`draws` has 5001 rows; thin it"):
        charts.mcmc_density_chart(density_frame(), big, x_title="a", y_title="b",
                                  x_domain=(0.0, 1.0), y_domain=(0.0, 1.0))


def test_docstring_examples_run():
    import doctest

    result = doctest.testmod(charts)
    assert result.attempted > 0 and result.failed == 0


def test_a_path_added_to_a_cached_spec_is_the_chart_drawn_with_it():
    path = pd.DataFrame({"step": [0, 1, 2], "x": [0.0, 0.5, 1.0], "y": [0.0, 0.2, 0.1]})
    points = pd.DataFrame({"point": ["start", "draw"], "x": [0.0, 1.0], "y": [0.0, 0.1]})
    base = density()
    quick = charts.add_path(base, path, points)
    full = density(path=path, path_points=points)
    assert len(base["layer"]) == 2  # left as it was
    for fast, slow in zip(quick["layer"][2:], full["layer"][2:], strict=True):
        assert fast["mark"] == slow["mark"] and fast["encoding"] == slow["encoding"]
        assert fast["data"]["values"] == full["datasets"][slow["data"]["name"]]


def test_side_by_side_trace_and_rank_panels_share_their_y_domains():
    left = pd.DataFrame({"chain": 1, "draw": [0, 1, 0, 1], "coordinate": ["x1", "x1", "x2", "x2"],
                         "value": [0.0, 1.0, -5.0, -4.0]})
    right = left.assign(value=[2.0, 3.0, 10.0, 11.0])
    domains = charts.trace_domains([left, right])
    assert domains == {"x1": pytest.approx((-0.15, 3.15)), "x2": pytest.approx((-5.8, 11.8))}
    specs = [charts.mcmc_trace_chart(t, y_domains=domains).to_dict() for t in (left, right)]
    shown = [[panel["encoding"]["y"]["scale"]["domain"] for panel in spec["vconcat"]] for spec in specs]
    assert shown[0] == shown[1] == [list(domains["x1"]), list(domains["x2"])]

    def ranks(count):
        return pd.DataFrame({"coordinate": "x1", "chain": [1, 2], "bin_start": 0.0, "bin_end": 4.0,
                             "count": count, "expected": 4.0})

    top = charts.rank_count_max([ranks([3.0, 5.0]), ranks([4.0, 9.0])])
    assert top == 9.0
    rank_domains = [charts.mcmc_rank_chart(ranks(c), count_max=top).to_dict()["spec"]["layer"][0]
                    ["encoding"]["y"]["scale"]["domain"] for c in ([3.0, 5.0], [4.0, 9.0])]
    assert rank_domains == [[0, 9.0], [0, 9.0]]
    # Alone, a rank chart's axis tops out at its own tallest bar.
    alone = charts.mcmc_rank_chart(ranks([3.0, 5.0])).to_dict()["spec"]["layer"][0]["encoding"]["y"]["scale"]
    assert alone["domain"] == [0, 5.0]
