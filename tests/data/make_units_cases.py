#!/usr/bin/env python3
"""Generates units_cases.json: the unit fixtures shared by the C++, C and Python suites.

Expected values are derived here from the defining constants with exact rational arithmetic,
independently of carbonmrv's code, and the derivation is stored with each case:
  kcal_IT = 4186.8 J, Btu_IT = 1055.05585262 J (NIST SP 811 B.8)
  kgce = 7000 kcal_IT = 29307.6 kJ (GB/T 2589-2020), toe = 10^7 kcal_IT (IEA)
  lb = 0.45359237 kg, short ton = 2000 lb, US gal = 3.785411784 L, bbl = 42 gal, ft = 0.3048 m
  Nm3 at 273.15 K / 101325 Pa; scf at 60 °F / 14.7 psia (40 CFR 98.6), psi = 6894.757293168 Pa
Run: /usr/bin/python3 tests/data/make_units_cases.py > tests/data/units_cases.json
"""
import json
from fractions import Fraction as F

KCAL = F("4186.8")
BTU = F("1055.05585262")
KGCE = 7000 * KCAL
TOE = 10**7 * KCAL
LB = F("0.45359237")
GAL = F("3.785411784") / 1000
FT3 = F("0.3048") ** 3
PSI = F("6894.757293168")
T_N, P_N = F("273.15"), F(101325)
T_S, P_S = (F(60) + F("459.67")) * F(5, 9), F("14.7") * PSI

convert = []


def c(value, frm, to, expected, derivation):
    convert.append({"value": float(value), "from": frm, "to": to,
                    "expected": float(F(expected)), "derivation": derivation})


# energy
c(1, "tce", "GJ", KGCE * 1000 / 10**9, "1 tce = 1000 kgce × 29307.6 kJ = 29.3076 GJ (GB/T 2589-2020)")
c(1, "kgce", "kcal", 7000, "1 kgce = 7000 kcal_IT by definition (GB/T 2589-2020)")
c(1, "万吨标准煤", "TJ", 10**4 * 1000 * KGCE / 10**12, "10^4 tce × 29.3076 GJ = 293.076 TJ")
c(1, "吨标准煤", "吉焦", KGCE * 1000 / 10**9, "吨标准煤 = tce, 吉焦 = GJ")
c(1, "toe", "GJ", TOE / 10**9, "1 toe = 10^7 kcal_IT = 41.868 GJ (IEA)")
c(1, "toe", "tce", TOE / (1000 * KGCE), "10^7 kcal / 7×10^6 kcal = 10/7")
c(1, "kWh", "MJ", F("3.6"), "1 kWh = 3600 s × 1000 W")
c(1, "万kWh", "MWh", 10, "10^4 kWh = 10 MWh")
c(1, "万千瓦时", "kWh", 10**4, "万 = 10^4")
c(1, "兆瓦时", "千瓦时", 1000, "MWh = 1000 kWh")
c(1, "MWh", "GJ", F("3.6"), "3.6×10^9 J")
c(1, "kWh", "kgce", F(3600000) / KGCE, "thermodynamic 3.6 MJ / 29.3076 MJ (not the published 0.1229)")
c(1, "MMBtu", "GJ", BTU * 10**6 / 10**9, "10^6 Btu_IT × 1055.05585262 J")
c(1, "mmBtu", "MMBtu", 1, "EPA spelling")
c(1, "therm", "MJ", BTU * 10**5 / 10**6, "10^5 Btu_IT")
c(1, "Btu", "J", BTU, "Btu_IT definition")
c(1, "kcal", "kJ", KCAL / 1000, "kcal_IT = 4.1868 kJ")
c(1, "Gcal", "GJ", KCAL * 10**6 / 10**9, "10^6 kcal_IT = 4.1868 GJ")
c(1, "千卡", "J", KCAL, "千卡 = kcal_IT")
c(1, "TJ", "GJ", 1000, "SI prefixes")
c(1, "太焦", "兆焦", 10**6, "TJ → MJ")
c(2.5, "GWh", "TJ", F("2.5") * F(36, 10), "2.5 × 3.6 TJ")
# mass
c(1, "short_ton", "t", 2000 * LB / 1000, "2000 lb × 0.45359237 kg")
c(1, "short ton", "kg", 2000 * LB, "spelling with a space")
c(1, "lb", "g", LB * 1000, "0.45359237 kg")
c(1, "万吨", "t", 10**4, "万 = 10^4")
c(1, "千克", "g", 1000, "千克 = kg")
c(1, "公斤", "kg", 1, "公斤 = kg")
c(1, "吨", "kg", 1000, "吨 = t")
c(1, "Gg", "t", 1000, "1 Gg = 10^9 g = 10^3 t (IPCC reporting unit)")
c(3, "Mt", "kt", 3000, "SI prefixes on t")
# volume
c(1, "gal", "L", GAL * 1000, "US gallon = 3.785411784 L")
c(1, "bbl", "gal", 42, "1 bbl = 42 US gal")
c(1, "bbl", "m3", 42 * GAL, "42 × 3.785411784 L")
c(1, "ft3", "L", FT3 * 1000, "0.3048^3 m3")
c(1, "万立方米", "m3", 10**4, "万 = 10^4")
c(1, "10^4 Nm3", "Nm3", 10**4, "multiplier prefix")
c(1, "万Nm3", "Nm³", 10**4, "万 prefix, superscript 3")
c(1, "万标准立方米", "10^4 Nm3", 1, "Chinese name")
c(1, "标准立方米", "Nm3", 1, "Chinese name")
c(1, "MMscf", "Mscf", 1000, "US oil-and-gas M = 10^3")
# gases and CO2e
c(1, "t CO2e", "kgCO2e", 1000, "space before the gas")
c(1, "tCO2eq", "tCO2-eq", 1, "CO2e spellings")
c(1, "吨二氧化碳当量", "tCO2e", 1, "Chinese name")
c(1, "万吨二氧化碳", "tCO2", 10**4, "万 t CO2")
c(1, "MtCO2e", "tCO2e", 10**6, "Mt")
c(1, "kgCH4", "gCH4", 1000, "CH4 mass")
c(1, "t N₂O", "kgN2O", 1000, "subscript 2")
c(1, "tC", "kgC", 1000, "carbon mass")
# compound
c(F("0.5810"), "tCO2/MWh", "kgCO2/kWh", F("0.5810"), "t/MWh = 1000 kg / 1000 kWh")
c(F("25.8"), "tC/TJ", "kgC/GJ", F("25.8"), "t/TJ = kg/GJ")
c(F("20.908"), "GJ/t", "MJ/kg", F("20.908"), "GJ/t = MJ/kg")
c(F("389.31"), "GJ/10^4 Nm3", "MJ/Nm3", F("389.31") * 10**9 / 10**4 / 10**6, "389.31 GJ per 10^4 Nm3 = 38.931 MJ/Nm3")
c(F("53.06"), "kgCO2/MMBtu", "tCO2/TJ", F("53.06") / 1000 / (BTU * 10**6 / 10**12),
  "53.06 kg / MMBtu = 0.05306 t / 1.05505585262e-6 TJ")
c(F("0.0258"), "tC/GJ", "tC/TJ", F("25.8"), "per GJ → per TJ: × 1000")
c(1, "kg/MMBtu", "g/MJ", F(1000) / (BTU * 10**6 / 10**6), "1000 g per 1055.05585262 MJ (fuel mass per energy)")
c(1, "scf", "scf", 1, "identity at the 60 °F state")
c(F("0.1229"), "kgce/kWh", "tce/MWh", F("0.1229"), "kg/kWh = t/MWh")
c(1, "t/h", "kg/s", F(1000, 3600), "1000 kg per 3600 s")
c(1, "吨/小时", "t/h", 1, "Chinese names")
c(1, "MW", "kW", 1000, "power")
c(1, "MW*h", "MWh", 1, "power × time = energy")
c(98, "%", "1", F("0.98"), "percent")
c(F("0.9"), "tCO2/t product", "kgCO2/kg product", F("0.9"), "intensity per product")
c(F("0.9"), "tCO2/t产品", "tCO2/t product", F("0.9"), "Chinese product suffix")

gas_state = []


def g(value, frm, to, expected, derivation):
    gas_state.append({"value": float(value), "from": frm, "to": to,
                      "expected": float(F(expected)), "derivation": derivation})


# V_to = V_from × (T_to / T_from) × (p_from / p_to)  (ideal gas, same amount)
NM3_TO_SCF = (T_S / T_N) * (P_N / P_S) / FT3
g(1, "Nm3", "scf", NM3_TO_SCF, "(288.7056 K / 273.15 K) × (101325 Pa / 101352.93 Pa) / 0.0283168 m3")
g(1000, "scf", "Nm3", 1000 / NM3_TO_SCF, "inverse of the above")
g(F("389.31"), "GJ/10^4 Nm3", "MMBtu/Mscf",
  F("389.31") * 10**9 / (BTU * 10**6) / (10**4 * NM3_TO_SCF) * 1000,
  "GJ→MMBtu on the numerator, 10^4 Nm3→scf on the denominator")

actual_gas = []
actual_gas.append({"value": 100.0, "from": "m3", "temperature_k": 293.15, "pressure_pa": 101325.0,
                   "to": "Nm3", "expected": float(F(100) * T_N / F("293.15")),
                   "derivation": "100 m3 × 273.15 K / 293.15 K at 1 atm"})
actual_gas.append({"value": 50.0, "from": "m3", "temperature_k": 273.15, "pressure_pa": 202650.0,
                   "to": "Nm3", "expected": 100.0, "derivation": "twice the pressure, same T → twice the amount"})

electricity = [
    {"value": 10000.0, "unit": "kWh", "convention": "calorific", "rate": None, "to": "tce",
     "expected": float(10000 * F("0.1229") / 1000), "derivation": "10^4 kWh × 0.1229 kgce/kWh (GB/T 2589-2020)"},
    {"value": 1.0, "unit": "万千瓦时", "convention": "equivalent", "rate": 0.3, "to": "tce",
     "expected": float(10**4 * F("0.3") / 1000), "derivation": "10^4 kWh × 0.3 kgce/kWh (stated coal rate)"},
]

factor = []


def f(value, unit, fac, fac_unit, to, expected, derivation):
    factor.append({"value": float(value), "unit": unit, "factor": float(fac), "factor_unit": fac_unit,
                   "to": to, "expected": float(F(expected)), "derivation": derivation})


f(100, "t", F("20.908"), "GJ/t", "GJ", F("2090.8"), "100 t × 20.908 GJ/t (NCV)")
f(1000, "GJ", F("94.6"), "tCO2/TJ", "tCO2", F("94.6"), "1 TJ × 94.6 tCO2/TJ")
f(10, "tCH4", 28, "tCO2e/tCH4", "tCO2e", 280, "10 tCH4 × GWP 28")
f(12, "tC", F(44, 12), "tCO2/tC", "tCO2", 44, "12 tC × 44/12")
f(249300, "MMBtu", F("93.28"), "kgCO2/MMBtu", "tCO2", F("23254.704"),
  "EPA Eq. C-1: 10 000 short tons × 24.93 MMBtu/short ton = 249 300 MMBtu; × 93.28 kg/MMBtu × 10^-3")
f(1, "万Nm3", F("389.31"), "GJ/10^4 Nm3", "GJ", F("389.31"), "NCV per 10^4 Nm3")

errors = [
    {"op": "convert", "value": 1.0, "from": "tonn", "to": "t", "detail": "unknown_unit", "contains": "did you mean \"t\""},
    {"op": "convert", "value": 1.0, "from": "gj", "to": "MJ", "detail": "unknown_unit", "contains": "did you mean \"GJ\""},
    {"op": "convert", "value": 1.0, "from": "t", "to": "tCO2", "detail": "incompatible_units", "contains": "emission factor"},
    {"op": "convert", "value": 1.0, "from": "tCH4", "to": "tCO2e", "detail": "incompatible_units", "contains": "GWP"},
    {"op": "convert", "value": 1.0, "from": "t", "to": "GJ", "detail": "incompatible_units", "contains": "calorific value"},
    {"op": "convert", "value": 1.0, "from": "tC", "to": "tCO2", "detail": "incompatible_units", "contains": "44/12"},
    {"op": "convert", "value": 1.0, "from": "Nm3", "to": "scf", "detail": "incompatible_units", "contains": "reference state"},
    {"op": "convert", "value": 1.0, "from": "m3", "to": "Nm3", "detail": "incompatible_units", "contains": "temperature and pressure"},
    {"op": "convert", "value": 1.0, "from": "t", "to": "t product", "detail": "incompatible_units", "contains": "not product output"},
    {"op": "convert", "value": 1.0, "from": "ton", "to": "t", "detail": "ambiguous_unit", "contains": "short_ton"},
    {"op": "convert", "value": 1.0, "from": "t//h", "to": "t/h", "detail": "unit_syntax", "contains": "at most one '/'"},
    {"op": "convert", "value": 1.0, "from": "", "to": "t", "detail": "unit_syntax", "contains": "empty unit"},
    {"op": "convert", "value": 1.0, "from": "GJ/", "to": "GJ", "detail": "unit_syntax", "contains": "nothing after"},
    {"op": "convert", "value": 1.0, "from": "10^4", "to": "t", "detail": "unit_syntax", "contains": "not followed by a unit"},
    {"op": "convert", "value": "nan", "from": "t", "to": "kg", "detail": "non_finite_value", "contains": "nan"},
    {"op": "convert", "value": "inf", "from": "t", "to": "kg", "detail": "non_finite_value", "contains": "inf"},
    {"op": "convert", "value": 1e308, "from": "tce", "to": "J", "detail": "overflow", "contains": "finite"},
    {"op": "apply_factor", "value": 1.0, "from": "t", "factor": 94.6, "factor_unit": "tCO2/TJ", "to": "tCO2",
     "detail": "incompatible_units", "contains": "not mass of CO2"},
    {"op": "electricity", "value": 1.0, "from": "kWh", "convention": "equivalent", "rate": None, "to": "tce",
     "detail": "needs_context", "contains": "coal_rate"},
    {"op": "electricity", "value": 1.0, "from": "t", "convention": "calorific", "rate": None, "to": "tce",
     "detail": "incompatible_units", "contains": "energy unit"},
    {"op": "gas_state", "value": 1.0, "from": "t", "to": "t", "detail": "incompatible_units", "contains": "no gas volume"},
]

print(json.dumps({"about": __doc__.strip().splitlines()[0], "convert": convert, "gas_state": gas_state,
                  "actual_gas": actual_gas, "electricity": electricity, "apply_factor": factor,
                  "errors": errors}, ensure_ascii=False, indent=1))
