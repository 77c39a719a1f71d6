"""Docs that list library facts must not drift from the library."""
import pathlib
import re

import carbonmrv as cm

ROOT = pathlib.Path(__file__).parents[2]


def test_units_doc_lists_every_unit_with_its_source():
    text = (ROOT / "docs" / "units.md").read_text(encoding="utf-8")
    for _, row in cm.units_table().iterrows():
        line = next((l for l in text.splitlines() if l.startswith(f"| `{row['symbol']}` |")), None)
        assert line is not None, f"docs/units.md lacks {row['symbol']}"
        assert row["source"] in line, row["symbol"]


def test_c_header_documents_every_exported_symbol():
    header = (ROOT / "include" / "carbonmrv.h").read_text(encoding="utf-8")
    for sym in (ROOT / "capi" / "exported_symbols.txt").read_text().split():
        decl = re.search(r"CMRV_API [^;(]*\b" + sym + r"\(", header)
        assert decl, f"{sym} is exported but not declared in carbonmrv.h"
        # Every declaration has a doc comment with \since just above it.
        before = header[: decl.start()]
        assert "\\since" in before[before.rfind("/**"):], sym


def test_every_declared_c_function_is_exported():
    header = (ROOT / "include" / "carbonmrv.h").read_text(encoding="utf-8")
    declared = set(re.findall(r"CMRV_API [^;(]*?\b(cmrv_[a-z0-9_]+)\(", header))
    exported = set((ROOT / "capi" / "exported_symbols.txt").read_text().split())
    assert declared == exported
