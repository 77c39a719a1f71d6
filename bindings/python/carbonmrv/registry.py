"""One administration's record of cleaner production and carbon trading: enterprises, audit rounds,
inventories and their verification, findings, allowance accounts, every movement, and compliance, on
SQLite (a file) or PostgreSQL. Every write is an operation (a dict whose ``"op"`` names it) applied by
an actor (``"regulator:MEE"``, ``"enterprise:<USCC>"``, ``"verifier:V1"``, ``"exchange:SEEE"``) in one
transaction that appends one hash-chained journal entry; views come back as DataFrames.

>>> import carbonmrv as cm
>>> reg = cm.registry.open("sqlite:registry.db")         # or "postgresql:host=/tmp dbname=mrv"
>>> reg.apply({"op": "register_enterprise", "uscc": uscc, "name": "CHP plant", "region": "CN-37",
...            "industry": "4411"}, actor="regulator:MEE")
>>> reg.apply({"op": "allocate", "uscc": uscc, "vintage": 2022, "quantity": 1_800_000}, actor="regulator:MEE")
>>> reg.apply({"op": "surrender", "uscc": uscc, "year": 2022, "vintage": 2022, "quantity": 1_800_000},
...           actor=f"enterprise:{uscc}")
>>> reg.status(2022)               # audit, inventory, verification, findings, allocation, compliance
>>> reg.history(uscc); reg.holdings(); reg.refusals(); reg.verify_journal()
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional

from . import _core
from ._extend import extends

if TYPE_CHECKING:
    from ._core import Registry as _Registry
else:
    _Registry = object

__all__ = ["Registry", "open"]


def open(target) -> "Registry":  # noqa: A001 - the registry's own verb, as in sqlite3.connect
    """Open (creating or migrating) a registry: "sqlite:PATH", "postgresql:CONNINFO" or a file path."""
    return _core.Registry(str(target))


def _frame(rows, columns=None):
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


@extends(_core.Registry)
class Registry(_Registry):
    """Python methods of the compiled Registry: operations as dicts, views as DataFrames."""

    def apply(self, op: Mapping[str, Any], actor: str) -> int:
        """Apply one operation as ``actor``; returns its journal sequence number. Raises
        InvalidInputError (naming the field), PermissionDeniedError (logged), InsufficientHoldingsError,
        NotFoundError."""
        return self._apply(actor, json.dumps(dict(op)))

    def apply_all(self, ops: Iterable[Mapping[str, Any]], actor: str) -> list:
        """Apply operations in one transaction: all or none. Errors name the index (``ops[3]: …``)."""
        return self._apply_all(actor, [json.dumps(dict(op)) for op in ops])

    def view(self, name: str, **params) -> list:
        """A view's rows as dicts: status, holdings, history, journal, findings, refusals."""
        return json.loads(self._view(name, json.dumps({k: v for k, v in params.items() if v is not None})))

    def status(self, year: int, region: Optional[str] = None, industry: Optional[str] = None):
        """One row per enterprise: its latest audit (stage, accepted), reported and verified emissions,
        open findings, allocation, obligation, surrenders, holdings and compliance status for ``year``."""
        return _frame(self.view("status", year=int(year), region=region, industry=industry))

    def holdings(self, account: Optional[str] = None):
        """Non-zero balances by account, kind and vintage."""
        return _frame(self.view("holdings", account=account), ["account", "kind", "vintage", "quantity"])

    def history(self, uscc: str):
        """Every journal entry that concerns the enterprise: seq, at, actor, op, payload."""
        return _frame(self.view("history", uscc=uscc), ["seq", "at", "actor", "op", "payload"])

    def journal(self, start: int = 1):
        """Journal entries from sequence number ``start``, with their hashes."""
        return _frame(self.view("journal", **{"from": int(start)}),
                      ["seq", "at", "actor_role", "actor_id", "op", "payload", "hash"])

    def findings(self, uscc: Optional[str] = None, open_only: bool = False):
        """Verification findings with their resolution (None while open)."""
        return _frame(self.view("findings", uscc=uscc, open=bool(open_only)),
                      ["id", "uscc", "year", "text", "verifier", "resolution"])

    def refusals(self):
        """Refused operations: who tried what, when, and why."""
        return _frame(self.view("refusals"), ["id", "at", "actor_role", "actor_id", "op", "reason"])

    def __repr__(self):
        return f"Registry({self.backend})"
