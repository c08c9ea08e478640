"""Fails to import."""

import probstats_module_that_does_not_exist  # noqa: F401
