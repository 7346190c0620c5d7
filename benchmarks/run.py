#!/usr/bin/env python
"""ast_ad benchmark suite (``make bench``).

For each workload in workloads.py: check the hand-written gradient against
central finite differences and ast_ad's against the hand-written one, then
time the primal, the hand-written value-and-gradient, ast_ad's
``value_and_grad`` (and optional peers) in interleaved rounds, and report
medians as ratios to the primal.  Also: the first-call transformation time
of ast_ad on a cold (never seen) copy of the primal, and the overhead of a
cached ast_ad call over calling its ``.generated`` function directly.

Prints the table; with ``--write`` (``make bench WRITE=1``) also writes
benchmarks/results.md and benchmarks/results.json.
See benchmarks/README.md.  ``--quick`` for a fast smoke run.
"""

# One BLAS/OpenMP thread, set before anything imports NumPy.
import os

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")
for _var in THREAD_VARS:
    os.environ[_var] = "1"
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false "
                                   "intra_op_parallelism_threads=1")

import sys  # noqa: E402

NUMPY_WAS_IMPORTED = "numpy" in sys.modules  # then the variables came too late


def _pin_malloc():
    """glibc only: fixed mmap threshold (64 MiB) and trim threshold (256 MiB).

    With glibc's defaults, arrays of a few hundred KiB (mlp's 256 x 256
    activations) are served from the top of the heap, which free() trims back
    to the OS once more than ~1 MiB is free there; the next call faults the
    pages in again.  How often that happens depends on the heap's layout, and
    on a VM a page fault can cost microseconds, so mlp timings then swing by
    tens of percent from run to run and measure the OS more than the code.
    Pinning the thresholds keeps freed memory in the process; allocation and
    cache costs are still paid.  Disable with --system-malloc."""
    if "--system-malloc" in sys.argv or not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        ok = (libc.mallopt(m_mmap_threshold, 64 << 20) == 1
              and libc.mallopt(m_trim_threshold, 256 << 20) == 1)
    except (OSError, AttributeError):
        return None
    return "glibc mallopt: M_MMAP_THRESHOLD 64 MiB, M_TRIM_THRESHOLD 256 MiB" if ok else None


MALLOC_SETTING = _pin_malloc()

import argparse  # noqa: E402
import contextlib  # noqa: E402
import datetime  # noqa: E402
import gc  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tracemalloc  # noqa: E402
import traceback  # noqa: E402
from time import perf_counter_ns  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
if ROOT not in sys.path:        # the working tree's ast_ad, installed or not
    sys.path.insert(1, ROOT)

import numpy as np  # noqa: E402

import fd  # noqa: E402
import peers as peers_mod  # noqa: E402
import workloads  # noqa: E402
from fresh import fresh_namespace  # noqa: E402

REQUIRED = ("primal", "hand")  # contenders whose failure stops the run
SAMPLE_NS = 2_000_000        # one timing sample lasts at least this long
MAX_INNER = 1_000_000
AST_AD_RTOL = 1e-6           # ast_ad / peers vs hand-written (normwise, per leaf)
FD_RTOL = 1e-5               # hand-written vs central differences
VALUE_RTOL = 1e-12           # hand-written value vs primal value
DASH = "—"


# --------------------------------------------------------------------------
# helpers

class Mismatch(Exception):
    pass


def _describe(exc):
    text = str(exc).strip()
    if isinstance(exc, Mismatch):
        return text
    return type(exc).__name__ + (": " + text if text else "")


def shorten(text, limit=60):
    """First line of `text`, at most `limit` characters (for a table cell)."""
    lines = text.strip().splitlines()
    msg = lines[0] if lines else ""
    return msg if len(msg) <= limit else msg[:limit - 1] + "…"


def short_error(exc, limit=60):
    return shorten(_describe(exc), limit)


def full_error(exc, limit=400):
    """One line: exception type and message, and where it was raised."""
    msg = " ".join(_describe(exc).split())
    tb = traceback.extract_tb(exc.__traceback__)
    if tb and not isinstance(exc, Mismatch):
        last = tb[-1]
        msg += f" [raised at {os.path.relpath(last.filename, ROOT)}:{last.lineno}]"
    if len(msg) > limit:
        msg = msg[:limit - 1] + "…"
    return msg


@contextlib.contextmanager
def time_limit(seconds):
    """Raise TimeoutError in the block after `seconds` (Unix main thread)."""
    if not seconds or not hasattr(signal, "SIGALRM"):
        yield
        return

    def on_alarm(signum, frame):
        raise TimeoutError(f"took longer than {seconds:g} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def compare(out, ref, wrt, to_numpy=None):
    """Max normwise relative error of out = (value, grad) against ref.
    Raises Mismatch on a structural difference."""
    to_numpy = to_numpy or (lambda x: np.asarray(x, dtype=np.float64))
    try:
        value, grad = out
    except (TypeError, ValueError):
        raise Mismatch(f"expected (value, gradient), got {type(out).__name__}")
    ref_value, ref_grad = ref
    if isinstance(wrt, tuple):
        if not isinstance(grad, (tuple, list)) or len(grad) != len(wrt):
            raise Mismatch(f"expected a tuple of {len(wrt)} gradients, "
                           f"got {type(grad).__name__}")
        pairs = [("value", value, ref_value)] + [
            (f"gradient {i}", g, r) for i, g, r in zip(wrt, grad, ref_grad)]
    else:
        pairs = [("value", value, ref_value), (f"gradient {wrt}", grad, ref_grad)]
    worst = 0.0
    for what, a, b in _leaf_pairs(pairs):
        a = to_numpy(a)
        b = np.asarray(b, dtype=np.float64)
        if a.shape != b.shape:
            raise Mismatch(f"{what}: shape {a.shape} != {b.shape}")
        if not np.all(np.isfinite(a)):
            raise Mismatch(f"{what}: not finite")
        scale = max(float(np.max(np.abs(b))) if b.size else 0.0, 1e-300)
        err = float(np.max(np.abs(a - b))) / scale if a.size else 0.0
        worst = max(worst, err)
    return worst


def _is_scalar(x):
    return (isinstance(x, (int, float)) and not isinstance(x, bool)) or \
        getattr(x, "ndim", None) == 0


def _leaf_pairs(pairs):
    """Split (what, out, ref) pairs where ref is a list or tuple of arrays
    (params = [W1, b1, ...]) into one pair per element; out must then be a
    list or tuple of the same length.  A list of numbers stays one leaf (it
    is compared as a 1-D array, whatever sequence type out has)."""
    for what, a, b in pairs:
        if isinstance(b, (list, tuple)) and not all(_is_scalar(e) for e in b):
            if not isinstance(a, (list, tuple)) or len(a) != len(b):
                raise Mismatch(f"{what}: expected a {type(b).__name__} of {len(b)} "
                               f"gradients, got {type(a).__name__}")
            yield from _leaf_pairs((f"{what}[{k}]", x, y)
                                   for k, (x, y) in enumerate(zip(a, b)))
        else:
            yield what, a, b


def check_container_types(out, args, wrt):
    """ast_ad promises gradients in the structure of their argument: the
    gradient with respect to a list is a list (of the same length)."""
    positions = wrt if isinstance(wrt, tuple) else (wrt,)
    grads = out[1] if isinstance(wrt, tuple) else (out[1],)
    for i, g in zip(positions, grads):
        x = args[i]
        if isinstance(x, (list, tuple)) and (type(g) is not type(x) or len(g) != len(x)):
            raise Mismatch(f"gradient {i}: expected a {type(x).__name__} of "
                           f"{len(x)}, got {type(g).__name__}")


def peak_bytes(fn, args):
    """Peak traced memory during one call of fn(*args), above what was
    traced before it (NumPy reports its buffers to tracemalloc; the result,
    while alive, is included)."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        out = fn(*args)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del out
    return peak - base


def sample_ns(fn, args, n):
    it = itertools.repeat(None, n)
    t0 = perf_counter_ns()
    for _ in it:
        fn(*args)
    return perf_counter_ns() - t0


def calibrate(fn, args):
    """Inner repetition count so that one sample lasts >= SAMPLE_NS."""
    n = 1
    while True:
        total = sample_ns(fn, args, n)
        if total >= SAMPLE_NS or n >= MAX_INNER:
            return n, total / n
        grow = int(n * SAMPLE_NS / max(total, 1) * 1.2) + 1
        n = min(MAX_INNER, max(2 * n, grow))


def quartiles(xs):
    if len(xs) < 2:
        return xs[0], xs[0]
    q = statistics.quantiles(xs, n=4)
    return q[0], q[2]


def time_contenders(contenders, opts, same_inner=()):
    """contenders: list of (key, fn, args).  Interleaved rounds: in each round
    every contender gives one sample (n calls, time / n); the starting
    contender rotates from round to round.  A contender so slow that
    min_rounds samples of it would take more than half the budget (a peer
    in eager mode, say) is sampled only every `stride`-th round, at least 5
    times, and does not count when choosing the number of rounds.  A
    contender other than the primal and the hand-written one that raises is
    dropped.  Keys grouped in `same_inner` use the same n.  Returns rounds, per-key stats, the raw samples (None where
    skipped) and {key: exception} for dropped contenders."""
    inner, cost, errors = {}, {}, {}
    for key, fn, args in contenders:
        try:
            n, per_call = calibrate(fn, args)
        except Exception as exc:
            if key in REQUIRED:
                raise
            errors[key] = exc
            continue
        inner[key] = n
        cost[key] = n * per_call
    contenders = [c for c in contenders if c[0] not in errors]
    # Contenders to be compared call for call (ast_ad vs its .generated) get
    # the same n: the first call of a sample runs with colder caches than the
    # rest, so unequal n would bias their difference.
    for group in same_inner:
        group = [key for key in group if key in inner]
        if len(group) > 1:
            n = max(inner[key] for key in group)
            for key in group:
                cost[key] *= n / inner[key]
                inner[key] = n
    budget_ns = opts.budget * 1e9
    slow = {key for key, c in cost.items()
            if not opts.rounds and c * opts.min_rounds > budget_ns / 2}
    if opts.rounds:
        rounds = opts.rounds
    else:
        fast_cost = sum(c for key, c in cost.items() if key not in slow)
        rounds = int(budget_ns / max(fast_cost, 1))
        rounds = max(opts.min_rounds, min(opts.max_rounds, rounds))
    stride = {}
    for key, c in cost.items():
        s = 1
        if key in slow:
            s = -(-int(rounds * c) // max(1, int(budget_ns / 2)))
            s = max(1, min(s, rounds // 5))
        stride[key] = s
    samples = {key: [] for key, _, _ in contenders}
    gc.collect()
    k = len(contenders)
    for r in range(rounds):
        s = r % k
        for key, fn, args in contenders[s:] + contenders[:s]:
            if r % stride[key] or key in errors:
                samples[key].append(None)
                continue
            try:
                samples[key].append(sample_ns(fn, args, inner[key]) / inner[key])
            except Exception as exc:  # a contender that fails on a later call
                if key in REQUIRED:
                    raise
                errors[key] = exc
                samples[key].append(None)
    stats = {}
    for key, xs in samples.items():
        if key in errors:
            continue
        xs = [x for x in xs if x is not None]
        q1, q3 = quartiles(xs)
        stats[key] = {"median_ns": statistics.median(xs), "q1_ns": q1,
                      "q3_ns": q3, "inner": inner[key], "samples": len(xs)}
    return rounds, stats, samples, errors


def _warm_up_target(x):
    return x * x + 1.0


# --------------------------------------------------------------------------
# ast_ad

def load_ast_ad():
    """(module, None) or (None, error message)."""
    try:
        import ast_ad
    except Exception as exc:
        return None, "import ast_ad failed: " + full_error(exc)
    missing = [name for name in ("value_and_grad",) if not hasattr(ast_ad, name)]
    if missing:
        return None, "ast_ad has no " + ", ".join(missing)
    # One throwaway transformation so that one-time costs of the library
    # (lazy imports, table set-up) are not charged to the first workload.
    try:
        with time_limit(60):
            ast_ad.value_and_grad(_warm_up_target, wrt=0)(3.0)
    except Exception:
        pass
    return ast_ad, None


def cold_first_calls(ast_ad, wl, args, opts):
    """Wall time (ns) of value_and_grad(f)(*args) on never-seen copies f of
    the primal (fresh function + code objects + globals, see fresh.py)."""
    times = []
    spent = 0
    for _ in range(opts.transform_reps):
        f = fresh_namespace()[wl.primal.__name__]
        clear = getattr(ast_ad, "clear_cache", None)
        if callable(clear):
            clear()
        gc.collect()
        with time_limit(opts.timeout):
            t0 = perf_counter_ns()
            ast_ad.value_and_grad(f, wrt=wl.wrt)(*args)
            t1 = perf_counter_ns()
        times.append(t1 - t0)
        spent += t1 - t0
        if spent > opts.transform_budget * 1e9:
            break
    return times


# --------------------------------------------------------------------------
# one workload

def run_workload(wl, ast_ad, ast_ad_error, peers, opts, log):
    res = {"name": wl.name, "description": wl.description,
           "wrt": list(wl.wrt) if isinstance(wl.wrt, tuple) else wl.wrt,
           "ast_ad": {}, "peers": {}}
    args = wl.make_args()

    # -- reference checks ---------------------------------------------------
    value = wl.primal(*args)
    ref = wl.hand_vg(*args)
    value_err = abs(float(ref[0]) - float(value)) / max(abs(float(value)), 1e-300)
    fd_err, fd_per_arg = fd.check_gradient(wl.primal, args, wl.wrt, ref[1])
    hand_ok = value_err <= VALUE_RTOL and fd_err <= FD_RTOL
    res["value"] = float(value)
    res["hand_check"] = {"value_rel_err": value_err, "fd_rel_err": float(fd_err),
                         "fd_rel_err_per_arg": {str(k): float(v)
                                                for k, v in fd_per_arg.items()},
                         "ok": hand_ok}
    log(f"  hand-written vs primal value: rel err {value_err:.1e}; "
        f"vs finite differences: rel err {fd_err:.1e} "
        f"{'ok' if hand_ok else 'FAILED'}")

    contenders = [("primal", wl.primal, args), ("hand", wl.hand_vg, args)]

    # -- ast_ad -------------------------------------------------------------
    a = res["ast_ad"]
    if ast_ad is None:
        a["error"] = shorten(ast_ad_error)
    else:
        try:
            first_calls = cold_first_calls(ast_ad, wl, args, opts)
            a["first_call_ns"] = first_calls
        except Exception as exc:
            a["first_call_error"] = full_error(exc)
            first_calls = None
        try:
            with time_limit(opts.timeout):
                g = ast_ad.value_and_grad(wl.primal, wrt=wl.wrt)
                out = g(*args)
            err = compare(out, ref, wl.wrt)
            check_container_types(out, args, wl.wrt)
            a["rel_err_vs_hand"] = err
            if not err <= AST_AD_RTOL:
                raise Mismatch(f"disagrees with hand-written (rel err {err:.1e})")
            contenders.append(("ast_ad", g, args))
            log(f"  ast_ad vs hand-written: rel err {err:.1e} ok")
        except Exception as exc:
            a["error"] = short_error(exc)
            a["error_full"] = full_error(exc)
            log(f"  ast_ad: error: {a['error_full']}")
        if "error" not in a:
            try:
                gen = getattr(g, "generated", None)
            except Exception as exc:   # e.g. a property that raises
                gen = None
                a["overhead_error"] = "reading .generated failed: " + short_error(exc)
            if gen is None:
                a.setdefault("overhead_error", "no .generated attribute")
            else:
                try:
                    with time_limit(opts.timeout):
                        gen(*args)
                    contenders.append(("ast_ad.generated", gen, args))
                except Exception as exc:
                    a["overhead_error"] = ".generated(*args) failed: " + short_error(exc)
            if "overhead_error" in a:
                log(f"  ast_ad overhead not measured: {a['overhead_error']}")
            if first_calls is None:
                log(f"  ast_ad first call on a fresh copy failed: {a['first_call_error']}")

    # -- peers --------------------------------------------------------------
    for peer in peers:
        p = res["peers"][peer.key] = {}
        if peer.key in wl.skip_peers:
            p["skipped"] = wl.skip_peers[peer.key]
            log(f"  {peer.key}: skipped: {p['skipped']}")
            continue
        try:
            with time_limit(opts.timeout):
                t0 = perf_counter_ns()
                fn, call_args = peer.prepare(wl, args)
                out = fn(*call_args)
                p["first_call_ns"] = perf_counter_ns() - t0
            err = compare(out, ref, wl.wrt, peer.to_numpy)
            p["rel_err_vs_hand"] = err
            if not err <= AST_AD_RTOL:
                raise Mismatch(f"disagrees with hand-written (rel err {err:.1e})")
            contenders.append((peer.key, fn, call_args))
        except Exception as exc:
            p["error"] = short_error(exc)
            p["error_full"] = full_error(exc)
            log(f"  {peer.key}: error: {p['error_full']}")

    # -- peak memory of one call (primal, hand-written, ast_ad) ---------------
    res["peak_bytes"] = {key: peak_bytes(fn, fargs) for key, fn, fargs in contenders
                         if key in ("primal", "hand", "ast_ad")}

    # -- timing -------------------------------------------------------------
    rounds, stats, samples, errors = time_contenders(
        contenders, opts, same_inner=[("ast_ad", "ast_ad.generated")])
    res["rounds"] = rounds
    res["timing"] = stats
    for key, exc in errors.items():
        cell = (a if key == "ast_ad" else res["peers"].get(key))
        log(f"  {key}: error while timing: {full_error(exc)}")
        if key == "ast_ad.generated":
            a["overhead_error"] = ".generated failed while timing: " + short_error(exc)
        elif cell is not None:
            cell["error"] = short_error(exc)
            cell["error_full"] = "while timing: " + full_error(exc)
    primal = stats["primal"]["median_ns"]
    res["primal_us"] = primal / 1e3
    res["hand_x"] = stats["hand"]["median_ns"] / primal
    if "ast_ad" in stats:
        a["x_primal"] = stats["ast_ad"]["median_ns"] / primal
        a["x_hand"] = stats["ast_ad"]["median_ns"] / stats["hand"]["median_ns"]
        if a.get("first_call_ns"):
            a["transform_ms"] = (statistics.median(a["first_call_ns"])
                                 - stats["ast_ad"]["median_ns"]) / 1e6
        if "ast_ad.generated" in stats:
            diffs = [x - y for x, y in zip(samples["ast_ad"],
                                           samples["ast_ad.generated"])
                     if x is not None and y is not None]
            a["overhead_us"] = statistics.median(diffs) / 1e3
            # standard error of the median, from the spread of the differences
            q1, q3 = quartiles(diffs)
            a["overhead_se_us"] = (1.2533 * (q3 - q1) / 1.349
                                   / len(diffs) ** 0.5 / 1e3)
    for peer in peers:
        if peer.key in stats:
            res["peers"][peer.key]["x_primal"] = stats[peer.key]["median_ns"] / primal
    log("  " + ", ".join(f"{k}: {v['median_ns'] / 1e3:.2f} µs (x{v['inner']}, "
                         f"{v['samples']} samples)" for k, v in stats.items()))
    return res


# --------------------------------------------------------------------------
# report

def machine_info():
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = None
    blas = None
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg["Build Dependencies"]["blas"]
        blas = f"{blas.get('name')} {blas.get('version', '')}".strip()
    except Exception:
        pass
    commit = None
    try:
        commit = subprocess.run(["git", "-C", ROOT, "describe", "--always",
                                 "--dirty"], capture_output=True, text=True,
                                timeout=10).stdout.strip() or None
    except Exception:
        pass
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas,
        "blas_threads": 1,
        "thread_env": {v: os.environ.get(v) for v in THREAD_VARS},
        "numpy_imported_before_env": NUMPY_WAS_IMPORTED,
        "malloc": MALLOC_SETTING or "system default",
        "git": commit,
    }


def fmt_us(x):
    if x < 10:
        return f"{x:.2f}"
    if x < 100:
        return f"{x:.1f}"
    return f"{x:.0f}"


def fmt_ratio(x):
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


def fmt_ms(x):
    return f"{x:.1f}" if abs(x) >= 1 else f"{x:.2f}"


def fmt_signed(x):
    return f"{x:.2f}" if abs(x) < 10 else f"{x:.1f}" if abs(x) < 100 else f"{x:.0f}"


def cell_error(msg):
    return "error: " + msg.replace("|", "\\|").replace("\n", " ")


def table_rows(results, peers):
    header = ["workload", "primal µs", "hand-written ×primal", "ast_ad ×primal",
              "ast_ad / hand-written"]
    header += [p.column for p in peers]
    header += ["first-grad transform ms", "cached-call overhead µs",
               "peak memory KiB hand / ast_ad"]
    rows = []
    for r in results:
        a = r["ast_ad"]
        row = [r["name"], fmt_us(r["primal_us"]), fmt_ratio(r["hand_x"])]
        if not r["hand_check"]["ok"]:
            row[2] += " (hand-written FAILED check)"
        if "x_primal" in a:
            row += [fmt_ratio(a["x_primal"]), fmt_ratio(a["x_hand"])]
        else:
            row += [cell_error(a.get("error", "not run")), DASH]
        for p in peers:
            pr = r["peers"].get(p.key, {})
            row.append(fmt_ratio(pr["x_primal"]) if "x_primal" in pr
                       else "skipped" if "skipped" in pr
                       else cell_error(pr.get("error", "not run")))
        if "transform_ms" in a:
            row.append(fmt_ms(a["transform_ms"]))
        elif "first_call_error" in a and "x_primal" in a:
            row.append("error")
        else:
            row.append(DASH)
        if "overhead_us" in a:
            se = a["overhead_se_us"]
            row.append(f"{fmt_signed(a['overhead_us'])} ±"
                       + (f"{se:.0f}" if se >= 10 else f"{se:.2g}"))
        elif "overhead_error" in a:
            row.append("n/a")
        else:
            row.append(DASH)
        pk = r.get("peak_bytes", {})
        row.append(" / ".join(fmt_us(pk[k] / 1024) if k in pk else DASH
                              for k in ("hand", "ast_ad")))
        rows.append(row)
    return header, rows


def markdown_table(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    numeric = [i > 0 for i in range(len(header))]

    def line(cells):
        out = []
        for i, c in enumerate(cells):
            out.append(str(c).rjust(widths[i]) if numeric[i] and i and
                       not str(c).startswith("error") else str(c).ljust(widths[i]))
        return "| " + " | ".join(out) + " |"

    sep = "|" + "|".join(("-" * (w + 1) + ":") if numeric[i] else "-" * (w + 2)
                         for i, w in enumerate(widths)) + "|"
    return "\n".join([line(header), sep] + [line(r) for r in rows])


def header_lines(meta, results, opts):
    rounds = ", ".join(f"{r['name']} {r['rounds']}" for r in results)
    usable = (f", {meta['cpus_usable']} usable" if meta["cpus_usable"]
              not in (None, meta["cpu_count"]) else "")
    lines = [
        "# ast_ad benchmarks",
        "",
        f"- date: {meta['date']}" + (f"; repo at {meta['git']}" if meta["git"] else ""),
        f"- machine: {meta['platform']}; {meta['cpu'] or 'unknown CPU'}; "
        f"{meta['cpu_count']} CPUs{usable}",
        f"- numpy {meta['numpy']}" + (f" ({meta['blas']})" if meta["blas"] else "")
        + f", Python {meta['python']}",
        "- BLAS threads = 1 (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS"
        " set to 1 before importing NumPy)"
        + (" — WARNING: NumPy was imported before, so this may not have taken effect"
           if meta["numpy_imported_before_env"] else ""),
        "- allocator: " + (f"{meta['malloc']} (memory freed by NumPy stays in the "
                           "process; see run.py `_pin_malloc`, `--system-malloc` "
                           "to disable)" if MALLOC_SETTING else meta["malloc"]),
        f"- method: median of interleaved rounds (rounds per workload: {rounds}); "
        f"in each round every contender is timed once, starting contender rotating; "
        f"one sample = n calls (n chosen so a sample lasts ≥ {SAMPLE_NS / 1e6:g} ms) "
        f"/ n; time.perf_counter_ns; all in one process",
        "- ratios are to the primal's median in the same run; ast_ad and peers are "
        f"checked against the hand-written gradient (normwise rel. err ≤ {AST_AD_RTOL:g}),"
        f" the hand-written one against central finite differences (≤ {FD_RTOL:g})",
        "- first-grad transform: median over fresh copies of the primal of "
        "(time of value_and_grad(f, wrt)(*args), first call) minus one cached call",
        "- peak memory: tracemalloc's peak during one call minus what was traced "
        "before it (NumPy buffers included; the primal's is in results.json)",
        "- cached-call overhead: median over rounds of (ast_ad call − direct call of "
        "its .generated function), ± its standard error (from the spread of the "
        "differences); on millisecond workloads it drowns in noise",
    ]
    return lines


def notes_lines(results, peer_notes, ast_ad_error):
    notes = list(peer_notes)
    if ast_ad_error:
        notes.append(f"ast_ad unavailable: {ast_ad_error}")
    for r in results:
        a = r["ast_ad"]
        if a.get("error_full"):
            notes.append(f"{r['name']}: ast_ad: {a['error_full']}")
        if a.get("overhead_error"):
            notes.append(f"{r['name']}: cached-call overhead not measured: "
                         f"{a['overhead_error']}")
        if a.get("first_call_error") and not a.get("error"):
            notes.append(f"{r['name']}: first call on a fresh copy failed: "
                         f"{a['first_call_error']}")
        fc = a.get("first_call_ns") or []
        if len(fc) >= 3 and max(fc) > 5 * statistics.median(fc):
            notes.append(f"{r['name']}: first-call times vary widely "
                         f"({', '.join(f'{t / 1e6:.1f}' for t in fc)} ms): is the "
                         "transformation cache keyed on source/code equality?")
        for key, p in r["peers"].items():
            if p.get("skipped"):
                notes.append(f"{r['name']}: {key}: skipped: {p['skipped']}")
            if p.get("error_full"):
                notes.append(f"{r['name']}: {key}: {p['error_full']}")
        if not r["hand_check"]["ok"]:
            notes.append(f"{r['name']}: HAND-WRITTEN GRADIENT FAILED ITS CHECK: "
                         f"{r['hand_check']}")
    fd_line = ", ".join(f"{r['name']} {r['hand_check']['fd_rel_err']:.0e}"
                        for r in results)
    notes.append(f"hand-written vs finite differences (max rel err): {fd_line}")
    return notes


# --------------------------------------------------------------------------

def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", metavar="NAME",
                    help="run only these workloads")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: small time budget, few rounds")
    ap.add_argument("--budget", type=float, default=12.0,
                    help="target seconds of timing rounds per workload (default 12)")
    ap.add_argument("--rounds", type=int, default=0,
                    help="fixed number of rounds (overrides --budget)")
    ap.add_argument("--min-rounds", type=int, default=31)
    ap.add_argument("--max-rounds", type=int, default=501)
    ap.add_argument("--transform-reps", type=int, default=5,
                    help="fresh copies for the first-call time (default 5)")
    ap.add_argument("--transform-budget", type=float, default=5.0,
                    help="stop adding fresh copies after this many seconds")
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="seconds allowed for one transformation / first call")
    ap.add_argument("--no-peers", action="store_true",
                    help="do not import autograd / JAX / PyTorch")
    ap.add_argument("--write", action="store_true",
                    help="also write results.md and results.json (to --output-dir); "
                    "by default the run only prints")
    ap.add_argument("--output-dir", default=HERE,
                    help="where --write puts results.md and results.json (default benchmarks/)")
    ap.add_argument("--no-write", action="store_true",
                    help="print only (the default; kept for old command lines)")
    ap.add_argument("--system-malloc", action="store_true",
                    help="keep glibc's default malloc thresholds (see _pin_malloc)")
    opts = ap.parse_args(argv)
    if opts.quick:
        opts.budget, opts.min_rounds, opts.max_rounds = 0.5, 5, 31
        opts.transform_reps = 2
    return opts


def main(argv=None):
    opts = parse_args(argv)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    selected = workloads.WORKLOADS
    if opts.only:
        known = {w.name for w in selected}
        unknown = [n for n in opts.only if n not in known]
        if unknown:
            sys.exit(f"unknown workload(s): {', '.join(unknown)}; "
                     f"known: {', '.join(sorted(known))}")
        selected = [w for w in selected if w.name in opts.only]

    meta = machine_info()
    if NUMPY_WAS_IMPORTED:
        log("WARNING: numpy was imported before run.py set the BLAS thread variables")
    log("BLAS threads = 1 (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS = 1)")
    ast_ad, ast_ad_error = load_ast_ad()
    if ast_ad_error:
        log(f"ast_ad: {ast_ad_error} (its cells will show the error)")
    peers, peer_notes = peers_mod.load(not opts.no_peers)
    for note in peer_notes:
        log(note)

    t_start = perf_counter_ns()
    results = []
    for wl in selected:
        log(f"{wl.name}: {wl.description}")
        results.append(run_workload(wl, ast_ad, ast_ad_error, peers, opts, log))
    elapsed = (perf_counter_ns() - t_start) / 1e9

    header, rows = table_rows(results, peers)
    table = markdown_table(header, rows)
    head = header_lines(meta, results, opts)
    notes = notes_lines(results, peer_notes, ast_ad_error)
    md = "\n".join(head + ["", table, "", "Notes:", ""]
                   + [f"- {n}" for n in notes]
                   + ["", f"Run time: {elapsed:.0f} s.", ""])
    print()
    print("\n".join(head[2:]))
    print()
    print(table)
    print()
    for n in notes:
        print("- " + n)
    print(f"\nrun time {elapsed:.0f} s")

    if opts.write and not opts.no_write:
        os.makedirs(opts.output_dir, exist_ok=True)
        md_path = os.path.join(opts.output_dir, "results.md")
        json_path = os.path.join(opts.output_dir, "results.json")
        with open(md_path, "w", encoding="utf-8") as fh:
            fh.write(md)
        payload = {"meta": meta, "settings": vars(opts) | {
                       "sample_ns": SAMPLE_NS, "ast_ad_rtol": AST_AD_RTOL,
                       "fd_rtol": FD_RTOL},
                   "ast_ad_error": ast_ad_error, "peers": [p.key for p in peers],
                   "peer_notes": peer_notes, "run_time_s": elapsed,
                   "workloads": results}
        with open(json_path, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=2, default=float)
            fh.write("\n")
        print(f"wrote {os.path.relpath(md_path)} and {os.path.relpath(json_path)}")

    # A failing hand-written gradient is a bug in the suite itself.
    return 0 if all(r["hand_check"]["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
