"""Checks the calls in Airflow DAG / KFP files against provider-signatures.json (stdlib only).

Usage: python3 check_workflow_calls.py provider-signatures.json FILE.py...

For every file: each import from airflow* or kfp* must be listed; each call of a listed
callable (and each method called on what it returns) may use only the listed keyword arguments
and must pass the required ones; calls of functions defined in the file (TaskFlow tasks, KFP
components) must match their parameters; the policies of the JSON hold (literal keyword values,
forbidden keywords, Jinja names that need a logical date, KFP tasks with caching off,
IfPresentPlaceholder naming an optional input). Prints one line per problem and exits 1, or
prints per-file counts and exits 0.
"""

from __future__ import annotations

import ast
import json
import re
import sys

JINJA = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
IDENT = re.compile(r"(?<![\w.])([A-Za-z_]\w*)")
OURS = ("airflow", "kfp")


def load(path):
    with open(path, encoding="utf-8") as f:
        db = json.load(f)
    calls = {}
    for name, entry in db["callables"].items():
        calls[name] = db["callables"][entry["same_as"]] if "same_as" in entry else entry
    names = {k for k in db.get("names", {}) if not k.startswith("_")}
    return db, calls, names, set(db.get("modules", []))


def literal(node):
    try:
        return True, ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return False, None


class FileChecker:
    def __init__(self, db, calls, names, modules, path):
        self.db, self.calls, self.names, self.modules, self.path = db, calls, names, modules, path
        with open(path, encoding="utf-8") as f:
            self.src = f.read()
        self.tree = ast.parse(self.src, path)
        self.problems = []
        self.provider_calls = 0
        self.local_calls = 0
        self.imports = {}  # local name -> set of qualified names
        self.local_defs = {}  # name -> FunctionDef
        self.assigned = {}  # variable name -> set of types

    def problem(self, node, msg):
        self.problems.append(f"{self.path}:{getattr(node, 'lineno', 0)}: {msg}")

    # -- name resolution ------------------------------------------------------------------
    def collect(self):
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in OURS:
                for a in node.names:
                    q = f"{node.module}.{a.name}"
                    self.imports.setdefault(a.asname or a.name, set()).add(q)
                    if q not in self.calls and q not in self.names and q not in self.modules:
                        self.problem(node, f"import {q} is not in provider-signatures.json")
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] in OURS:
                        self.problem(node, f"'import {a.name}': import the names you use instead")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.local_defs[node.name] = node

    def resolve(self, expr):
        """Qualified names an expression may stand for (several for Airflow 2/3 fallbacks)."""
        if isinstance(expr, ast.Name):
            return self.imports.get(expr.id, set())
        if isinstance(expr, ast.Attribute):
            out = set()
            for base in self.resolve(expr.value):
                if base in self.modules:
                    q = f"{base}.{expr.attr}"
                    if q not in self.calls and q not in self.names:
                        self.problem(expr, f"{q} is not in provider-signatures.json")
                    out.add(q)
            return out
        return set()

    def is_component(self, fn):
        return any(q == "kfp.dsl.container_component" for d in fn.decorator_list for q in self.resolve(d))

    def is_task(self, fn):
        for d in fn.decorator_list:
            target = d.func if isinstance(d, ast.Call) else d
            if self.resolve(target) & {"airflow.sdk.task", "airflow.decorators.task"}:
                return True
        return False

    def types_of(self, expr):
        if isinstance(expr, ast.Name):
            return self.assigned.get(expr.id, set())
        if not isinstance(expr, ast.Call):
            return set()
        f = expr.func
        if isinstance(f, ast.Name) and f.id in self.local_defs and self.is_component(self.local_defs[f.id]):
            return {"kfp.dsl.PipelineTask"}
        types = {self.calls[q]["returns"] for q in self.resolve(f) if self.calls.get(q, {}).get("returns")}
        if isinstance(f, ast.Attribute):
            # PipelineTask setters return the task itself (chained calls).
            types |= {t for t in self.types_of(f.value) if t in self.db.get("types", {})}
        return types

    # -- checks -----------------------------------------------------------------------------
    def check_args(self, node, what, params, required, maxpos, extra=()):
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            self.problem(node, f"{what}: *args/**kwargs cannot be checked; pass arguments by name")
            return
        if len(node.args) > maxpos:
            self.problem(node, f"{what}: {len(node.args)} positional arguments, at most {maxpos}; use keywords")
        given = set(params[: len(node.args)])
        allowed = set(params) | set(extra)
        for k in node.keywords:
            if k.arg not in allowed:
                self.problem(node, f"{what}: unknown keyword argument '{k.arg}' (accepted: {sorted(allowed)})")
            given.add(k.arg)
        for r in sorted(set(required) - given):
            self.problem(node, f"{what}: required argument '{r}' is missing")

    def check_entry(self, node, qname, entry):
        params, required = list(entry["params"]), set(entry.get("required", []))
        if "inherits" in entry:
            base = self.db["bases"][entry["inherits"]]
            params += [p for p in base["params"] if p not in params]
            if entry.get("inherit_required", True):
                required |= set(base.get("required", []))
        self.check_args(node, qname, params, required, entry.get("positional", 0), entry.get("schema_keywords", ()))
        self.provider_calls += 1
        pol = self.db["policies"]
        for kw, want in pol["kwarg_literals"].get(qname, {}).items():
            if kw.startswith("_"):
                continue
            got = [k for k in node.keywords if k.arg == kw]
            ok, value = literal(got[0].value) if got else (False, None)
            if not ok or value is not want:
                why = pol["kwarg_literals"][qname].get("_why", "")
                self.problem(node, f"{qname}: must pass {kw}={want!r} explicitly ({why})")
        for kw in pol["forbidden_kwargs"].get(qname, []):
            if any(k.arg == kw for k in node.keywords):
                self.problem(node, f"{qname}: do not pass {kw}")

    def check_method(self, node, types, method):
        for t in types:
            spec = self.calls.get(t) or self.db.get("types", {}).get(t)
            m = (spec or {}).get("methods", {}).get(method)
            if m is None:
                self.problem(node, f"{t}.{method} is not in provider-signatures.json")
                continue
            self.check_args(node, f"{t}.{method}", m["params"], m.get("required", []), m.get("positional", 0))
            self.provider_calls += 1

    def check_local(self, node, fn):
        a = fn.args
        positional = [x.arg for x in a.posonlyargs + a.args]
        params = positional + [x.arg for x in a.kwonlyargs]
        ndef = len(a.defaults)
        required = positional[: len(positional) - ndef] if ndef else positional
        required += [x.arg for x, d in zip(a.kwonlyargs, a.kw_defaults) if d is None]
        if self.is_component(fn):
            # Outputs are produced by the task, not passed in.
            outputs = {x.arg for x in a.args if "Output" in ast.unparse(x.annotation or ast.Constant(""))}
            params = [p for p in params if p not in outputs]
            required = [p for p in required if p not in outputs]
        if a.vararg or a.kwarg:
            return
        self.check_args(node, f"{fn.name}()", params, required, len(positional))
        self.local_calls += 1

    def visit_calls(self):
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                t = self.types_of(node.value)
                if t:
                    self.assigned.setdefault(node.targets[0].id, set()).update(t)
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Attribute):
                self.resolve(node)  # reports unknown attributes of listed modules
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            qnames = self.resolve(f)
            for q in sorted(qnames):
                entry = self.calls.get(q)
                if entry is None:
                    if q not in self.names:
                        self.problem(node, f"{q} is called but is not in provider-signatures.json")
                    continue
                self.check_entry(node, q, entry)
            if qnames:
                continue
            if isinstance(f, ast.Name) and f.id in self.local_defs:
                self.check_local(node, self.local_defs[f.id])
            elif isinstance(f, ast.Attribute):
                types = self.types_of(f.value)
                if types:
                    self.check_method(node, types, f.attr)

    def check_jinja(self):
        forbidden = set(self.db["policies"]["forbidden_jinja_names"]["names"])
        # Docstrings and other bare string statements are prose, not templates.
        prose = {id(n.value) for n in ast.walk(self.tree) if isinstance(n, ast.Expr)}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
                for m in JINJA.finditer(node.value):
                    expr = QUOTED.sub("''", m.group(1) or m.group(2))
                    for name in IDENT.findall(expr):
                        if name in forbidden:
                            self.problem(
                                node,
                                f"Jinja '{name}' in {m.group(0)!r}: "
                                + self.db["policies"]["forbidden_jinja_names"]["_why"],
                            )

    def check_kfp(self):
        components = {n for n, fn in self.local_defs.items() if self.is_component(fn)}
        for fn in self.local_defs.values():
            if fn.name in components:
                self.check_placeholders(fn)
                continue
            parents = {}
            for n in ast.walk(fn):
                for c in ast.iter_child_nodes(n):
                    parents[c] = n
            no_cache_vars = set()
            chained = set()
            for n in ast.walk(fn):
                if (
                    isinstance(n, ast.Call)
                    and isinstance(n.func, ast.Attribute)
                    and n.func.attr == "set_caching_options"
                    and self.caching_off(n)
                ):
                    if isinstance(n.func.value, ast.Name):
                        no_cache_vars.add(n.func.value.id)
                    chained.add(id(n.func.value))
            for n in ast.walk(fn):
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in components:
                    p = parents.get(n)
                    var = p.targets[0].id if isinstance(p, ast.Assign) and isinstance(p.targets[0], ast.Name) else None
                    if id(n) not in chained and var not in no_cache_vars:
                        self.problem(
                            n,
                            f"task of component {n.func.id}() needs .set_caching_options(False): "
                            + self.db["policies"]["kfp_tasks_without_cache"]["_why"],
                        )

    @staticmethod
    def caching_off(call):
        args = list(call.args[:1]) + [k.value for k in call.keywords if k.arg == "enable_caching"]
        return any(isinstance(a, ast.Constant) and a.value is False for a in args)

    def check_placeholders(self, fn):
        a = fn.args
        optional = {x.arg for x, d in zip(a.args[len(a.args) - len(a.defaults) :], a.defaults)}
        optional |= {x.arg for x, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None}
        for n in ast.walk(fn):
            if isinstance(n, ast.Call) and "kfp.dsl.IfPresentPlaceholder" in self.resolve(n.func):
                for k in n.keywords:
                    if k.arg == "input_name":
                        ok, v = literal(k.value)
                        if not ok or v not in optional:
                            self.problem(n, f"{fn.name}: IfPresentPlaceholder input_name {v!r} is not an optional input")

    def run(self):
        self.collect()
        self.visit_calls()
        self.check_jinja()
        if any(q.startswith("kfp.") for qs in self.imports.values() for q in qs):
            self.check_kfp()
        return self.problems


def main(argv):
    db, calls, names, modules = load(argv[1])
    problems = []
    for path in argv[2:]:
        c = FileChecker(db, calls, names, modules, path)
        problems += c.run()
        print(f"{path}: {c.provider_calls} provider calls, {c.local_calls} local calls checked")
    for p in problems:
        print("PROBLEM " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
