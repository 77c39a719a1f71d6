#!/usr/bin/env python3
"""Transcribes the cross-checked factor tables of ../shared/reference/factor_sources/ into carbonmrv datasets.

Each input row lists every public transcription that prints its value (`sources`) and how many of them are
independent. Values are written as the source prints them (number and unit); only the carrier id, the
parameter name and the region code are mapped. A value printed by at least two independent transcriptions
is `secondary`; one printed by a single transcription is `single_source`, which the factor catalogue never
chooses unless the dataset is named in the preference (docs/factors.md).

Run from the repository root (rewrites the files it owns, prints their names):
  /usr/bin/python3 scripts/gen_factor_sources.py
"""
import csv
import hashlib
import io
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared/reference/factor_sources"
OUT = ROOT / "data/factors"
COLUMNS = ["carrier", "parameter", "gas", "value", "unit", "basis", "region", "year_from", "year_to", "source_table",
           "source_row", "lower", "upper", "confidence", "note", "sector", "sources"]


def read(name):
    data = (SRC / name).read_bytes()
    return list(csv.DictReader(io.StringIO(data.decode("utf-8")))), hashlib.sha256(data).hexdigest()


def confidence(n_independent):
    return "secondary" if int(n_independent) >= 2 else "single_source"


def write(name, meta, rows):
    buf = io.StringIO()
    for key, value in meta:
        buf.write(f"# {key}: {value}\n")
    w = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: r.get(c, "") for c in COLUMNS})
    (OUT / name).write_text(buf.getvalue(), encoding="utf-8")
    print(f"data/factors/{name}: {len(rows)} rows")


# ---------------------------------------------------------------------------------------------------------
# IPCC 2006 Vol. 2 Ch. 2, Tables 2.2-2.5 (stationary combustion CH4 and N2O by sector)
# ---------------------------------------------------------------------------------------------------------

# IPCC fuel names -> carrier ids: the same mapping as ipcc2006_v2_ch1.csv (Table 1.2 rows). Rows the tables
# give separately but with equal values share one carrier (checked below); waste rows are left out as in ch1.
IPCC_FUEL = {
    "Anthracite": "anthracite", "Aviation Gasoline": "aviation_gasoline", "Biodiesels": "biodiesel",
    "Biogasoline": "biogasoline", "Bitumen": "bitumen", "Blast Furnace Gas": "blast_furnace_gas",
    "Brown Coal Briquettes": "briquettes", "Patent Fuel": "briquettes", "Charcoal": "charcoal",
    "Coal Tar": "coal_tar", "Coke Oven Coke and Lignite Coke": "coke", "Coke Oven Gas": "coke_oven_gas",
    "Gas Works Gas": "coke_oven_gas", "Coking Coal": "coking_coal", "Crude Oil": "crude_oil",
    "Gas Oil": "diesel", "Diesel Oil": "diesel", "Ethane": "ethane", "Gas Coke": "gas_coke",
    "Jet Gasoline": "jet_gasoline", "Jet Kerosene": "jet_kerosene", "Landfill Gas": "landfill_gas",
    "Lignite": "lignite", "Liquefied Petroleum Gases": "lpg", "Lubricants": "lubricants",
    "Motor Gasoline": "motor_gasoline", "Naphtha": "naphtha", "Natural Gas": "natural_gas",
    "Natural Gas Liquids (NGLs)": "natural_gas_liquids", "Oil Shale and Tar Sands": "oil_shale",
    "Orimulsion": "orimulsion", "Other Biogas": "other_biomass_gases", "Other Bituminous Coal": "bituminous_coal",
    "Other Kerosene": "kerosene", "Other Liquid Biofuels": "other_liquid_biofuels",
    "Other Petroleum Products": "other_petroleum_products",
    "Other Primary Solid Biomass": "other_primary_solid_biomass", "Oxygen Steel Furnace Gas": "converter_gas",
    "Waxes": "paraffin_waxes", "Peat": "peat", "Petroleum Coke": "petroleum_coke",
    "Refinery Feedstocks": "refinery_feedstocks", "Refinery Gas": "refinery_gas", "Residual Fuel Oil": "fuel_oil",
    "Shale Oil": "shale_oil", "Sludge Gas": "sludge_gas", "Sub-Bituminous Coal": "sub_bituminous_coal",
    "Sulphite Lyes (Black Liquor)": "black_liquor", "White Spirit & SBP": "white_spirit",
    "Wood/Wood Waste": "wood",
}
IPCC_LEFT_OUT = {"Industrial Wastes", "Municipal Wastes (biomass fraction)", "Municipal Wastes (non-biomass fraction)",
                 "Waste Oils"}
# Table -> the CombustionSector name (vocabulary.hpp) and the IPCC category it covers.
IPCC_SECTOR = {"2.2": "energy_industries", "2.3": "manufacturing_construction", "2.4": "commercial_institutional",
               "2.5": "residential_agriculture"}


def ipcc_ch2():
    rows, sha = read("ipcc2006_v2_ch2_ch4_n2o.csv")
    merged = {}
    for r in rows:
        if r["fuel"] in IPCC_LEFT_OUT:
            continue
        carrier = IPCC_FUEL.get(r["fuel"])
        if carrier is None:
            sys.exit(f"no carrier for IPCC fuel {r['fuel']!r}")
        key = (r["table"], carrier, r["gas"])
        if key in merged:
            if merged[key]["value"] != r["value"]:
                sys.exit(f"{key}: fuels sharing a carrier differ ({merged[key]['value']} vs {r['value']})")
            merged[key]["fuels"].append((r["fuel"], r["efdb_ef_id"]))
            merged[key]["sources"] |= set(r["sources"].split(" | "))
            continue
        merged[key] = dict(value=r["value"], fuels=[(r["fuel"], r["efdb_ef_id"])], sector_text=r["sector"],
                           sources=set(r["sources"].split(" | ")), n=r["n_independent_sources"],
                           other=r["other_values_seen"], note=r["note"])
    out = []
    for (table, carrier, gas), m in sorted(merged.items()):
        note = m["note"]
        if m["other"]:
            note = f"{note} Other value seen: {m['other']}." if note else f"Other value seen: {m['other']}."
        out.append(dict(
            carrier=carrier, parameter="ef", gas=gas.lower(), value=m["value"], unit=f"kg{gas}/TJ", basis="NCV",
            region="GLOBAL", year_from="2006", source_table=f"Vol. 2 Table {table} ({m['sector_text']})",
            source_row="; ".join(f"{f} (EFDB {i})" for f, i in m["fuels"]), confidence=confidence(m["n"]),
            note=note, sector=IPCC_SECTOR[table], sources=" | ".join(sorted(m["sources"]))))
    write("ipcc2006_v2_ch2_stationary.csv", [
        ("id", "ipcc2006_v2_ch2_stationary"),
        ("title", "IPCC 2006 Guidelines Vol. 2 (Energy) Ch. 2, Tables 2.2-2.5: default CH4 and N2O emission factors "
                  "for stationary combustion, by sector"),
        ("document", "2006 IPCC Guidelines for National Greenhouse Gas Inventories, Volume 2 Energy, Chapter 2 "
                     "Stationary Combustion, Table 2.2 (energy industries, 1.A.1), Table 2.3 (manufacturing "
                     "industries and construction, 1.A.2), Table 2.4 (commercial/institutional, 1.A.4.a), Table 2.5 "
                     "(residential and agriculture/forestry/fishing/fish farms, 1.A.4.b and 1.A.4.c)"),
        ("publisher", "IPCC National Greenhouse Gas Inventories Programme (IGES)"),
        ("published", "2006"),
        ("class", "ipcc"),
        ("region", "GLOBAL"),
        ("basis", "kg of gas per TJ on a net calorific basis, as printed; the sector column names the table"),
        ("transcription", f"scripts/gen_factor_sources.py from shared/reference/factor_sources/"
                          f"ipcc2006_v2_ch2_ch4_n2o.csv (sha256 {sha}); each row's sources column lists the "
                          "transcriptions (IPCC EFDB export, GHG Protocol stationary-combustion tool via OpenAMEE, "
                          "ghgpy) that print its value; the EFDB EF ID is in source_row"),
        ("confirmation", "the IPCC PDF was not reachable; every cell agrees in at least two independent "
                         "transcriptions. Fuels the tables list separately with equal values share a carrier "
                         "(Gas Oil and Diesel Oil; Brown Coal Briquettes and Patent Fuel; Coke Oven Gas and Gas "
                         "Works Gas). Waste rows (industrial wastes, municipal wastes, waste oils) are left out, as "
                         "in ipcc2006_v2_ch1. Licence: only numeric defaults and their EFDB IDs are copied."),
    ], out)


# ---------------------------------------------------------------------------------------------------------
# Chinese fuel defaults: one dataset per document family
# ---------------------------------------------------------------------------------------------------------

CN_FUEL = {
    "一般煤油": "kerosene", "其他洗煤": "other_washed_coal", "其他煤制品": "other_coal_products",
    "其他煤气": "other_coal_gas", "其他石油制品": "other_petroleum_products", "原油": "crude_oil",
    "喷气煤油": "jet_kerosene", "型煤": "briquettes", "天然气": "natural_gas", "密闭电石炉炉气": "carbide_furnace_gas",
    "无烟煤": "anthracite", "柴油": "diesel", "汽油": "motor_gasoline", "洗精煤": "washed_coal", "液化天然气": "lng",
    "液化石油气": "lpg", "炼厂干气": "refinery_gas", "烟煤": "bituminous_coal", "焦油": "coal_tar",
    "焦炉煤气": "coke_oven_gas", "焦炭": "coke", "煤泥": "coal_slime", "煤矸石": "coal_gangue", "燃料油": "fuel_oil",
    "石油焦": "petroleum_coke", "石脑油": "naphtha", "粗苯": "crude_benzene", "褐煤": "lignite",
    "转炉煤气": "converter_gas", "高炉煤气": "blast_furnace_gas",
}
# 燃煤 (coal of any rank, the power guideline's oxidation default) is not one carrier: left out.
CN_LEFT_OUT = {"燃煤"}

CN_FAMILIES = {
    "GBT22": dict(
        file="cn_gbt32151_22_2024_c1.csv", id="cn_gbt32151_22_2024_c1",
        title="GB/T 32151.22-2024 Annex C Table C.1: default NCV, carbon content per heat and oxidation rate of "
              "common fossil fuels",
        document="GB/T 32151.22-2024 温室气体排放核算与报告要求 第22部分, 附录C 表C.1 常用化石燃料相关参数缺省值",
        publisher="SAMR / SAC (国家市场监督管理总局, 国家标准化管理委员会)", published="2024", cls="national",
        table="Table C.1", attribution="named in the transcription's file header",
        caveat="Unit trap: the transcription labels the carbon-content column 10^-2 tC/GJ, but its numbers "
               "(27.4, 15.3 ...) are tC/TJ (10^-3 tC/GJ); they are stored here as tC/TJ, to be checked against "
               "the printed standard."),
    "GBT34": dict(
        file="cn_gbt32151_34_2024_c1.csv", id="cn_gbt32151_34_2024_c1",
        title="GB/T 32151.34-2024 Annex C Table C.1: natural gas defaults",
        document="GB/T 32151.34-2024 温室气体排放核算与报告要求 第34部分, 附录C 表C.1 (natural gas row)",
        publisher="SAMR / SAC", published="2024", cls="national", table="Table C.1",
        attribution="named in the transcription (a parameter catalogue)", caveat=""),
    "PWR13": dict(
        file="cn_ndrc_2013_power_t1.csv", id="cn_ndrc_2013_power_t1",
        title="NDRC 2013 power-generation guideline, Table 1: default parameters of common fossil fuels",
        document="《中国发电企业温室气体排放核算方法与报告指南（试行）》(NDRC, 2013), 表1 常用化石燃料相关参数缺省值",
        publisher="National Development and Reform Commission (NDRC)", published="2013-10", cls="national",
        table="表1", attribution="a text transcription of the guideline",
        caveat="NCVs are printed in kJ/kg (kJ/Nm3 for gases) and stored so. The guideline's 燃煤 oxidation "
               "default (98 %) applies to coal of any rank and is left out (no single carrier); 其他煤气 printed "
               "as 52270 in a kJ/kg column and the 焦炉煤气 NCV range 12726~17981 are left out."),
    "STEEL": dict(
        file="cn_ndrc_2013_steel.csv", id="cn_ndrc_2013_steel",
        title="Fuel defaults attributed (inferred) to the NDRC 2013 iron-and-steel guideline",
        document="《中国钢铁生产企业温室气体排放核算方法与报告指南（试行）》(NDRC, 2013), fuel parameter table "
                 "(attribution inferred: the transcription names no document, but the same file holds that "
                 "guideline's process factors)",
        publisher="National Development and Reform Commission (NDRC)", published="2013-10", cls="national",
        table="fuel parameter table (inferred)", attribution="inferred, not stated", caveat=""),
    "CHEM": dict(
        file="cn_ndrc_chemical.csv", id="cn_ndrc_chemical",
        title="Fuel defaults attributed (inferred) to the NDRC chemical-industry guideline",
        document="《中国化工生产企业温室气体排放核算方法与报告指南（试行）》(NDRC), fuel parameter table (attribution "
                 "inferred: the transcription names no document, but its fuel list has 密闭电石炉炉气, a fuel of "
                 "that guideline)",
        publisher="National Development and Reform Commission (NDRC)", published="2013/2015", cls="national",
        table="fuel parameter table (inferred)", attribution="inferred, not stated", caveat=""),
}
# FUI and B118 name no document: they corroborate values (in `sources`) but are not datasets of their own.

PARAM = {"ncv": "ncv", "cc": "carbon_content", "of": "oxidation"}


def printed(family, parameter, value_text, norm_unit):
    """The number and unit as the family's transcription prints them."""
    m = re.match(r"([0-9.]+)\s*(.*)", value_text.strip())
    number, rest = m.group(1), m.group(2)
    if parameter == "ncv":
        if "kJ/kg" in rest:
            return number, "kJ/kg"
        if "kJ/Nm" in rest:
            return number, "kJ/Nm3"
        return number, "GJ/10^4Nm3" if "Nm3" in norm_unit else norm_unit
    if parameter == "cc":
        if "tC/TJ" in rest:
            return number, "tC/TJ"
        return number, "tC/GJ"
    # Oxidation rates print as % (98) or as a fraction (0.98).
    return number, "%" if float(number) > 1.5 else "1"


def cn_fuels():
    rows, sha = read("cn_fuel_defaults.csv")
    per_family = {f: [] for f in CN_FAMILIES}
    for r in rows:
        if r["fuel_cn"] in CN_LEFT_OUT:
            continue
        carrier = CN_FUEL[r["fuel_cn"]]
        for p in r["printed_as"].split(" | "):
            family, _, text = p.partition(": ")
            if family not in CN_FAMILIES:
                continue
            if r["fuel_cn"] == "其他煤气" and family == "PWR13":
                continue  # 52270 in a kJ/kg column: ten times the others read as kJ/Nm3 (README)
            if "~" in text:
                continue  # a printed range is not one value
            number, unit = printed(family, r["parameter"], text, r["unit"])
            note = r["note"]
            if family == "GBT22" and r["parameter"] == "cc":
                note = ("printed in a column labelled 10^-2 tC/GJ whose numbers are tC/TJ (stored as tC/TJ). "
                        + note).strip()
            per_family[family].append(dict(
                carrier=carrier, parameter=PARAM[r["parameter"]], value=number, unit=unit,
                basis="NCV" if r["parameter"] != "of" else "", region="CN",
                source_table=CN_FAMILIES[family]["table"], source_row=r["fuel_cn"],
                confidence=confidence(r["n_independent_sources"]), note=note, sources=r["sources"]))
    for family, spec in CN_FAMILIES.items():
        out = sorted(per_family[family], key=lambda x: (x["carrier"], x["parameter"]))
        meta = [("id", spec["id"]), ("title", spec["title"]), ("document", spec["document"]),
                ("publisher", spec["publisher"]), ("published", spec["published"]), ("class", spec["cls"]),
                ("region", "CN"), ("selection", "explicit"),
                ("basis", "net calorific value; carbon content per heat; oxidation rate; values and units as the "
                          "transcription prints them"),
                ("transcription", f"scripts/gen_factor_sources.py from shared/reference/factor_sources/"
                                  f"cn_fuel_defaults.csv (sha256 {sha}); attribution: {spec['attribution']}"),
                ("confirmation", "no primary document was reachable. A row is secondary when at least two "
                                 "independent transcriptions print its number for this fuel and parameter (they "
                                 "need not transcribe the same document: several guidelines share values); "
                                 "single_source otherwise, never chosen unless this dataset is named. Where "
                                 "document families disagree each keeps its own value in its own dataset. "
                                 + spec["caveat"])]
        write(spec["file"], meta, out)


# ---------------------------------------------------------------------------------------------------------
# Chinese electricity and heat factors
# ---------------------------------------------------------------------------------------------------------

REGION = {"全国": "CN", "华北": "CN-NORTH", "东北": "CN-NORTHEAST", "华东": "CN-EAST", "华中": "CN-CENTRAL",
          "西北": "CN-NORTHWEST", "南方": "CN-SOUTH", "西南": "CN-SOUTHWEST", "河北": "CN-13", "山西": "CN-14",
          "天津": "CN-12", "内蒙古": "CN-15", "安徽": "CN-34", "福建": "CN-35", "广西": "CN-45", "青海": "CN-63",
          "四川": "CN-51", "云南": "CN-53"}
USE_PARAMETER = {"general accounting": "grid_ef", "excluding market-traded": "grid_ef_residual",
                 "fossil-only": "grid_ef_fossil"}
# Kept from the earlier transcription: a published year-on-year change does not reproduce.
DISPUTED = {("CN-NORTHEAST", "2022"), ("CN-NORTHEAST", "2023")}


def cn_grid():
    rows, sha = read("cn_grid_factors.csv")
    mee, ets, heat = [], [], []
    for r in rows:
        n = int(r["n_independent_sources"])
        if r["factor_family"].startswith("MEE/NBS"):
            if r["use"] == "notice identity":
                continue
            if n == 0:
                continue  # not located in any citable transcription (README open doubt 3)
            parameter = next(p for k, p in USE_PARAMETER.items() if r["use"].startswith(k))
            region = REGION[r["region"]]
            year = r["data_year"]
            row_name = {"grid_ef": "电力平均二氧化碳排放因子", "grid_ef_residual":
                        "电力平均二氧化碳排放因子(不包括市场化交易的非化石能源电量)",
                        "grid_ef_fossil": "化石能源电力二氧化碳排放因子"}[parameter]
            conf = confidence(n)
            note = r["note"]
            if (region, year) in DISPUTED:
                conf = "disputed"
                note = ("the published 2023 change for 东北 is -8.0 % but 0.5564 -> 0.5122 is -7.94 %; one of the "
                        "two values may be misquoted. " + note).strip()
            mee.append(dict(carrier="electricity", parameter=parameter, gas="co2", value=r["value"],
                            unit=r["unit"].replace("kgCO2/kWh", "kgCO2/kWh"), basis="consumption", region=region,
                            year_from=year, source_table=f"{year} factors ({r['notice']})",
                            source_row=f"{r['region']} {row_name}", confidence=conf, note=note,
                            sources=r["sources"]))
        elif r["factor_family"].startswith("ETS"):
            if n == 0:
                continue  # 0.5703: no citable transcription (README open doubt 2); documented in docs/factors.md
            first = r["value"] == "0.6101"
            ets.append(dict(carrier="electricity", parameter="grid_ef", gas="co2", value=r["value"], unit=r["unit"],
                            basis="ETS accounting", region="CN", year_from="" if first else "2021",
                            year_to="2020" if first else "2022", source_table=r["notice"],
                            source_row=r["use"], confidence=confidence(n), note=r["note"], sources=r["sources"]))
        elif r["factor_family"].startswith("purchased-heat"):
            heat.append(dict(carrier="heat", parameter="ef", gas="co2", value=r["value"], unit=r["unit"],
                             basis="delivered heat", region="CN", source_table=r["notice"],
                             source_row="热力排放因子缺省值", confidence=confidence(n), note=r["note"],
                             sources=r["sources"]))
    common = [("publisher", "Ministry of Ecology and Environment (MEE) and National Bureau of Statistics (NBS) of China"),
              ("class", "national"), ("region", "CN")]
    write("mee_nbs_electricity_co2.csv", [
        ("id", "mee_nbs_electricity_co2"),
        ("title", "China electricity CO2 emission factors (MEE and NBS statistical factors), data years 2021-2023"),
        ("document", "生态环境部 国家统计局《关于发布2021年电力二氧化碳排放因子的公告》(公告2024年第12号, 2024-04-12); "
                     "《关于发布2022年电力二氧化碳排放因子的公告》(2024-12-20); "
                     "《关于发布2023年电力二氧化碳排放因子的公告》(公告2025年第47号, 2025-12-31)"),
        common[0], ("published", "2024-04-12 / 2024-12-20 / 2025-12-31"), common[1], common[2],
        ("basis", "consumption-side average CO2 per kWh; for accounting electricity consumption (not the ETS "
                  "accounting factor, see cn_ets_grid)"),
        ("transcription", f"scripts/gen_factor_sources.py from shared/reference/factor_sources/cn_grid_factors.csv "
                          f"(sha256 {sha}); reprints of the notices and news reports quoting them, in sources"),
        ("confirmation", "the notices' tables were not reachable. single_source rows (one reprint) are never chosen "
                         "unless this dataset is named; values no citable text gives (2021 excluding market-traded "
                         "non-fossil 0.5942, 2021 regional and provincial tables) are not included."),
        ("regions", "CN national; grid regions CN-NORTH 华北, CN-NORTHEAST 东北, CN-EAST 华东, CN-CENTRAL 华中, "
                    "CN-NORTHWEST 西北, CN-SOUTH 南方, CN-SOUTHWEST 西南; provinces by GB/T 2260 code (CN-13 河北 ...)"),
        ("parameters", "grid_ef = average factor; grid_ef_residual = national average excluding market-traded "
                       "non-fossil electricity; grid_ef_fossil = fossil-fuel electricity"),
    ], mee)
    write("cn_ets_grid.csv", [
        ("id", "cn_ets_grid"),
        ("title", "China national ETS: grid emission factor for purchased electricity by accounting year"),
        ("document", "MEE 《关于做好2022年企业温室气体排放报告管理相关重点工作的通知》 and its interpretation: the factor "
                     "0.6101 tCO2/MWh is replaced by 0.5810 tCO2/MWh for the accounting of 2021 and 2022 emissions"),
        ("publisher", "Ministry of Ecology and Environment (MEE) of China"), ("published", "2022"),
        ("class", "regulatory"), ("region", "CN"), ("selection", "explicit"),
        ("basis", "ETS accounting of purchased electricity (national grid average); valid years are accounting years"),
        ("transcription", f"scripts/gen_factor_sources.py from shared/reference/factor_sources/cn_grid_factors.csv "
                          f"(sha256 {sha})"),
        ("confirmation", "two repositories carry near-identical text of the MEE interpretation (probably one "
                         "primary text). The 0.5703 tCO2/MWh factor claimed for reporting from 2023 (环办气候函〔2023〕"
                         "43号) was not found in any citable transcription and is not included."),
    ], ets)
    write("cn_heat_default.csv", [
        ("id", "cn_heat_default"),
        ("title", "China default CO2 factor of purchased heat (0.11 tCO2/GJ)"),
        ("document", "GB/T 32150-2025 §7.5.6-7.5.7 (as cited by one transcription); the NDRC sector guidelines' "
                     "heat default (as cited by a steel-sector module)"),
        ("publisher", "SAMR / SAC; NDRC"), ("published", "2013-2025"), ("class", "national"), ("region", "CN"),
        ("basis", "tCO2 per GJ of heat delivered"),
        ("transcription", f"scripts/gen_factor_sources.py from shared/reference/factor_sources/cn_grid_factors.csv "
                          f"(sha256 {sha})"),
        ("confirmation", "two independent transcriptions citing different documents print 0.11"),
    ], heat)


# ---------------------------------------------------------------------------------------------------------
# GB/T 2589 Annex A and the statistical-yearbook coefficients
# ---------------------------------------------------------------------------------------------------------

def gbt2589_sources():
    """Adds the transcriptions of shared/reference/factor_sources/gbt2589_2020_annex.csv to the Annex A rows."""
    rows, sha = read("gbt2589_2020_annex.csv")
    by_row = {r["carrier_cn"]: r for r in rows}
    path = OUT / "gbt2589_2008_annex_a.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    meta = [l for l in lines if l.startswith("#") and not l.startswith("# cross-check:")]
    body = list(csv.DictReader([l for l in lines if not l.startswith("#")]))
    out = []
    for r in body:
        name = r["source_row"].split(":")[0]
        ref = by_row.get(name)
        r["sources"] = ref["sources"] if ref else "shared/docs/domain-reference.md §2.1 (a secondary copy of Annex A)"
        r["confidence"] = confidence(ref["n_independent_sources"]) if ref else "single_source"
        out.append(r)
    buf = io.StringIO()
    for l in meta:
        buf.write(l + "\n")
    buf.write(f"# cross-check: sources from shared/reference/factor_sources/gbt2589_2020_annex.csv (sha256 {sha}) by "
              "scripts/gen_factor_sources.py; rows without sources rest on shared/docs/domain-reference.md §2.1 alone\n")
    w = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in out:
        w.writerow({c: r.get(c, "") for c in COLUMNS})
    path.write_text(buf.getvalue(), encoding="utf-8")
    print(f"data/factors/gbt2589_2008_annex_a.csv: {len(out)} rows (sources added)")

    yearbook = {"其他洗煤": "other_washed_coal", "型煤": "briquettes", "焦炉煤气": "coke_oven_gas",
                "高炉煤气": "blast_furnace_gas", "其他煤气": "other_coal_gas", "天然气": "natural_gas",
                "其他石油制品": "other_petroleum_products"}
    yb = []
    for r in rows:
        if not r["table"].startswith("China Energy Statistical Yearbook") or r["carrier_cn"] not in yearbook:
            continue
        unit = r["coefficient_unit"].replace("10^4 m3", "10^4Nm3")
        yb.append(dict(carrier=yearbook[r["carrier_cn"]], parameter="coal_equivalent", value=r["coefficient"],
                       unit=unit, basis="ncv", region="CN", source_table="参考折标系数 (statistical yearbook)",
                       source_row=r["carrier_cn"], confidence=confidence(r["n_independent_sources"]), note=r["note"],
                       sources=r["sources"]))
    write("nbs_yearbook_coefficients.csv", [
        ("id", "nbs_yearbook_coefficients"),
        ("title", "China Energy Statistical Yearbook reference standard-coal coefficients (参考折标系数)"),
        ("document", "China Energy Statistical Yearbook, 参考折标系数 table (not GB/T 2589; kept apart from Annex A)"),
        ("publisher", "National Bureau of Statistics of China (NBS)"), ("published", "as reprinted"),
        ("class", "national"), ("region", "CN"),
        ("basis", "standard coal per physical unit as printed; gas volumes at the Chinese standard state"),
        ("transcription", f"scripts/gen_factor_sources.py from shared/reference/factor_sources/gbt2589_2020_annex.csv "
                          f"(sha256 {sha})"),
        ("confirmation", "one web reprint; every row is single_source and is used only when this dataset is named. "
                         "Electricity (4.0400 tce/10^4 kWh, with a captive-plant remark) and 其他焦化产品 (no carrier) "
                         "are left out."),
    ], yb)


# ---------------------------------------------------------------------------------------------------------
# GWP-100 of the fluorinated gases (Kyoto basket)
# ---------------------------------------------------------------------------------------------------------

GWP_SOURCE = ("openclimatedata/globalwarmingpotentials@1c337f7bc11aaa9dd682d114b2a60a1cb74715ee:"
              "globalwarmingpotentials.csv")
# Species of the Kyoto basket (Doha Amendment, Annex A) with a value in the transcription, and the id
# carbonmrv uses (vocabulary.hpp FluorinatedGases()).
FGAS = [("HFC23", "hfc_23"), ("HFC32", "hfc_32"), ("HFC41", "hfc_41"), ("HFC125", "hfc_125"), ("HFC134", "hfc_134"),
        ("HFC134a", "hfc_134a"), ("HFC143", "hfc_143"), ("HFC143a", "hfc_143a"), ("HFC152", "hfc_152"),
        ("HFC152a", "hfc_152a"), ("HFC161", "hfc_161"), ("HFC227ea", "hfc_227ea"), ("HFC236cb", "hfc_236cb"),
        ("HFC236ea", "hfc_236ea"), ("HFC236fa", "hfc_236fa"), ("HFC245ca", "hfc_245ca"), ("HFC245fa", "hfc_245fa"),
        ("HFC365mfc", "hfc_365mfc"), ("HFC4310mee", "hfc_43_10mee"), ("CF4", "cf4"), ("C2F6", "c2f6"),
        ("C3F8", "c3f8"), ("cC4F8", "c_c4f8"), ("C4F10", "c4f10"), ("C5F12", "c5f12"), ("C6F14", "c6f14"),
        ("C10F18", "c10f18"), ("cC3F6", "c_c3f6"), ("SF6", "sf6"), ("NF3", "nf3")]
GWP_FILES = {"SARGWP100": ("ipcc_sar_gwp100.csv", "Table 2.9 (via the GHG Protocol GWP table, 2016)"),
             "AR4GWP100": ("ipcc_ar4_gwp100.csv", "Table 2.14 (via the GHG Protocol GWP table, 2016)"),
             "AR5GWP100": ("ipcc_ar5_gwp100.csv", "Table 8.A.1 (via the GHG Protocol GWP table, 2016)"),
             "AR6GWP100": ("ipcc_ar6_gwp100.csv", "Table 7.SM.7")}
GWP_NOTE = "F-gas row generated by scripts/gen_factor_sources.py"


def gwp_fgases(gwp_csv):
    """Appends (or refreshes) the F-gas rows of each built-in GWP set from the openclimatedata transcription."""
    rows = list(csv.DictReader([l for l in gwp_csv.read_text(encoding="utf-8").splitlines()
                                if not l.startswith("#")]))
    by_species = {r["Species"]: r for r in rows}
    for column, (name, table) in GWP_FILES.items():
        path = OUT / name
        lines = [l for l in path.read_text(encoding="utf-8").splitlines() if GWP_NOTE not in l]
        header = next(l for l in lines if not l.startswith("#"))
        cols = header.split(",")
        added = 0
        for species, gas in FGAS:
            value = by_species[species][column]
            if not value:
                continue
            row = {c: "" for c in cols}
            row.update(parameter="gwp100", gas=gas, value=value, unit="tCO2e/t", basis="GWP100", region="GLOBAL",
                       source_table=table, source_row=species, confidence="single_source",
                       note=f"{GWP_NOTE}; transcription {GWP_SOURCE}")
            buf = io.StringIO()
            csv.DictWriter(buf, cols, lineterminator="").writerow(row)
            lines.append(buf.getvalue())
            added += 1
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"data/factors/{name}: {added} F-gas rows")


def main():
    ipcc_ch2()
    cn_fuels()
    cn_grid()
    gbt2589_sources()
    if len(sys.argv) > 1:  # path to a copy of the openclimatedata CSV (GWP_SOURCE)
        gwp_fgases(pathlib.Path(sys.argv[1]))


if __name__ == "__main__":
    main()
