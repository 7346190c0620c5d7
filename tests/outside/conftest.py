"""Make the outsider programs importable by their plain names during collection."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

collect_ignore = ["run_all.py"]
