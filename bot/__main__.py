"""`python -m bot …` is the same command line as `sotong …`."""

from bot.cli import main

raise SystemExit(main())
