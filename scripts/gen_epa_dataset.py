#!/usr/bin/env python3
"""Transcribes the EPA GHG Emission Factors Hub (2021) Table 1 extract into a carbonmrv dataset.

Input: ../shared/reference/epa_ef_hub_2021/epa_ef_hub_2021_table1_stationary.csv (extracted from
ghg-emission-factors-hub-2021.xlsx, Table 1; SHA-256 of the CSV recorded below). Values are copied
as published; nothing is recomputed. Run from the repository root:
  /usr/bin/python3 scripts/gen_epa_dataset.py > data/factors/epa_hub_2021.csv
"""
import csv
import hashlib
import pathlib
import sys

SRC = pathlib.Path(__file__).resolve().parents[2] / "shared/reference/epa_ef_hub_2021/epa_ef_hub_2021_table1_stationary.csv"
UNIT = {"short ton": "short_ton", "scf": "scf", "gallon": "gal"}


def carrier_ids():
    ids = {}
    path = pathlib.Path(__file__).resolve().parents[1] / "data/carriers.csv"
    rows = [l for l in path.read_text(encoding="utf-8").splitlines() if not l.startswith("#")]
    for row in csv.DictReader(rows):
        for alias in row["aliases"].split(";"):
            ids.setdefault(alias.strip(), row["id"])
    return ids


def main():
    data = SRC.read_bytes()
    ids = carrier_ids()
    out = csv.writer(sys.stdout, lineterminator="\n")
    print("# id: epa_hub_2021")
    print("# title: US EPA GHG Emission Factors Hub (2021), Table 1 Stationary Combustion")
    print("# document: US EPA, GHG Emission Factors Hub, September 2021 edition, Table 1 (reproduces 40 CFR 98 Subpart C Tables C-1 and C-2)")
    print("# publisher: US Environmental Protection Agency")
    print("# published: 2021-09")
    print("# class: regulatory")
    print("# region: US")
    print("# basis: HHV (higher heating value); gas volumes in scf at 60 °F")
    print(f"# transcription: scripts/gen_epa_dataset.py from epa_ef_hub_2021_table1_stationary.csv (sha256 {hashlib.sha256(data).hexdigest()})")
    out.writerow(["carrier", "parameter", "gas", "value", "unit", "basis", "region", "year_from", "year_to",
                  "source_table", "source_row", "lower", "upper", "confidence", "note"])
    rows = list(csv.DictReader(data.decode("utf-8").splitlines()))
    for i, r in enumerate(rows, start=1):
        carrier = ids.get(r["fuel_type"])
        if carrier is None:
            sys.exit(f"no carrier id for EPA fuel {r['fuel_type']!r}: add it to data/carriers.csv aliases")
        unit = UNIT[r["physical_unit"]]
        row_ref = f"{r['category']} / {r['fuel_type']}"
        common = dict(region="US", year_from="2021", year_to="", table="Table 1", row=row_ref)
        for param, gas, value, vunit, basis in [
            ("hhv", "", r["hhv_mmbtu_per_unit"], f"MMBtu/{unit}", "HHV"),
            ("ef", "co2", r["co2_kg_per_mmbtu"], "kgCO2/MMBtu", "HHV"),
            ("ef", "ch4", r["ch4_g_per_mmbtu"], "gCH4/MMBtu", "HHV"),
            ("ef", "n2o", r["n2o_g_per_mmbtu"], "gN2O/MMBtu", "HHV"),
            ("ef_per_unit", "co2", r["co2_kg_per_unit"], f"kgCO2/{unit}", "HHV"),
            ("ef_per_unit", "ch4", r["ch4_g_per_unit"], f"gCH4/{unit}", "HHV"),
            ("ef_per_unit", "n2o", r["n2o_g_per_unit"], f"gN2O/{unit}", "HHV"),
        ]:
            if value == "":
                continue
            out.writerow([carrier, param, gas, value, vunit, basis, common["region"], common["year_from"],
                          common["year_to"], common["table"], row_ref, "", "", "primary", ""])


if __name__ == "__main__":
    main()
