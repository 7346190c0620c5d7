"""Which objects the function's names refer to, and what an update in place
changes.

Python names refer to objects: ``a = b`` makes two names for one object,
and ``a += 1`` on an array, ``a[0] = 1`` or ``xs.append(v)`` change the
object, which every name for it sees -- and so does every *view* of it
(``row = x[0]`` of a 2-d array shares x's memory) and every container that
holds it.  The IR has value semantics (a Var is one value, never changed),
so the lowering keeps a model of the objects:

* an `Obj` is one object.  Names are bound to Objs; the *store* maps each
  Obj to its current value: an IR operand, or `Elements` for a container
  whose elements are known objects (a list literal, an unpacked argument);
* an update in place gives the Obj a new value, which every name bound to it
  sees; if the Obj is a view or an element of another Obj, the new value is
  written through to that base, and the base's other views are read again;
* what cannot be followed exactly raises a located UnsupportedSyntaxError:
  an object that is one of two (chosen by a branch or by the iteration)
  updated in place while the other is still referred to elsewhere; an object
  stored in a list whose elements are not tracked, then updated in place;
  a module global updated in place.

Whether an operation updates in place depends on the value: ``+=`` updates
arrays and lists, and rebinds numbers and tuples; a subscript of an array is
a view only if the index is basic and the result an array.  The avals of the
values (inferred as they are made) decide this when the code is made; where
they do not, run-time helpers decide by the value's type, never by object
identity (`runtime.inplace_alias`, `write_through`, `view_refresh`), and the
simplifier settles them once the avals are known.
"""
from __future__ import annotations

import operator

from . import runtime
from .avals import Array, Map, Num, Seq, concrete, is_mutable, of_operand, UNKNOWN
from .ir import Const, Var


class Obj:
    """One Python object.  Identity is the Obj itself."""
    __slots__ = ("hint", "view", "merged", "origin", "escaped", "shares", "link")

    def __init__(self, hint="", view=None, merged=None, origin=None):
        self.hint = hint
        # (base Obj, index operand, how): this object is base[index], where
        # how is "array" (a view sharing the base's memory), "element" (an
        # element of a list, tuple or dict: the very object) or "unknown"
        # (decided at run time by `runtime.write_through`)
        self.view = view
        # ("branch", cond, then Obj, else Obj): one of two objects, chosen by
        # a branch; ("loop", init Obj): the object a loop started with, or
        # one the loop made
        self.merged = merged
        self.origin = origin          # "global": a module global
        self.escaped = False          # stored in a list whose elements are not known
        # a list whose elements are not known, holding objects other names
        # may refer to (the other side of `escaped`)
        self.shares = False
        self.link = None              # the same object if its value is mutable (see update)

    def __repr__(self):
        return f"Obj({self.hint or '_'}@{id(self) % 10000})"


class Elements:
    """The value of a container whose elements are known objects.  `var`
    holds the container as a whole while its elements keep the values
    `values` (an unpacked argument, or a literal already built)."""
    __slots__ = ("kind", "keys", "items", "var", "values")

    def __init__(self, kind, keys, items, var=None, values=None):
        self.kind = kind          # list, tuple or dict
        self.keys = keys          # dict keys, or None
        self.items = items        # tuple of Objs
        self.var = var
        self.values = values

    def item(self, key):
        """The Obj at `key` (a constant), or None."""
        if self.kind is dict:
            return self.items[self.keys.index(key)] if key in self.keys else None
        if isinstance(key, int) and not isinstance(key, bool) and \
                -len(self.items) <= key < len(self.items):
            return self.items[key]
        return None

    def replaced(self, key, obj):
        items = list(self.items)
        keys = self.keys
        if self.kind is dict:
            if key in keys:
                items[keys.index(key)] = obj
            else:
                keys = keys + (key,)
                items.append(obj)
        else:
            items[key] = obj
        return Elements(self.kind, keys, tuple(items))

    def appended(self, obj):
        return Elements(self.kind, self.keys, self.items + (obj,))


class Memory:
    """The store and the views of one function being lowered (shared by the
    helpers and closures inlined into it)."""

    def __init__(self):
        self.store = {}       # Obj -> operand or Elements
        self.views = {}       # base Obj -> [Objs bound as its views or elements]
        self.avals = {}       # Var -> aval (what the values made so far are)
        self.updated = set()  # objects updated in place (in the loop body being lowered)
        self.conditional = 0  # > 0 inside branches and loop bodies (code that may not run)
        self.late_views = []  # objects made views after they were made (elements_become_views)
        self.link_log = []    # (object, its links before) for every change of links

    # ---------------------------------------------------------- states
    def snapshot(self):
        return (dict(self.store), {k: list(v) for k, v in self.views.items()},
                len(self.late_views), len(self.link_log))

    def link(self, a, b):
        """`a` and `b` may be one object, decided at run time (see
        Lowerer.update_name): an update of either is applied to both."""
        for x, y in ((a, b), (b, a)):
            self.link_log.append((x, x.link))
            x.link = (x.link or []) + [y]

    def take_links(self, state):
        """Undo the links made since the snapshot `state`, and return what
        they were ({object: links}) to be put back with `put_links`: one
        side of a branch is lowered without the links the other side made."""
        made = {}
        for obj, before in reversed(self.link_log[state[3]:]):
            made.setdefault(obj, obj.link)
            obj.link = before
        del self.link_log[state[3]:]
        return made

    def put_links(self, made):
        """After a branch: the links either side made (a name may be an
        object of either side)."""
        for obj, links in made.items():
            for other in links or ():
                if other not in (obj.link or ()):
                    self.link_log.append((obj, obj.link))
                    obj.link = (obj.link or []) + [other]

    def restore(self, state):
        """Go back to a snapshot (which stays as it was)."""
        self.store = dict(state[0])
        self.views = {k: list(v) for k, v in state[1].items()}

    def make_view(self, obj, view):
        """`obj`, made earlier, is from now on `view` (and bound as one)."""
        obj.view = view
        self.late_views.append(obj)
        self.bind(obj)

    def forget_views(self, state):
        """Undo the views made since the snapshot `state`: a loop lowered
        again starts from the objects as they were.  (Not for the sides of
        a branch: what one side made a view stays one after the join.)"""
        for obj in self.late_views[state[2]:]:
            obj.view = None
        del self.late_views[state[2]:]

    # ---------------------------------------------------------- values
    def new(self, value, hint="", view=None):
        obj = Obj(hint, view)
        self.store[obj] = value
        return obj

    def aval(self, o):
        return of_operand(o, self.avals)

    def bind(self, obj):
        """`obj` is now reachable (bound to a name, held by a container or
        passed to a function): as a view, it must be read again when its
        base changes -- and so must its base, when that is a view too
        (``x[:2].reshape(2, 1)``: the temporary ``x[:2]`` links it to `x`)."""
        part = obj
        while part.view is not None:
            lst = self.views.setdefault(part.view[0], [])
            if part in lst:
                break
            lst.append(part)
            part = part.view[0]
        return obj

    def referrers(self, obj, env_list, exclude=None):
        """How many references to `obj` there are from what the function can
        still reach (its names that are read again, the containers and the
        objects of branches they refer to), not counting `exclude`.
        `env_list`: (environment, names read later or None for all)."""
        count, seen, todo = 0, set(), []
        for env, live in env_list:
            for name, v in env.items():
                if live is not None and name not in live and not name.startswith("<"):
                    continue        # (a name never read again refers to nothing)
                if v is obj:
                    count += 1
                elif isinstance(v, Obj):
                    todo.append(v)
        while todo:
            o = todo.pop()
            if id(o) in seen or o is exclude:
                continue
            seen.add(id(o))
            value = self.store.get(o)
            inner = list(value.items) if isinstance(value, Elements) else []
            if o.merged is not None:
                inner += [m for m in o.merged[2:] if isinstance(m, Obj)]
            for i in inner:
                if i is obj:
                    count += 1
                else:
                    todo.append(i)
        return count
