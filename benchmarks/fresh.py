"""Fresh copies of the workload functions.

``fresh_namespace()`` compiles and executes ``workloads.py`` again, from its
file, into a new globals dict.  Every function in it is a new function object
with a new code object and new globals (so a helper such as ``rk4``'s
``dydt`` is new as well), while ``inspect.getsource`` still finds the source,
because file name and line numbers are those of ``workloads.py``.

run.py uses it for two things:

* the cold first ``grad`` call: a never-seen primal for each measurement;
* peers: the very same primal source run with ``np`` and ``math`` replaced by
  a framework's equivalents (``overrides``); the functions look these names up
  in their globals at call time.
"""

import builtins

import workloads

_PATH = workloads.__file__


def fresh_namespace(overrides=None):
    with open(_PATH, encoding="utf-8") as fh:
        source = fh.read()
    code = compile(source, _PATH, "exec")
    ns = {"__name__": workloads.__name__, "__file__": _PATH,
          "__builtins__": builtins}
    exec(code, ns)
    if overrides:
        ns.update(overrides)
    return ns


def fresh_function(name, overrides=None):
    return fresh_namespace(overrides)[name]
