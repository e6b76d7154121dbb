"""The ``lamina-grader`` command line."""

import argparse
import sys


def main(argv=None):
    """Entry point of ``lamina-grader``."""
    parser = argparse.ArgumentParser(prog="lamina-grader", description="Grade lamina labs.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    args = parser.parse_args(argv)
    if args.version:
        from lamina_grader import __version__

        print(__version__)
        return 0
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
