"""Run every outsider program through every check and print a table.

    cd /work/wt-outside && PYTHONPATH=. python tests/outside/run_all.py [name ...]

Writes tests/outside/results.json (used only for the report; the pytest
module recomputes everything).
"""
import json
import os
import signal
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

from cases import CASES  # noqa: E402
from harness import Checker, Result  # noqa: E402


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def run_case(case, timeout=120):
    out = []
    checker = Checker(case)
    for name in checker.checks():
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(timeout)
        t0 = time.perf_counter()
        try:
            r = checker.run(name)
        except Timeout:
            r = Result(name, "slow", f"no answer within {timeout} s")
        finally:
            signal.alarm(0)
        r.times.setdefault("check_s", time.perf_counter() - t0)
        out.append(r)
    return out


def verdict(results):
    st = [r.status for r in results]
    if "wrong" in st:
        return "WRONG"
    if "internal" in st:
        return "INTERNAL"
    if "slow" in st:
        return "SLOW"
    if all(s == "refused" for s in st):
        return "REFUSED"
    if "refused" in st:
        return "PARTIAL"
    if "fd" in st:
        return "FD?"
    return "works"


def main(names):
    rows = []
    for case in CASES:
        if names and case.name not in names:
            continue
        res = run_case(case)
        v = verdict(res)
        vg = next((r for r in res if r.check == "value_and_grad"), None)
        t = vg.times if vg else {}
        timing = ""
        if t.get("later"):
            timing = (f"first {t['first'] * 1e3:.1f} ms, later {t['later'] * 1e6:.0f} us "
                      f"= {t['later'] / t['primal']:.1f}x primal ({t['primal'] * 1e6:.0f} us)")
        print(f"{case.name:30s} {v:9s} {timing}")
        for r in res:
            if r.status != "ok":
                loc = f" @{os.path.basename(r.filename)}:{r.lineno}" if r.filename else ""
                print(f"    {r.check:15s} {r.status:8s} {r.exc_type} {r.detail}{loc}")
        rows.append({"name": case.name, "exercises": case.exercises, "verdict": v,
                     "results": [r.__dict__ for r in res]})
        sys.stdout.flush()
    if not names:
        with open(os.path.join(HERE, "results.json"), "w") as fh:
            json.dump(rows, fh, indent=1, default=str)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main(sys.argv[1:])
