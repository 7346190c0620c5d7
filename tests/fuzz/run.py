"""Command-line driver: ``python -m tests.fuzz --n 2000 --seed 0 --jobs 2``.

Program i of a run is ``gen.generate(seed + i)``; a failure is reproduced with
``python -m tests.fuzz --replay SEED`` (add the same ``--disable``).

Phases: run the programs (in ``--jobs`` processes), print the counts per
class and the seeds of failures; with ``--minimize K``, shrink up to K failing
programs per failure signature, re-confirm and de-duplicate the minimised
programs and print them; with ``--write-regressions``, write each as a file
under tests/fuzz/regressions/.  Everything printed also goes to ``--log``.
"""
import argparse
import ast
import collections
import multiprocessing as mp
import os
import re
import sys
import time

from . import check, gen, regress, shrink


MEM_LIMIT_GB = 4.0


def init_worker(mem_gb=None):
    """Pool initializer: cap the address space so that a runaway program raises
    MemoryError in its worker instead of exhausting the machine."""
    try:
        import resource
        lim = int((mem_gb or MEM_LIMIT_GB) * 2 ** 30)
        resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
    except Exception:
        pass


def robust_imap(pool, fn, jobs, stall=600.0, log=None, key=lambda j: j):
    """pool.imap_unordered that gives up (and says which jobs are missing) when no
    result arrives for `stall` seconds (a worker killed from outside loses its task)."""
    it = pool.imap_unordered(fn, jobs, chunksize=1)
    pending = {key(j) for j in jobs}
    while pending:
        try:
            r = it.next(timeout=stall)
        except StopIteration:
            return
        except mp.TimeoutError:
            if log:
                log(f"!! no result for {stall:.0f}s: giving up on {sorted(pending)[:20]}")
            return
        pending.discard(r.get("_key"))
        yield r


def work(job):
    seed, disable, budget_entries, timeout, do_confirm = job   # do_confirm: 0, 1 (light) or 2
    t = time.time()
    try:
        case = gen.generate(seed, disable)
    except Exception as e:   # a bug of the generator: report, never hide
        return dict(seed=seed, cls="generator_error", issues=[("generator_error", "-", repr(e))],
                    refusals=[], keys=[], elapsed=time.time() - t, case=None, _key=seed)
    res = check.run_case(case, timeout=timeout, budget_entries=budget_entries)
    if do_confirm and res.cls in check.FAILURES + check.SOFT:
        n = 1 if do_confirm == 1 else 2
        res = check.confirm(case, res, timeout=timeout, points=n, tiny=n)
    return dict(seed=seed, cls=res.cls, issues=res.issues, refusals=res.refusals,
                keys=sorted(res.keys()), elapsed=time.time() - t, case=case.to_dict(),
                targets=shrink.targets(res) if res.cls in check.FAILURES else [], _key=seed)


def shrink_job(job):
    case_d, target, budget, timeout = job
    case = gen.Case(**case_d)
    t = time.time()
    try:
        best, attempts = shrink.shrink(case, target, budget=budget, timeout=timeout)
        res = check.run_case(best, entries=[target[1]], timeout=timeout)
        res = check.confirm(best, res, timeout=timeout)
    except BaseException as e:    # MemoryError, a stray alarm: keep the pool alive
        return dict(seed=case.seed, target=target, case=case_d, attempts=0, elapsed=time.time() - t,
                    confirmed=False, summary=f"shrinking failed: {e!r}", issues=[],
                    _key=(case.seed, target))
    ok = target in res.keys()
    return dict(seed=case.seed, target=target, case=best.to_dict(), attempts=attempts,
                elapsed=time.time() - t, confirmed=ok, summary=res.summary(),
                issues=res.issues, _key=(case.seed, target))


def signature(target, issues):
    cls, ent, detail = target
    msg = ""
    for c, e, m in issues:
        if c == cls and e == ent:
            msg = m
            break
    if cls in ("internal_error", "generated_code_crash"):
        msg = re.sub(r"\d+", "N", msg.split(" (at ")[0])[:80]
        where = re.search(r"\(at ([^:]+)", msg)
    else:
        msg = ""
    return (cls, ent.split(":")[0], detail, msg)


def features(src):
    """Tokens describing a (small) program: used to de-duplicate minimised failures."""
    toks = set()
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute):
                toks.add("." + f.attr)
            elif isinstance(f, ast.Name):
                toks.add(f.id + "()")
        elif isinstance(node, (ast.stmt, ast.operator, ast.unaryop, ast.cmpop, ast.Subscript, ast.Slice,
                               ast.IfExp, ast.ListComp, ast.GeneratorExp, ast.Lambda)):
            if isinstance(node, ast.AugAssign):
                toks.add("aug" + type(node.op).__name__)
            elif not isinstance(node, (ast.Expr, ast.Assign, ast.Return, ast.Import)):
                toks.add(type(node).__name__)
    return tuple(sorted(toks))


class Log:
    def __init__(self, path):
        self.fh = open(path, "a") if path else None

    def __call__(self, *a):
        s = " ".join(str(x) for x in a)
        print(s, flush=True)
        if self.fh:
            self.fh.write(s + "\n")
            self.fh.flush()

    def file_only(self, s):
        if self.fh:
            self.fh.write(s + "\n")
            self.fh.flush()


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="number of programs")
    ap.add_argument("--seed", type=int, default=0, help="seed of the first program")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes")
    ap.add_argument("--minimize", type=int, nargs="?", const=3, default=0, metavar="K",
                    help="shrink up to K failing programs per failure signature (default 3)")
    ap.add_argument("--shrink-budget", type=float, default=60.0, help="seconds per shrink")
    ap.add_argument("--write-regressions", action="store_true",
                    help="write minimised failures under tests/fuzz/regressions/")
    ap.add_argument("--regressions-dir", default=regress.REG_DIR)
    ap.add_argument("--log", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "fuzz.log"),
                    help="log file, appended (default tests/fuzz/fuzz.log); '' for none")
    ap.add_argument("--entries", type=int, default=None,
                    help="check only this many entry points per program (chosen by seed)")
    ap.add_argument("--disable", default="", help="generator features to switch off: " +
                    ", ".join(sorted(gen.FEATURES)))
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per program")
    ap.add_argument("--jit", action="store_true",
                    help="also check value_and_grad(jit=True) (Numba) where the arguments allow")
    ap.add_argument("--mem-limit", type=float, default=MEM_LIMIT_GB,
                    help="address-space limit per worker, GB (default %(default)s)")
    ap.add_argument("--no-confirm", action="store_true",
                    help="do not re-check numerical failures at nearby points")
    ap.add_argument("--replay", type=int, nargs="*", metavar="SEED",
                    help="print the programs of these seeds and their results")
    ap.add_argument("--check-file", nargs="*", metavar="PATH",
                    help="run regression files (all of them without a path)")
    a = ap.parse_args(argv)
    if a.jit:
        os.environ["AST_AD_FUZZ_JIT"] = "1"      # (read by check.default_entries, in workers too)
    disable = tuple(x for x in a.disable.split(",") if x)
    log = Log(a.log)

    if a.replay is not None:
        for s in a.replay:
            case = gen.generate(s, disable)
            res = check.run_case(case, timeout=a.timeout)
            if res.cls in check.FAILURES + check.SOFT:
                res = check.confirm(case, res)
            print(f"# seed {s} ({case.kind})\n{case.source}\n# params {case.params}\n# args {case.args}")
            print(res.summary())
        return 0

    if a.check_file is not None:
        paths = a.check_file or regress.files(a.regressions_dir)
        bad = 0
        for p in paths:
            case, meta, res = regress.check_file(p)
            status = "FAIL" if regress.failed(res, meta) else "pass"
            bad += status == "FAIL"
            print(f"{status} {os.path.relpath(p)}: {res.summary()}")
        print(f"{bad} of {len(paths)} regression files fail")
        return 1 if bad else 0

    t0 = time.time()
    log(f"== fuzz run {time.strftime('%Y-%m-%d %H:%M:%S')}: n={a.n} seed={a.seed} jobs={a.jobs} "
        f"entries={a.entries} disable={list(disable)} (programs are seeds {a.seed}..{a.seed + a.n - 1})")
    jobs = [(s, disable, a.entries, a.timeout, 0 if a.no_confirm else 2) for s in range(a.seed, a.seed + a.n)]
    counts = collections.Counter()
    entry_counts = collections.Counter()
    failures = []
    refusal_msgs = collections.Counter()
    if a.jobs > 1:
        pool = mp.Pool(a.jobs, initializer=init_worker, initargs=(a.mem_limit,), maxtasksperchild=100)
    else:
        pool = None
        init_worker(a.mem_limit)
    it = robust_imap(pool, work, jobs, log=log, key=lambda j: j[0]) if pool else map(work, jobs)
    done = 0
    for r in it:
        done += 1
        counts[r["cls"]] += 1
        for c, e, m in r["issues"]:
            entry_counts[(c, e.split(":")[0])] += 1
        for e, m in r["refusals"]:
            refusal_msgs[re.sub(r"/\S+:\d+:\d+: ", "", m.splitlines()[0])[:120]] += 1
        if r["cls"] in check.FAILURES or r["cls"] in ("generator_error", "timeout"):
            failures.append(r)
            log.file_only(f"seed {r['seed']}: {r['cls']}")
            for c, e, m in r["issues"]:
                log.file_only(f"    {c} [{e}] {m[:300]}")
        elif r["cls"] in check.SOFT:
            log.file_only(f"seed {r['seed']}: {r['cls']} " +
                          "; ".join(f"[{e}] {m[:200]}" for c, e, m in r["issues"] if c in check.SOFT)[:600])
        if done % 200 == 0:
            log(f"  {done}/{a.n} programs, {time.time() - t0:.0f}s: " +
                ", ".join(f"{k}={v}" for k, v in counts.most_common()))
    wall = time.time() - t0
    log(f"== {a.n} programs in {wall:.1f}s ({a.jobs} jobs)")
    for c in check.CLASSES + ["generator_error"]:
        if counts[c]:
            log(f"  {c:22s} {counts[c]}")
    log("  failing entries (class, entry point): " +
        ", ".join(f"{c}/{e}={n}" for (c, e), n in sorted(entry_counts.items())
                  if c in check.FAILURES))
    by_cls = collections.defaultdict(list)
    for r in failures:
        by_cls[r["cls"]].append(r["seed"])
    for c, seeds in sorted(by_cls.items()):
        log(f"  seeds {c}: {' '.join(map(str, sorted(seeds)))}")
    if refusal_msgs:
        log("  refusals (entry points refused, per message):")
        for m, n in refusal_msgs.most_common(15):
            log(f"    {n:5d}  {m}")

    if a.minimize:
        groups = collections.OrderedDict()
        for r in sorted(failures, key=lambda r: r["seed"]):
            for tg in r.get("targets", []):
                tg = tuple(tg)
                sig = signature(tg, r["issues"])
                groups.setdefault(sig, [])
                if len(groups[sig]) < a.minimize:
                    groups[sig].append((r["case"], tg))
        sjobs = [(c, tg, a.shrink_budget, min(a.timeout, 10.0)) for lst in groups.values() for c, tg in lst]
        log(f"== minimising {len(sjobs)} failures ({len(groups)} signatures)")
        t1 = time.time()
        it = robust_imap(pool, shrink_job, sjobs, stall=max(600.0, 5 * a.shrink_budget), log=log,
                         key=lambda j: (j[0]["seed"], j[1])) if pool else map(shrink_job, sjobs)
        mins = []
        for m in it:
            tag = "confirmed" if m["confirmed"] else "NOT confirmed (dropped)"
            log.file_only(f"shrunk seed {m['seed']} {m['target']} in {m['elapsed']:.0f}s: {tag}")
            if m["confirmed"]:
                mins.append(m)
                c = m["case"]
                log.file_only(c["source"].rstrip() + "\n# args: " +
                              ", ".join(f"{p}={v}" for p, v in zip(c["params"], c["args"])) +
                              "\n" + m["summary"] + "\n")
        uniq = collections.OrderedDict()
        for m in sorted(mins, key=lambda m: len(m["case"]["source"])):
            key = (m["target"][0], m["target"][1].split(":")[0], m["target"][2], features(m["case"]["source"]))
            if key not in uniq:
                uniq[key] = m
        log(f"== {len(uniq)} distinct minimised failures ({time.time() - t1:.0f}s)")
        for key, m in uniq.items():
            c = m["case"]
            log(f"\n--- {m['target'][0]} [{m['target'][1]}] seed {m['seed']}")
            log(c["source"].rstrip())
            log(f"# args: {', '.join(f'{p}={v}' for p, v in zip(c['params'], c['args']))}")
            log(m["summary"])
            if a.write_regressions:
                case = gen.Case(**c)
                res = check.Result(case)
                res.issues = m["issues"]
                path = regress.write_regression(
                    case, tuple(m["target"]), res, a.regressions_dir,
                    found_by=f"python -m tests.fuzz --replay {m['seed']}"
                             + (f" --disable {','.join(disable)}" if disable else "") + " (then minimised)")
                log(f"# written {os.path.relpath(path)}")
    if pool:
        pool.close()
        pool.join()
    log(f"== total {time.time() - t0:.1f}s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
