"""``python -m ast_ad``: the ``ast-ad`` command line (see ast_ad/cli.py)."""
import sys

from ast_ad.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m ast_ad"))
