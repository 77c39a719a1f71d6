// The unit atoms carbonmrv knows, each with its defining value and source.
//
// Defining values are stored as exact as the definitions allow (num/den), never rounded: e.g. kgce is
// 7000 kcal_IT = 29 307.6 kJ exactly, not the 29 307 kJ sometimes quoted.
#include "units/unit_registry.hpp"

namespace cmrv::internal {
namespace {

constexpr std::string_view kSi = "SI Brochure, 9th ed. (BIPM 2019), Tables 2, 7";
constexpr std::string_view kSiAccepted = "SI Brochure, 9th ed. (BIPM 2019), Table 8 (non-SI units accepted)";
constexpr std::string_view kNist = "NIST SP 811 (2008 ed.), Appendix B.8-B.9";
constexpr std::string_view kGbt2589 = "GB/T 2589-2020 综合能耗计算通则, §3 (1 kgce = 29 307.6 kJ NCV = 7000 kcal_IT)";
// kcal_IT and Btu_IT: Fifth International Conference on the Properties of Steam (London, 1956);
// 1 Btu_IT = 1055.05585262 J exactly follows from 1 Btu_IT/(lb·°F) = 4.1868 J/(g·K).
constexpr std::string_view kItCalorie = "NIST SP 811 (2008 ed.), B.8; kcal_IT = 4186.8 J exactly (ICPS 1956)";
constexpr std::string_view kBtu = "NIST SP 811 (2008 ed.), B.8; Btu_IT = 1055.05585262 J exactly (ISO 80000-5)";
constexpr std::string_view kToe =
    "IEA/OECD/Eurostat Energy Statistics Manual (2005), Annex 3: 1 toe = 10^7 kcal_IT = 41.868 GJ";
constexpr std::string_view kNormal =
    "ISO 13443:1996 / DIN 1343 normal conditions 0 °C, 101.325 kPa; the state of 标准立方米 in Chinese MRV guidelines";
constexpr std::string_view kScf =
    "40 CFR 98.6 standard conditions (60 °F, 14.7 psia); 1 ft = 0.3048 m exactly (NIST SP 811 B.8)";
constexpr std::string_view kMile = "NIST SP 811 (2008 ed.), B.8: 1 mi (international) = 1609.344 m exactly";
// Passenger-distance is the activity of travel-based methods (GHG Protocol Scope 3 Calculation Guidance,
// 2013, categories 6 and 7: distance travelled × mode factor per passenger-km).
constexpr std::string_view kTravel = "GHG Protocol Scope 3 Calculation Guidance (2013), categories 6-7";
constexpr std::string_view kUsOilGas = "US oil-and-gas usage: M = 10^3, MM = 10^6 (EIA glossary)";

Kind K(Axis a, int8_t e = 1) { return Kind::Of(a, e); }
Kind Power() { return Kind::Of(Axis::kEnergy) / Kind::Of(Axis::kTime); }

// 1 ft^3 = 0.3048^3 m^3 = 0.028316846592 m^3 exactly.
constexpr double kCubicFoot = 0.028316846592;
// 1 US gal = 231 in^3 = 3.785411784 L exactly; 1 bbl (petroleum) = 42 US gal.
constexpr double kUsGallon = 3.785411784e-3;

}  // namespace

const std::vector<UnitAtom>& UnitAtoms() {
  static const std::vector<UnitAtom> atoms = {
      // ---- energy (base J) ----
      {"J", {"焦耳", "焦"}, 1, 1, K(Axis::kEnergy), "joule", kSi},
      {"kJ", {"千焦"}, 1e3, 1, K(Axis::kEnergy), "10^3 J", kSi},
      {"MJ", {"兆焦"}, 1e6, 1, K(Axis::kEnergy), "10^6 J", kSi},
      {"GJ", {"吉焦", "gigajoule"}, 1e9, 1, K(Axis::kEnergy), "10^9 J", kSi},
      {"TJ", {"太焦"}, 1e12, 1, K(Axis::kEnergy), "10^12 J", kSi},
      {"PJ", {"拍焦"}, 1e15, 1, K(Axis::kEnergy), "10^15 J", kSi},
      {"Wh", {"瓦时"}, 3600, 1, K(Axis::kEnergy), "3600 J", kSiAccepted},
      {"kWh", {"千瓦时", "kW.h"}, 3.6e6, 1, K(Axis::kEnergy), "3.6 MJ", kSiAccepted},
      {"MWh", {"兆瓦时"}, 3.6e9, 1, K(Axis::kEnergy), "3.6 GJ", kSiAccepted},
      {"GWh", {"吉瓦时"}, 3.6e12, 1, K(Axis::kEnergy), "3.6 TJ", kSiAccepted},
      {"TWh", {"太瓦时"}, 3.6e15, 1, K(Axis::kEnergy), "3.6 PJ", kSiAccepted},
      {"kcal", {"kcal_IT", "千卡", "大卡"}, 4186.8, 1, K(Axis::kEnergy), "4186.8 J (IT calorie)", kItCalorie},
      {"Mcal", {"兆卡"}, 4186.8e3, 1, K(Axis::kEnergy), "10^3 kcal_IT", kItCalorie},
      {"Gcal", {"吉卡", "百万千卡", "百万大卡"}, 4186.8e6, 1, K(Axis::kEnergy), "10^6 kcal_IT = 4.1868 GJ", kItCalorie},
      {"Btu", {"Btu_IT", "BTU"}, 1055.05585262, 1, K(Axis::kEnergy), "1055.05585262 J", kBtu},
      {"MMBtu", {"mmBtu", "MMBTU", "mmbtu"}, 1055.05585262e6, 1, K(Axis::kEnergy), "10^6 Btu_IT", kBtu},
      {"therm",
       {"thm"},
       1055.05585262e5,
       1,
       K(Axis::kEnergy),
       "10^5 Btu_IT (EC therm; the US therm of 105.4804 MJ differs by 0.02 %)",
       kBtu},
      {"kgce",
       {"千克标准煤", "公斤标准煤", "千克标煤", "kg ce"},
       29307.6e3,
       1,
       K(Axis::kEnergy),
       "7000 kcal_IT = 29.3076 MJ",
       kGbt2589},
      {"gce",
       {"克标准煤", "克标煤", "g ce"},
       29307.6,
       1,
       K(Axis::kEnergy),
       "10^-3 kgce = 29.3076 kJ (coal rates: gce/kWh)",
       kGbt2589},
      {"tce", {"吨标准煤", "吨标煤", "t ce"}, 29307.6e6, 1, K(Axis::kEnergy), "10^3 kgce = 29.3076 GJ", kGbt2589},
      {"toe", {"吨油当量"}, 41.868e9, 1, K(Axis::kEnergy), "10^7 kcal_IT = 41.868 GJ", kToe},
      // ---- power (energy per time) ----
      {"W", {"瓦"}, 1, 1, Power(), "J/s", kSi},
      {"kW", {"千瓦"}, 1e3, 1, Power(), "10^3 W", kSi},
      {"MW", {"兆瓦"}, 1e6, 1, Power(), "10^6 W", kSi},
      {"GW", {"吉瓦"}, 1e9, 1, Power(), "10^9 W", kSi},
      // ---- mass of fuel or material (base kg); accept gas/product suffixes ----
      {"g", {"克"}, 1, 1e3, K(Axis::kMass), "10^-3 kg", kSi},
      {"kg", {"千克", "公斤"}, 1, 1, K(Axis::kMass), "kilogram", kSi},
      {"t", {"tonne", "tonnes", "metric_ton", "吨", "Mg"}, 1e3, 1, K(Axis::kMass), "10^3 kg", kSiAccepted},
      {"kt", {"Gg", "千吨"}, 1e6, 1, K(Axis::kMass), "10^3 t", kSiAccepted},
      {"Mt", {"Tg", "百万吨"}, 1e9, 1, K(Axis::kMass), "10^6 t", kSiAccepted},
      {"lb", {"lbs", "pound"}, 0.45359237, 1, K(Axis::kMass), "0.45359237 kg", kNist},
      {"short_ton", {"short ton", "ston", "US_ton"}, 907.18474, 1, K(Axis::kMass), "2000 lb = 907.18474 kg", kNist},
      // ---- volume at actual conditions (base m3) ----
      {"m3", {"m^3", "立方米", "方"}, 1, 1, K(Axis::kVolume), "cubic metre", kSi},
      {"L", {"l", "升"}, 1, 1e3, K(Axis::kVolume), "10^-3 m3", kSiAccepted},
      {"gal", {"US_gal", "gallon"}, kUsGallon, 1, K(Axis::kVolume), "US gallon = 231 in^3 = 3.785411784 L", kNist},
      {"bbl", {"barrel"}, 42 * kUsGallon, 1, K(Axis::kVolume), "42 US gal = 158.987294928 L", kNist},
      {"ft3", {"cf", "cu_ft", "ft^3"}, kCubicFoot, 1, K(Axis::kVolume), "0.028316846592 m3", kNist},
      // ---- gas volume at reference states ----
      {"Nm3",
       {"Nm^3", "标准立方米", "标立方米", "标方", "m3(n)"},
       1,
       1,
       K(Axis::kGasVolumeNormal),
       "m3 of gas at 0 °C, 101.325 kPa",
       kNormal},
      {"scf", {"SCF"}, kCubicFoot, 1, K(Axis::kGasVolumeScf60), "ft3 of gas at 60 °F, 14.7 psia", kScf},
      {"Mscf", {"MSCF"}, 1e3 * kCubicFoot, 1, K(Axis::kGasVolumeScf60), "10^3 scf", kUsOilGas},
      {"MMscf", {"MMSCF"}, 1e6 * kCubicFoot, 1, K(Axis::kGasVolumeScf60), "10^6 scf", kUsOilGas},
      // ---- time (base s) ----
      {"s", {"sec", "秒"}, 1, 1, K(Axis::kTime), "second", kSi},
      {"min", {"分钟"}, 60, 1, K(Axis::kTime), "60 s", kSiAccepted},
      {"h", {"hr", "小时", "时"}, 3600, 1, K(Axis::kTime), "3600 s", kSiAccepted},
      {"d", {"day", "天", "日"}, 86400, 1, K(Axis::kTime), "86400 s", kSiAccepted},
      // ---- temperature: differences in K; Celsius temperatures on an axis of their own ----
      {"K",
       {"kelvin"},
       1,
       1,
       K(Axis::kTemperatureDifference),
       "kelvin, as a temperature difference (1 K = 1 °C of difference)",
       kSi},
      {"degC",
       {"°C", "℃", "摄氏度", "deg_C"},
       1,
       1,
       K(Axis::kCelsius),
       "degree Celsius, a temperature on the Celsius scale (not a difference)",
       kSi},
      // ---- distance (base m); 1 mi = 1609.344 m exactly (international mile, 1959) ----
      {"m", {"metre", "meter", "米"}, 1, 1, K(Axis::kDistance), "metre", kSi},
      {"km", {"千米", "公里"}, 1e3, 1, K(Axis::kDistance), "10^3 m", kSi},
      {"mi", {"mile"}, 1609.344, 1, K(Axis::kDistance), "1609.344 m (international mile)", kMile},
      // ---- passenger-distance (base passenger·km): travel by person and distance ----
      {"pkm",
       {"passenger_km", "passenger-km", "人公里"},
       1,
       1,
       K(Axis::kPassengerDistance),
       "one passenger carried one kilometre",
       kTravel},
      {"pmi",
       {"passenger_mile", "passenger-mile"},
       1.609344,
       1,
       K(Axis::kPassengerDistance),
       "one passenger carried one mile = 1.609344 pkm",
       kMile},
      // ---- dimensionless ----
      {"1", {}, 1, 1, Kind{}, "ratio", kSi},
      {"%", {"percent"}, 1, 100, Kind{}, "10^-2", kSi},
  };
  return atoms;
}

const std::vector<MassSuffix>& MassSuffixes() {
  static const std::vector<MassSuffix> suffixes = {
      {"CO2", {"CO2", "二氧化碳"}, Axis::kCO2},
      {"CO2e", {"CO2e", "CO2eq", "CO2-eq", "CO2-e", "CO2当量", "二氧化碳当量"}, Axis::kCO2e},
      {"CH4", {"CH4", "甲烷"}, Axis::kCH4},
      {"N2O", {"N2O", "氧化亚氮"}, Axis::kN2O},
      {"C", {"C", "碳"}, Axis::kCarbon},
      {"product", {"product", "产品"}, Axis::kProduct},
  };
  return suffixes;
}

const std::vector<AmbiguousName>& AmbiguousNames() {
  static const std::vector<AmbiguousName> names = {
      {"ton", "\"ton\" is ambiguous: use \"t\" (metric tonne, 1000 kg) or \"short_ton\" (907.18474 kg)"},
      {"tons", "\"tons\" is ambiguous: use \"t\" (metric tonne, 1000 kg) or \"short_ton\" (907.18474 kg)"},
      {"cal", "\"cal\" is ambiguous (IT, thermochemical, 15 °C calories differ): use \"kcal\" (kcal_IT)"},
      {"Mcf", "\"Mcf\" does not state a reference state: use \"Mscf\" (10^3 scf at 60 °F) or \"ft3\" (actual)"},
      {"Sm3",
       "\"Sm3\" has no single reference state (15 °C or 20 °C): use \"Nm3\" or convert from actual m3 with a stated "
       "temperature and pressure"},
      {"度", "\"度\" is colloquial: use \"kWh\" (千瓦时)"},
  };
  return names;
}

}  // namespace cmrv::internal
