"""Python methods of the compiled classes, written as class bodies in the module of their concept.

``@extends(_core.Inventory) class Inventory: def to_pandas(self): ...`` puts every function, property
and static method of the body on the compiled class and gives back the compiled class, so
``carbonmrv.Inventory`` is ``carbonmrv._core.Inventory`` with all its methods, and each class's
Python methods live in one place: the module named after it (inventory.py for Inventory). For type
checkers the body derives from the compiled class (its stub, _core.pyi, lists both kinds of method).
"""
from __future__ import annotations

_SKIP = {"__module__", "__qualname__", "__dict__", "__weakref__", "__doc__", "__annotations__", "__parameters__",
         "__orig_bases__"}


def extends(compiled):
    def apply(body):
        for name, member in vars(body).items():
            if name in _SKIP:
                continue
            if hasattr(compiled, name) and name not in ("__repr__", "_repr_html_") and not name.startswith("_"):
                # A Python method must not silently replace a compiled one of the same name.
                raise TypeError(f"{compiled.__name__}.{name} is already defined by the compiled class")
            setattr(compiled, name, member)
        return compiled

    return apply
