"""The documented JSON Schemas accept every document the library reads and writes, and reject what
it rejects structurally."""
import json
import pathlib

import jsonschema
import pytest

import carbonmrv as cm

ROOT = pathlib.Path(__file__).parents[2]
ENTERPRISE_1 = json.loads((ROOT / "docs/schema/enterprise-1.schema.json").read_text(encoding="utf-8"))
# Version 2 (the cleaner_production block) accepts every version 1 document too.
ENTERPRISE = json.loads((ROOT / "docs/schema/enterprise-2.schema.json").read_text(encoding="utf-8"))
INVENTORY = json.loads((ROOT / "docs/schema/inventory-1.schema.json").read_text(encoding="utf-8"))
ENERGY = json.loads((ROOT / "docs/schema/energy-balance-1.schema.json").read_text(encoding="utf-8"))
DOCS = sorted((ROOT / "examples/data").glob("*.json")) + sorted((ROOT / "tests/data/enterprises").glob("*.json"))
# Documents whose defaults come from an explicit-only dataset (as in tests/data/inventory_cases.json).
PREFERENCE = {"scope_lines.json": "cn_gbt32151_22_2024_c1,@national,@ipcc"}


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_documents_and_outputs_validate(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(doc, ENTERPRISE)
    if doc["schema"] == "carbonmrv.enterprise/1":
        jsonschema.validate(doc, ENTERPRISE_1)
    ent = cm.Enterprise.from_json(path.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(ent.to_json()), ENTERPRISE)  # the library's own output too
    jsonschema.validate(cm.compute_inventory(ent, preference=PREFERENCE.get(path.name)).to_dict(), INVENTORY)
    for period in ent.energy_balance_periods:
        jsonschema.validate(cm.compute_energy_balance(ent, period=period).to_dict(), ENERGY)


def test_schema_and_library_reject_the_same_structural_errors():
    doc = json.loads((ROOT / "tests/data/enterprises/hand_calc.json").read_text(encoding="utf-8"))
    doc["sources"][0]["activity"][0]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, ENTERPRISE)
    with pytest.raises(cm.InvalidInputError, match=r"sources\[0\]\.activity\[0\]\.colour: unknown field"):
        cm.Enterprise.from_json(json.dumps(doc))
