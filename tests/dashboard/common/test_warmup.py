"""The warm-up's import list names only modules that exist and import.

The warm-up thread skips a module that fails to import (a page must never fail for it),
so a stale name would only make the first visit slower: this test is where it shows.
"""

from __future__ import annotations

import importlib

import pytest

from dashboard.common import warmup


@pytest.mark.parametrize("name", [*warmup._SHARED, *warmup.page_modules()])
def test_every_warm_up_module_imports(name):
    importlib.import_module(name)


def test_every_topic_is_warmed():
    names = warmup.page_modules()
    for topic in ("moments", "kl_vs_js", "sampling", "mcmc", "fisher", "language_model"):
        assert f"dashboard.topics.{topic}.compute" in names


def test_the_warm_up_loads_the_language_model(monkeypatch):
    import core.lm

    calls = []
    monkeypatch.setattr(core.lm, "language_model", lambda: calls.append("loaded"))
    monkeypatch.setenv(warmup.MODEL_SWITCH, "1")
    warmup._import_all([])
    assert calls == ["loaded"]
    monkeypatch.setenv(warmup.MODEL_SWITCH, "0")  # what the test suite sets
    warmup._import_all([])
    assert calls == ["loaded"]


def test_a_missing_model_does_not_stop_the_warm_up(monkeypatch):
    import core.lm

    def missing():
        raise core.lm.ModelNotInstalledError("not installed")

    monkeypatch.setattr(core.lm, "language_model", missing)
    warmup._load_language_model()  # the page says how to install it; the thread goes on
