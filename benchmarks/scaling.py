#!/usr/bin/env python
"""Scaling benchmark: does ast_ad's gradient cost O(1) time and memory per
loop iteration?

For each loop below (a plain primal, a hand-written value-and-gradient, and
the positions differentiated) and each n in 10^2, 10^3, 10^4, 10^5:

* time per iteration (median sample / n) of the primal, the hand-written
  value-and-gradient and ``ast_ad.value_and_grad(f, wrt)``, timed in
  interleaved rounds in one process (run.py's method: one BLAS thread, glibc
  malloc thresholds pinned);
* peak memory per iteration: tracemalloc's peak during one call, minus the
  traced memory before it, divided by n (NumPy reports its buffers to
  tracemalloc; the result returned is included);
* ast_ad's first call at that n (transformation, if any, plus the call) and
  its gradient's relative error against the hand-written one.

Flat means: ast_ad's time per iteration at 10^5 within 1.5x of that at
10^2 (issue 13), and memory per iteration not growing with n.  A loop whose
cost grows with n would take hours (and its tape gigabytes) at 10^5: before
each larger n the time and the memory are extrapolated from the last two
measured n (at the growth rate seen between them), and the n is skipped,
with the extrapolation printed, when one call would take more than
--max-call seconds or more than --max-gib GiB.

Writes benchmarks/scaling.md and benchmarks/scaling.json (with --write; without it
only print).  ``make bench-scaling`` or ``python benchmarks/scaling.py``.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import run  # noqa: E402  (first: sets the BLAS thread variables, pins malloc)

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from time import perf_counter_ns  # noqa: E402
from typing import Callable, Tuple, Union  # noqa: E402

import numpy as np  # noqa: E402


# --------------------------------------------------------------------------
# The loops.

def recurrence(x, a, dt, n):
    for i in range(n):
        x = x + dt * math.sin(x) * a
    return x


def recurrence_vg(x, a, dt, n):
    # Forward sensitivities: two inputs, no trajectory to keep.
    # x' = x + dt sin(x) a:  dx'/dx = 1 + dt a cos(x),  dx'/da = dt sin(x).
    dx_dx0 = 1.0
    dx_da = 0.0
    for i in range(n):
        s = math.sin(x)
        jac = 1.0 + dt * a * math.cos(x)
        dx_dx0 = jac * dx_dx0
        dx_da = jac * dx_da + dt * s
        x = x + dt * s * a
    return x, (dx_dx0, dx_da)


def recurrence_x_vg(x, a, dt, n):
    dx_dx0 = 1.0
    for i in range(n):
        dx_dx0 = (1.0 + dt * a * math.cos(x)) * dx_dx0
        x = x + dt * math.sin(x) * a
    return x, dx_dx0


def recurrence_args(n):
    return (0.3, 1.2, 1e-4, n)


def list_fill(xs, a):
    n = len(xs)
    ys = [0.0] * n
    ys[0] = xs[0]
    for i in range(1, n):
        ys[i] = a * ys[i - 1] + math.sin(xs[i])
    total = 0.0
    for y in ys:
        total += y * y
    return total


def list_fill_vg(xs, a):
    n = len(xs)
    ys = [0.0] * n
    ys[0] = xs[0]
    for i in range(1, n):
        ys[i] = a * ys[i - 1] + math.sin(xs[i])
    total = 0.0
    for y in ys:
        total += y * y
    # Backwards: by_i = 2 y_i + a by_{i+1}.
    bxs = [0.0] * n
    ba = 0.0
    by = 0.0
    for i in range(n - 1, 0, -1):
        by = 2.0 * ys[i] + a * by
        bxs[i] = by * math.cos(xs[i])
        ba += by * ys[i - 1]
    bxs[0] = 2.0 * ys[0] + a * by
    return total, (bxs, ba)


def list_fill_args(n):
    rng = np.random.default_rng(11)
    return (rng.uniform(-1.0, 1.0, n).tolist(), 0.5)


def array_fill(xs, a):
    n = xs.shape[0]
    ys = np.zeros(n)
    ys[0] = xs[0]
    for i in range(1, n):
        ys[i] = a * ys[i - 1] + np.sin(xs[i])
    return np.sum(ys * ys)


def array_fill_vg(xs, a):
    n = xs.shape[0]
    ys = np.zeros(n)
    ys[0] = xs[0]
    for i in range(1, n):
        ys[i] = a * ys[i - 1] + np.sin(xs[i])
    total = np.sum(ys * ys)
    # The recurrence of the adjoints is sequential; its elementwise factors
    # are computed as arrays.
    by = np.empty(n)
    two_y = (2.0 * ys).tolist()
    b = 0.0
    for i in range(n - 1, -1, -1):
        b = two_y[i] + a * b
        by[i] = b
    bxs = by * np.cos(xs)
    bxs[0] = by[0]
    ba = float(by[1:] @ ys[:-1])
    return total, (bxs, ba)


def array_fill_args(n):
    rng = np.random.default_rng(12)
    return (rng.uniform(-1.0, 1.0, n), 0.5)


@dataclass(frozen=True)
class Loop:
    name: str
    primal: Callable
    hand_vg: Callable
    make_args: Callable[[int], tuple]
    wrt: Union[int, Tuple[int, ...]]
    description: str


LOOPS = (
    Loop("recurrence", recurrence, recurrence_vg, recurrence_args, (0, 1),
         "x = x + dt*math.sin(x)*a, n steps, floats; d/d(x, a)"),
    Loop("recurrence_x", recurrence, recurrence_x_vg, recurrence_args, 0,
         "the same loop; d/dx only (one float)"),
    Loop("list_fill", list_fill, list_fill_vg, list_fill_args, (0, 1),
         "ys[i] = a*ys[i-1] + math.sin(xs[i]) into a list of n floats, "
         "sum of squares; d/d(xs, a)"),
    Loop("array_fill", array_fill, array_fill_vg, array_fill_args, (0, 1),
         "the same with NumPy arrays: ys[i] = a*ys[i-1] + np.sin(xs[i]); d/d(xs, a)"),
)

NS = (100, 1_000, 10_000, 100_000)


# --------------------------------------------------------------------------
# Measurement.

peak_bytes = run.peak_bytes


def extrapolate(points, n_next):
    """Value at n_next from the last two (n, value) points, assuming
    value ~ n^p with the exponent p seen between them (at least 1)."""
    (n0, v0), (n1, v1) = points[-2:]
    p = 1.0
    if v0 > 0 and v1 > 0:
        p = max(1.0, math.log(v1 / v0) / math.log(n1 / n0))
    return v1 * (n_next / n1) ** p


def measure(loop, n, ast_ad, opts, log):
    args = loop.make_args(n)
    row = {"n": n}
    contenders = [("primal", loop.primal, args), ("hand", loop.hand_vg, args)]
    ref = loop.hand_vg(*args)
    g = None
    if ast_ad is not None:
        try:
            with run.time_limit(opts.max_call * 3):
                t0 = perf_counter_ns()
                g = ast_ad.value_and_grad(loop.primal, wrt=loop.wrt)
                out = g(*args)
                row["first_call_ms"] = (perf_counter_ns() - t0) / 1e6
            row["rel_err_vs_hand"] = run.compare(out, ref, loop.wrt)
            if not row["rel_err_vs_hand"] <= run.AST_AD_RTOL:
                raise run.Mismatch(f"disagrees with hand-written "
                                   f"(rel err {row['rel_err_vs_hand']:.1e})")
            run.check_container_types(out, args, loop.wrt)
            contenders.append(("ast_ad", g, args))
        except Exception as exc:
            row["error"] = run.full_error(exc)
            log(f"  n={n}: ast_ad: {row['error']}")
    for key, fn, a in contenders:
        row[f"{key}_peak_bytes"] = peak_bytes(fn, a)
    _, stats, _, errors = run.time_contenders(contenders, opts)
    for key, exc in errors.items():
        row["error"] = "while timing: " + run.full_error(exc)
    for key, st in stats.items():
        row[f"{key}_ns"] = st["median_ns"]
    return row


def run_loop(loop, ast_ad, opts, log):
    log(f"{loop.name}: {loop.description}")
    rows = []
    for n in opts.ns:
        measured = [r for r in rows if "ast_ad_ns" in r]
        if len(measured) >= 2:
            pts_t = [(r["n"], r["ast_ad_ns"]) for r in measured]
            pts_m = [(r["n"], r["ast_ad_peak_bytes"]) for r in measured]
            est_s = extrapolate(pts_t, n) / 1e9
            est_gib = extrapolate(pts_m, n) / 2**30
            if est_s > opts.max_call or est_gib > opts.max_gib:
                row = {"n": n, "skipped": f"extrapolated {est_s:.3g} s and "
                                          f"{est_gib:.3g} GiB for one ast_ad call"}
                log(f"  n={n}: skipped, {row['skipped']}")
                rows.append(row)
                continue
        row = measure(loop, n, ast_ad, opts, log)
        rows.append(row)
        log("  n={n}: ".format(n=n) + ", ".join(
            f"{k} {row[k + '_ns'] / n:.1f} ns/it, {row[k + '_peak_bytes'] / n:.1f} B/it"
            for k in ("primal", "hand", "ast_ad") if k + "_ns" in row))
    times = [r["ast_ad_ns"] / r["n"] for r in rows if "ast_ad_ns" in r]
    complete = len(times) == len(opts.ns)
    flat = max(times) / min(times) if len(times) >= 2 else None
    return {"name": loop.name, "description": loop.description,
            "wrt": list(loop.wrt) if isinstance(loop.wrt, tuple) else loop.wrt,
            "rows": rows, "ast_ad_max_over_min": flat, "complete": complete}


# --------------------------------------------------------------------------
# Report.

def fmt_n(n):
    e = round(math.log10(n))
    return f"10^{e}" if 10 ** e == n else str(n)


def fmt(x, digits=3):
    if x is None:
        return "—"
    if abs(x) >= 100:
        return f"{x:.0f}"
    return f"{x:.{digits}g}"


def loop_table(res):
    header = ["n", "primal ns/it", "hand ns/it", "ast_ad ns/it", "ast_ad ×primal",
              "ast_ad / hand", "primal B/it", "hand B/it", "ast_ad B/it",
              "ast_ad first call ms"]
    rows = []
    for r in res["rows"]:
        n = r["n"]
        if "skipped" in r:
            rows.append([fmt_n(n), "skipped: " + r["skipped"]] + [""] * (len(header) - 2))
            continue
        per = {k: r[k + "_ns"] / n for k in ("primal", "hand", "ast_ad")
               if k + "_ns" in r}
        mem = {k: r[k + "_peak_bytes"] / n for k in ("primal", "hand", "ast_ad")
               if k + "_peak_bytes" in r}
        a = per.get("ast_ad")
        row = [fmt_n(n), fmt(per["primal"]), fmt(per["hand"]),
               fmt(a) if a is not None else run.cell_error(run.shorten(r.get("error", "?"))),
               fmt(a / per["primal"]) if a else "—",
               fmt(a / per["hand"]) if a else "—",
               fmt(mem["primal"]), fmt(mem["hand"]), fmt(mem.get("ast_ad")),
               fmt(r.get("first_call_ms"))]
        rows.append(row)
    return run.markdown_table(header, rows)


def report(meta, results, opts, elapsed):
    lines = [
        "# ast_ad scaling benchmark",
        "",
        f"- date: {meta['date']}" + (f"; repo at {meta['git']}" if meta["git"] else ""),
        f"- machine: {meta['platform']}; {meta['cpu'] or 'unknown CPU'}; "
        f"{meta['cpu_count']} CPUs",
        f"- numpy {meta['numpy']}, Python {meta['python']}; BLAS threads = 1; "
        f"allocator: {meta['malloc']}",
        "- time per iteration: median of interleaved rounds (run.py's method; "
        f"{opts.budget:g} s budget per n, at least {opts.min_rounds} rounds) / n",
        "- memory per iteration: tracemalloc peak during one call minus traced "
        "memory before it, / n (includes the result)",
        "- first call: value_and_grad(f, wrt)(*args) at that n, cache as left by "
        "the previous n (a new specialisation shows as a transformation)",
        "- flat: ast_ad's time per iteration, max / min over n (target ≤ 1.5)",
        "",
    ]
    for res in results:
        flat = res["ast_ad_max_over_min"]
        lines += [f"## {res['name']}: {res['description']}", "",
                  loop_table(res), "",
                  "ast_ad time per iteration, max / min over n: "
                  + (f"{flat:.2f}" if flat else "—")
                  + ("" if res["complete"] else " (not every n measured)"), ""]
        for r in res["rows"]:
            if r.get("error"):
                lines += [f"- n={r['n']}: ast_ad: {r['error']}"]
        if any(r.get("error") for r in res["rows"]):
            lines.append("")
    lines.append(f"Run time: {elapsed:.0f} s.")
    return "\n".join(lines) + "\n"


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", metavar="NAME", help="run only these loops")
    ap.add_argument("--ns", nargs="+", type=int, default=list(NS),
                    help="iteration counts (default 100 1000 10000 100000)")
    ap.add_argument("--budget", type=float, default=3.0,
                    help="seconds of timing rounds per loop and n (default 3)")
    ap.add_argument("--min-rounds", type=int, default=7)
    ap.add_argument("--max-rounds", type=int, default=201)
    ap.add_argument("--max-call", type=float, default=30.0,
                    help="skip an n whose extrapolated ast_ad call exceeds this (s)")
    ap.add_argument("--max-gib", type=float, default=4.0,
                    help="skip an n whose extrapolated peak memory exceeds this (GiB)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: n up to 10^4, small budget")
    ap.add_argument("--output-dir", default=HERE)
    ap.add_argument("--write", action="store_true",
                    help="write benchmarks/scaling.md and scaling.json")
    ap.add_argument("--system-malloc", action="store_true",
                    help="keep glibc's default malloc thresholds (see run.py)")
    opts = ap.parse_args(argv)
    opts.rounds = 0
    if opts.quick:
        opts.ns = [n for n in opts.ns if n <= 10_000]
        opts.budget, opts.min_rounds, opts.max_rounds = 0.3, 3, 21
    return opts


def main(argv=None):
    opts = parse_args(argv)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    loops = LOOPS
    if opts.only:
        unknown = set(opts.only) - {lp.name for lp in LOOPS}
        if unknown:
            sys.exit(f"unknown loop(s): {', '.join(sorted(unknown))}; "
                     f"known: {', '.join(lp.name for lp in LOOPS)}")
        loops = [lp for lp in LOOPS if lp.name in opts.only]
    meta = run.machine_info()
    ast_ad, err = run.load_ast_ad()
    if err:
        log(f"ast_ad: {err}")
    t0 = perf_counter_ns()
    results = [run_loop(lp, ast_ad, opts, log) for lp in loops]
    elapsed = (perf_counter_ns() - t0) / 1e9
    md = report(meta, results, opts, elapsed)
    print(md)
    if opts.write:
        os.makedirs(opts.output_dir, exist_ok=True)
        with open(os.path.join(opts.output_dir, "scaling.md"), "w", encoding="utf-8") as fh:
            fh.write(md)
        with open(os.path.join(opts.output_dir, "scaling.json"), "w", encoding="utf-8") as fh:
            json.dump({"meta": meta, "settings": vars(opts), "ast_ad_error": err,
                       "run_time_s": elapsed, "loops": results},
                      fh, indent=2, default=float)
            fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
