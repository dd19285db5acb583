"""`python -m generator` is the same as the `rosbill` command."""

from generator.cli import main

raise SystemExit(main())
