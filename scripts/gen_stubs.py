#!/usr/bin/env python3
"""Writes bindings/python/carbonmrv/_core.pyi: type stubs for the compiled module, with the Python
methods each concept module adds to the compiled classes (carbonmrv/_extend.py), so that type checkers
and editors see every method where it is defined.

  PYTHONPATH=build/python /usr/bin/python3 scripts/gen_stubs.py [--check]

Signatures come from pybind11's docstrings ("name(arg: type = default) -> type") and, for Python
methods, from inspect.signature. --check compares with the committed file and fails when it is stale
(the python test suite runs it)."""
import inspect
import pathlib
import re
import sys

import carbonmrv  # noqa: F401  (applies the Python methods to the compiled classes)
from carbonmrv import _core

OUT = pathlib.Path(__file__).resolve().parent.parent / "bindings" / "python" / "carbonmrv" / "_core.pyi"
SIG = re.compile(r"^(?:\d+\. )?(\w+)\((.*)\) -> (.+)$")


def clean(text):
    """pybind11 type text → stub type text."""
    text = text.replace("carbonmrv._core.", "")
    text = re.sub(r"numpy\.ndarray\[[^\]]*\]", "numpy.ndarray", text)
    text = re.sub(r"\bcmrv::\w+", "Any", text)
    return text


def params(text):
    """Splits "a: int, b: List[str] = []" at top-level commas; defaults become '...'."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    fixed = []
    for p in out:
        if "=" in p:
            p = p.split("=", 1)[0].rstrip() + " = ..."
        fixed.append(clean(p))
    return ", ".join(fixed)


def pybind_sigs(obj, name):
    doc = obj.__doc__ or ""
    sigs = []
    for line in doc.splitlines():
        m = SIG.match(line.strip())
        if m and m.group(1) == name:
            sigs.append((params(m.group(2)), clean(m.group(3))))
    return sigs


def python_sig(fn, name, static):
    sig = inspect.signature(fn)
    parts = []
    for p in sig.parameters.values():
        text = p.name if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL) else ("**" if p.kind == p.VAR_KEYWORD else "*") + p.name
        if p.annotation is not p.empty:
            text += f": {p.annotation if isinstance(p.annotation, str) else p.annotation.__name__}"
        if p.default is not p.empty:
            text += " = ..."
        parts.append(text)
    ret = sig.return_annotation
    ret = "Any" if ret is sig.empty else (ret if isinstance(ret, str) else getattr(ret, "__name__", "Any"))
    return ", ".join(parts), ret.strip('"')


def function_lines(obj, name, indent, static=False):
    pre = " " * indent
    lines = []
    if name == "__init__":  # pybind11's default __init__ raises; a stub only needs the shape
        sigs = [(p, "None") for p, _ in pybind_sigs(obj, name)] or [("self, *args: Any, **kwargs: Any", "None")]
        return [f"{pre}@overload\n{pre}def __init__({p}) -> None: ..." if len(sigs) > 1 else
                f"{pre}def __init__({p}) -> None: ..." for p, _ in sigs]
    if name == "__eq__":
        return [f"{pre}def __eq__(self, other: object) -> bool: ..."]
    if inspect.isbuiltin(obj) or type(obj).__name__ in ("builtin_function_or_method", "instancemethod"):
        sigs = pybind_sigs(obj, name)
        if not sigs:
            sigs = [("*args: Any, **kwargs: Any", "Any")]
        for args, ret in sigs:
            if len(sigs) > 1:
                lines.append(f"{pre}@overload")
            if static:
                lines.append(f"{pre}@staticmethod")
            lines.append(f"{pre}def {name}({args}) -> {ret}: ...")
    else:
        args, ret = python_sig(obj, name, static)
        if static:
            lines.append(f"{pre}@staticmethod")
        lines.append(f"{pre}def {name}({args}) -> {ret}: ...")
    return lines


def class_lines(cls):
    lines = [f"class {cls.__name__}:"]
    body = []
    for name, member in sorted(vars(cls).items()):
        if name.startswith("_") and name not in ("__init__", "__repr__", "_repr_html_", "__len__", "__iter__",
                                                 "__getitem__", "__eq__"):
            continue
        if isinstance(member, property):
            ret = "Any"
            if member.fget is not None and member.fget.__doc__:
                m = re.search(r"\) -> (.+)$", member.fget.__doc__.splitlines()[0])
                if m:
                    ret = clean(m.group(1))
            body.append(f"    @property\n    def {name}(self) -> {ret}: ...")
        elif isinstance(member, staticmethod):
            body.extend(function_lines(member.__func__, name, 4, static=True))
        elif type(member).__name__ == "staticmethod" or (inspect.isbuiltin(member) and "self" not in (member.__doc__ or "")):
            body.extend(function_lines(member, name, 4, static=True))
        elif callable(member):
            body.extend(function_lines(member, name, 4))
        elif not name.startswith("_"):
            body.append(f"    {name}: {type(member).__name__}")
    return lines + (body or ["    ..."])


def generate():
    out = ['"""Type stubs for carbonmrv._core, written by scripts/gen_stubs.py: do not edit."""',
           "from typing import Any, Dict, List, Optional, Tuple, Union, overload", "", "import numpy", ""]
    names = sorted(n for n in dir(_core) if not n.startswith("__"))
    for name in names:
        obj = getattr(_core, name)
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            base = obj.__bases__[0].__name__
            out.append(f"class {name}({base}):\n    code: str\n    detail: str\n")
        elif inspect.isclass(obj):
            out.extend(class_lines(obj))
            out.append("")
        elif callable(obj):
            out.extend(function_lines(obj, name, 0))
            out.append("")
        else:
            out.append(f"{name}: {type(obj).__name__}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    text = generate()
    if "--check" in sys.argv:
        if OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT} is stale: run scripts/gen_stubs.py")
        print("stubs up to date")
    else:
        OUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUT}")
