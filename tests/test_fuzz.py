"""Differential fuzzing of ast_ad (tests/fuzz/): random programs in the
documented subset, every public entry point checked against plain Python and
finite differences, plus the minimised failures kept under
tests/fuzz/regressions/.

Environment:
  FUZZ_N        number of random programs (default 1000; 0 skips)
  FUZZ_SEED     seed of the first program (default 0); program i is seed + i
  FUZZ_JOBS     worker processes (default 2)
  FUZZ_ENTRIES  entry points checked per program, chosen by seed (default 5;
                ``all`` for every one; python -m tests.fuzz checks all)

A failing seed is reproduced with ``python -m tests.fuzz --replay SEED``.
"""
import multiprocessing as mp
import os
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from tests.fuzz import check, gen, regress, run  # noqa: E402

N = int(os.environ.get("FUZZ_N", "1000"))
SEED = int(os.environ.get("FUZZ_SEED", "0"))
JOBS = int(os.environ.get("FUZZ_JOBS", "2"))
_E = os.environ.get("FUZZ_ENTRIES", "5")
ENTRIES = None if _E == "all" else int(_E)


@pytest.mark.skipif(N <= 0, reason="FUZZ_N=0")
def test_random_programs():
    t0 = time.time()
    jobs = [(s, (), ENTRIES, 30.0, 1) for s in range(SEED, SEED + N)]   # light confirmation
    if JOBS > 1:
        with mp.Pool(JOBS, initializer=run.init_worker, maxtasksperchild=100) as pool:
            results = list(run.robust_imap(pool, run.work, jobs, stall=300.0, key=lambda j: j[0]))
    else:
        results = [run.work(j) for j in jobs]
    missing = N - len(results)
    counts = {}
    for r in results:
        counts[r["cls"]] = counts.get(r["cls"], 0) + 1
    summary = (f"fuzz: {N} programs, seeds {SEED}..{SEED + N - 1}, entries/program={ENTRIES}, "
               f"{time.time() - t0:.0f}s: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    print(summary)
    bad = sorted((r for r in results if r["cls"] in check.FAILURES or r["cls"] == "generator_error"),
                 key=lambda r: r["seed"])
    if bad or missing:
        lines = [summary, f"{missing} programs lost (a worker died)" if missing else "",
                 f"{len(bad)} failing programs (python -m tests.fuzz --replay SEED):"]
        for r in bad[:40]:
            c, e, m = next((i for i in r["issues"] if i[0] == r["cls"]), r["issues"][0])
            lines.append(f"  seed {r['seed']}: {c} [{e}] {m[:160]}")
        if len(bad) > 40:
            lines.append(f"  ... and {len(bad) - 40} more")
        pytest.fail("\n".join(lines), pytrace=False)


@pytest.mark.parametrize("path", regress.files(), ids=os.path.basename)
def test_regression(path):
    case, meta, res = regress.check_file(path)
    if regress.failed(res, meta):
        pytest.fail(f"{os.path.basename(path)} (observed {meta['observed']} when written):\n"
                    f"{res.summary()}", pytrace=False)


def test_generator_is_deterministic():
    for s in range(20):
        a, b = gen.generate(s), gen.generate(s)
        assert a.source == b.source and a.args == b.args
        compile(a.source, "<fuzz>", "exec")


def test_oracle_finite_differences():
    """The reference itself: finite differences of known functions."""
    import numpy as np

    def f(x, s):
        return np.sum(np.sin(x) * s) + s ** 3

    x = np.array([0.3, -1.2, 2.0])
    o = check.Oracle(f, [x, 1.5])
    J = o.jac()[0]
    np.testing.assert_allclose(J[:3], np.cos(x) * 1.5, rtol=1e-9)
    np.testing.assert_allclose(J[3], np.sum(np.sin(x)) + 3 * 1.5 ** 2, rtol=1e-9)
    H = o.hess(0)
    np.testing.assert_allclose(H, np.diag(-np.sin(x) * 1.5), atol=1e-6)
    assert o.recheck1(float(np.cos(0.3) * 1.5), np.eye(4)[0], np.ones(1))[0] == "ok"
    assert o.recheck1(float(np.cos(0.3) * 1.5) + 0.1, np.eye(4)[0], np.ones(1))[0] == "wrong"


def test_oracle_is_not_fooled_by_a_kink():
    """abs at a point within FD reach of its kink: never reported wrong."""
    import numpy as np

    def f(x):
        return abs(x - 1e-9) * 2.0

    o = check.Oracle(f, [1e-9 + 1e-12])
    assert o.recheck1(2.0, np.ones(1), np.ones(1))[0] in ("ok", "inconclusive")
