"""The plugin corpus holds deliberately broken plugin files: never collect or import them."""

collect_ignore_glob = ["plugin_corpus/*"]
