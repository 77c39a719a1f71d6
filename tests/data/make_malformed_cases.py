#!/usr/bin/env python3
"""Writes malformed_cases.json: malformed documents that must each give a clear error, shared by the
C++, C API and Python suites (issue 19's malformed-input sweep). Run from tests/data/.

Each case: the surface reader ("enterprise", "inventory", "region"), the document text, or a
"nest" depth for generated deep nesting, and a substring the error message must contain. Texts are
strings, not JSON objects, so that duplicate keys and out-of-range numbers survive."""
import json

OK = {
    "schema": "carbonmrv.enterprise/1",
    "enterprise": {"name": "Malformed-input works", "region": "CN-44", "year": 2023},
    "sources": [{"id": "coal", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef",
                 "factors": {"ncv": {"value": 20, "unit": "GJ/t", "source": "fixture"},
                             "ef_co2": {"value": 90, "unit": "tCO2/TJ", "source": "fixture"}},
                 "activity": [{"period": "2023", "value": 100, "unit": "t"}]}],
}


def doc(**changes):
    d = json.loads(json.dumps(OK))
    for path, value in changes.items():
        node = d
        keys = path.split("__")
        for k in keys[:-1]:
            node = node[int(k)] if k.isdigit() else node[k]
        last = keys[-1]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value
    return json.dumps(d, ensure_ascii=False)


OK_TEXT = json.dumps(OK)
cases = [
    # Duplicate keys: the last value silently won (10 450 000 t reported instead of 1 045).
    {"name": "duplicate key", "reader": "enterprise",
     "text": OK_TEXT.replace('"value": 100,', '"value": 100, "value": 10000000,'),
     "contains": "sources[0].activity[0].value: duplicate key"},
    # A number beyond double range was CMRV_ERR_INTERNAL (exit 70).
    {"name": "number out of range", "reader": "enterprise",
     "text": OK_TEXT.replace('"value": 100,', '"value": 9e999,'), "contains": "number overflow"},
    {"name": "deep nesting", "reader": "enterprise", "nest": 200000, "contains": "nesting deeper than 64 levels"},
    {"name": "fractional year", "reader": "enterprise", "text": doc(enterprise__year=2023.5),
     "contains": "enterprise.year: 2023.5 is not a whole number from 1990 to 2100"},
    {"name": "empty source id", "reader": "enterprise", "text": doc(sources__0__id=""),
     "contains": "sources[0].id: is empty"},
    {"name": "empty period", "reader": "enterprise", "text": doc(sources__0__activity__0__period=""),
     "contains": "sources[0].activity[0].period: is empty"},
    {"name": "annual and monthly records", "reader": "enterprise",
     "text": doc(sources__0__activity=[{"period": "2023", "value": 100, "unit": "t"},
                                       {"period": "2023-01", "value": 10, "unit": "t"}]),
     "contains": "sources[0].activity: mixes the annual period \"2023\" with monthly periods"},
    {"name": "production units of two kinds", "reader": "enterprise",
     "text": doc(production=[{"product": "clinker", "period": "2023-01", "value": 10, "unit": "t"},
                             {"product": "clinker", "period": "2023-02", "value": 10, "unit": "MWh"}]),
     "contains": "production[1].unit: \"MWh\" is energy"},
    # Inventory documents: integers wrapped modulo 2^32 (2^32 + 2022 read as 2022).
    {"name": "inventory year beyond int", "reader": "inventory",
     "text": json.dumps({"schema": "carbonmrv.inventory/1",
                         "enterprise": {"name": "x", "year": 4294969318},
                         "conventions": {"gwp_dataset": "ipcc_ar5_gwp100", "co2_per_carbon": "44/12"},
                         "lines": []}),
     "contains": "enterprise.year: expected an integer from 1990 to 2100, found 4294969318"},
    {"name": "inventory scope beyond int", "reader": "inventory",
     "text": json.dumps({"schema": "carbonmrv.inventory/1",
                         "enterprise": {"name": "x", "year": 2023},
                         "conventions": {"gwp_dataset": "ipcc_ar5_gwp100", "co2_per_carbon": "44/12"},
                         "lines": [{"source": "s", "period": "2023", "gas": "co2", "category": "fuel_combustion",
                                    "scope": 4294967299, "mass_t": 1, "gwp": 1, "co2e_t": 1, "terms": []}]}),
     "contains": "lines[0].scope: expected an integer from 1 to 3, found 4294967299"},
    # Typed vocabulary (issue 13): a term outside the schema's list is refused where it is read, naming
    # the JSON path and listing the valid terms.
    {"name": "inventory category outside the vocabulary", "reader": "inventory",
     "text": json.dumps({"schema": "carbonmrv.inventory/1",
                         "enterprise": {"name": "x", "year": 2023},
                         "conventions": {"gwp_dataset": "ipcc_ar5_gwp100", "co2_per_carbon": "44/12"},
                         "lines": [{"source": "s", "period": "2023", "gas": "co2", "category": "stationary_combustion",
                                    "scope": 1, "mass_t": 1, "gwp": 1, "co2e_t": 1, "terms": []}]}),
     "contains": "lines[0].category: category \"stationary_combustion\" is not one of fuel_combustion, "
                 "industrial_process, co2_recovery, net_purchased_electricity, net_purchased_heat, upstream_energy"},
    {"name": "inventory CO2/C convention outside the vocabulary", "reader": "inventory",
     "text": json.dumps({"schema": "carbonmrv.inventory/1", "enterprise": {"name": "x", "year": 2023},
                         "conventions": {"gwp_dataset": "ipcc_ar5_gwp100", "co2_per_carbon": "3.67"}, "lines": []}),
     "contains": "conventions.co2_per_carbon: co2_per_carbon \"3.67\" is not one of 44/12, 3.664"},
    {"name": "region CO2/C convention outside the vocabulary", "reader": "region",
     "text": json.dumps({"schema": "carbonmrv.region/1", "region": "CN-44", "year": 2023,
                         "conventions": {"co2_per_carbon": "3.67"}, "enterprises": [], "apparent_consumption": []}),
     "contains": "conventions.co2_per_carbon: co2_per_carbon \"3.67\" is not one of 44/12, 3.664"},
    # The parameter table: a parameter the source kind does not take lists the ones it does.
    {"name": "measured parameter of another kind", "reader": "enterprise",
     "text": doc(sources__0__activity__0__measured={"purity": {"value": 0.9, "unit": "1"}}),
     "contains": "sources[0].activity[0].measured.purity: \"purity\" is not a parameter of a fuel_combustion "
                 "source; expected one of: carbon_content, carbon_content_ad, ef_ch4, ef_co2, ef_n2o, ef_upstream, "
                 "gcv, hhv, hydrogen, ncv, oxidation"},
    # Issue 14's new source fields: each refused where it is written.
    {"name": "unknown combustion sector", "reader": "enterprise", "text": doc(sources__0__sector="power"),
     "contains": "sources[0].sector: sector \"power\" is not one of energy_industries, manufacturing_construction, "
                 "commercial_institutional, residential_agriculture"},
    {"name": "scope 3 category without its ISO category", "reader": "enterprise",
     "text": doc(sources__0__scope3_category=4),
     "contains": "sources[0].iso_category: a scope 3 source states both scope3_category"},
    {"name": "scope 3 category out of range", "reader": "enterprise",
     "text": doc(sources__0__scope3_category=16, sources__0__iso_category=3),
     "contains": "sources[0].scope3_category: 16 is not a whole number from 1 to 15"},
    {"name": "unknown fluorinated gas", "reader": "enterprise",
     "text": json.dumps({**OK, "sources": [{"id": "sw", "kind": "fgas_mass_balance", "material": "R-22",
                                            "activity": [{"period": "2023", "value": 1, "unit": "kg"}]}]}),
     "contains": "sources[0].material: fluorinated gas \"R-22\" is not one of hfc_23"},
    {"name": "F-gas acquisitions not a mass", "reader": "enterprise",
     "text": json.dumps({**OK, "sources": [{"id": "sw", "kind": "fgas_mass_balance", "material": "SF6",
                                            "activity": [{"period": "2023", "value": 1, "unit": "GJ"}]}]}),
     "contains": "the mass of the gas acquired in the period (kg, t)"},
    # Issue 15's audit rounds (schema /2): refused where they are written, naming the JSON path.
    {"name": "audit in a version 1 document", "reader": "enterprise",
     "text": json.dumps({**OK, "cleaner_production": {"audits": []}}),
     "contains": "cleaner_production: needs schema \"carbonmrv.enterprise/2\""},
    {"name": "audit stage outside the vocabulary", "reader": "enterprise",
     "text": json.dumps({**OK, "schema": "carbonmrv.enterprise/2", "cleaner_production": {"audits": [
         {"id": "a", "type": "voluntary", "stages": [{"stage": "audit", "status": "completed"}]}]}}),
     "contains": "cleaner_production.audits[0].stages[0].stage: audit stage \"audit\" is not one of planning, "
                 "pre_assessment, assessment, option_generation, feasibility, implementation, continuous"},
    {"name": "option effect with both change and change_pct", "reader": "enterprise",
     "text": json.dumps({**OK, "schema": "carbonmrv.enterprise/2", "cleaner_production": {"audits": [
         {"id": "a", "type": "voluntary", "options": [
             {"id": "o", "class": "no_low_cost", "status": "proposed", "life_years": 5,
              "effects": [{"source": "coal", "change": {"value": -1, "unit": "t"}, "change_pct": -5}]}]}]}}),
     "contains": "cleaner_production.audits[0].options[0].effects[0]: states exactly one of change"},
    {"name": "option change in a unit of another kind", "reader": "enterprise",
     "text": json.dumps({**OK, "schema": "carbonmrv.enterprise/2", "cleaner_production": {"audits": [
         {"id": "a", "type": "voluntary", "options": [
             {"id": "o", "class": "no_low_cost", "status": "proposed", "life_years": 5,
              "effects": [{"source": "coal", "change": {"value": -1, "unit": "MWh"}}]}]}]}}),
     "contains": "cleaner_production.audits[0].options[0].effects[0].change.unit: \"MWh\" is energy; source "
                 "\"coal\" records its activity as mass"},
    {"name": "price without a money unit", "reader": "enterprise",
     "text": json.dumps({**OK, "schema": "carbonmrv.enterprise/2", "cleaner_production": {"audits": [
         {"id": "a", "type": "voluntary", "prices": [{"source": "coal", "value": 900, "unit": "USD/t"}]}]}}),
     "contains": "cleaner_production.audits[0].prices[0].unit: \"USD/t\" is not a price"},
    {"name": "focus score out of range", "reader": "enterprise",
     "text": json.dumps({**OK, "schema": "carbonmrv.enterprise/2", "cleaner_production": {"audits": [
         {"id": "a", "type": "voluntary", "focus": {"criteria": [{"id": "w", "weight": 10}],
                                                     "candidates": [{"unit": "kiln", "scores": {"w": 11}}]}}]}}),
     "contains": "cleaner_production.audits[0].focus.candidates[0].scores.w: 11 is not a score from 0 to 10"},
    # Region requests: year 1e300 was cast to int (undefined behaviour; printed −2147483648, exit 0).
    {"name": "region year out of range", "reader": "region",
     "text": json.dumps({"schema": "carbonmrv.region/1", "region": "CN-44", "year": 1e300,
                         "enterprises": [], "apparent_consumption": []}),
     "contains": "year: 1e+300 is not a whole number from 1990 to 2100"},
    # Deeply nested enterprise entries overflowed the stack when re-serialised.
    {"name": "region deep nesting", "reader": "region", "nest": 200000, "nest_in_region": True,
     "contains": "nesting deeper than 64 levels"},
]

with open("malformed_cases.json", "w", encoding="utf-8") as f:
    json.dump({"cases": cases}, f, ensure_ascii=False, indent=1)
    f.write("\n")
