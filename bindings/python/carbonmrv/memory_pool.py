"""The memory the library keeps between computations, process-wide (docs/batch.md, "Memory kept between
calls").

>>> import carbonmrv as cm
>>> cm.memory_pool.status()          # {"held_bytes": ..., "budget_bytes": 268435456}
>>> cm.memory_pool.release()         # after a large job: frees what is held, returns the bytes
>>> cm.memory_pool.set_budget(0)     # keep nothing

The pool holds the batch engine's group tables and the columns of freed results (256 KiB or more,
including the arrays of returned frames once they are gone), and the blocks of an inventory's
per-record terms once every term in a block is freed, so that a repeated computation writes pages it
has written before. Memory in use is never touched.
"""
from __future__ import annotations

import numpy as np

from . import _core
from ._core import InvalidInputError

__all__ = ["release", "set_budget", "status"]


def status():
    """``{"held_bytes": ..., "budget_bytes": ...}``: blocks kept now (none in use), and the most kept
    (256 MiB unless :func:`set_budget` changed it)."""
    held, budget = _core._memory_pool_status()
    return {"held_bytes": held, "budget_bytes": budget}


def release():
    """Frees every block the pool holds and returns their bytes. Memory in use (a live result's arrays,
    a live inventory) is not touched; it returns to the pool when freed, within the budget."""
    return _core._memory_pool_release()


def set_budget(budget_bytes):
    """Sets the most the pool keeps, in bytes (0: keep nothing), freeing held blocks, the smallest first,
    down to it. Process-wide."""
    if isinstance(budget_bytes, bool) or not isinstance(budget_bytes, (int, np.integer)):
        raise TypeError(f"budget_bytes: expected an integer number of bytes, got {type(budget_bytes).__name__}")
    if budget_bytes < 0:
        raise InvalidInputError(f"budget_bytes: {budget_bytes} is negative; 0 keeps nothing")
    _core._memory_pool_set_budget(int(budget_bytes))
