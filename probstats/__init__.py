"""ProbStats Lab's command line: the top layer, above both the grader and the dashboard.

``probstats`` (the console script) and ``python -m probstats`` run :func:`probstats.cli.main`.
Nothing else in the project imports this package.
"""
