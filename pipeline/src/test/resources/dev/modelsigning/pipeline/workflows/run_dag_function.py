"""Runs one plain function of a DAG file without Airflow (stdlib only).

Usage: python3 run_dag_function.py DAG_FILE FUNCTION JSON_KWARGS

Every function defined in DAG_FILE (TaskFlow decorators stripped) is compiled into one
namespace with json, re and a stand-in AirflowFailException, so the function runs with the
file's own helpers. A kwarg {"__dag_run__": {...}} becomes an object with those attributes
(ISO timestamps become datetimes). Prints one JSON line: {"returned": ...} or
{"raised": "<class name>", "message": "..."}.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from datetime import datetime
from types import SimpleNamespace


class AirflowFailException(Exception):
    """Stand-in for airflow's: a task failure without retries."""


def to_arg(value):
    if isinstance(value, dict) and "__dag_run__" in value:
        attrs = {}
        for k, v in value["__dag_run__"].items():
            attrs[k] = datetime.fromisoformat(v) if isinstance(v, str) and re.match(r"\d{4}-\d\d-\d\dT", v) else v
        return SimpleNamespace(**attrs)
    return value


def main(path, function, kwargs_json):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    for d in defs:
        d.decorator_list = []
    module = ast.Module(body=defs, type_ignores=[])
    ns = {"json": json, "re": re, "AirflowFailException": AirflowFailException, "__name__": "dag_file"}
    exec(compile(module, path, "exec"), ns)
    kwargs = {k: to_arg(v) for k, v in json.loads(kwargs_json).items()}
    try:
        out = {"returned": ns[function](**kwargs)}
    except Exception as e:  # reported, not raised: the caller asserts on it
        out = {"raised": type(e).__name__, "message": str(e)}
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main(*sys.argv[1:4])
