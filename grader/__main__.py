"""``python -m grader`` runs the grader's subcommands of ``probstats`` (all but ``dashboard``)."""

from grader.cli import main

raise SystemExit(main())
