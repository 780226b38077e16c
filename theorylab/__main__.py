"""``python -m theorylab`` runs the command-line interface."""

from theorylab.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
