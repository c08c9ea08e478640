"""``python -m grader`` runs the ``probstats`` command line."""

from grader.cli import main

raise SystemExit(main())
