"""``python -m probstats`` runs the ``probstats`` command line."""

from probstats.cli import main

raise SystemExit(main())
