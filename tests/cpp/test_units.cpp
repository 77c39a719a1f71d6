// C++ core: units, kinds and context conversions. Fixture cases (tests/data/units_cases.json) are
// shared with the C API and Python suites; each carries its derivation from the defining sources.
#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv/status.hpp"
#include "carbonmrv/units/units.hpp"
#include "support/cases.hpp"

using nlohmann::json;

namespace {

json LoadCases() {
  std::ifstream in(std::string(CMRV_TEST_DATA_DIR) + "/units_cases.json");
  REQUIRE(in.good());
  return json::parse(in);
}

double ValueOf(const json& v) {
  if (v.is_string()) {
    auto s = v.get<std::string>();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "inf") return std::numeric_limits<double>::infinity();
  }
  return v.get<double>();
}

// Relative agreement to 1e-12: the fixture's expected values are exact rationals rounded once to
// double; the library rounds at most three times.
bool Close(double got, double expected) {
  return std::abs(got - expected) <= 1e-12 * std::max(1.0, std::abs(expected));
}

cmrv::Unit U(std::string_view s) {
  auto u = cmrv::Unit::Parse(s);
  INFO("unit " << s << ": " << u.status().ToString());
  REQUIRE(u.ok());
  return *u;
}

}  // namespace

TEST_CASE("fixture conversions match their defining sources", "[units][parity]") {
  const json cases = LoadCases();
  REQUIRE(cases["convert"].size() >= 50);
  for (const auto& c : cmrv_test::Counted(cases, "units_cases.json", "convert")) {
    auto from = c["from"].get<std::string>(), to = c["to"].get<std::string>();
    INFO(c["value"] << " " << from << " -> " << to << " (" << c["derivation"] << ")");
    auto got = cmrv::Convert(c["value"].get<double>(), from, to);
    REQUIRE(got.ok());
    CHECK(Close(*got, c["expected"].get<double>()));
  }
}

TEST_CASE("fixture context conversions", "[units][parity]") {
  const json cases = LoadCases();
  for (const auto& c : cmrv_test::Counted(cases, "units_cases.json", "gas_state")) {
    INFO(c["from"] << " -> " << c["to"]);
    auto got = cmrv::ConvertGasReferenceState(c["value"].get<double>(), U(c["from"].get<std::string>()),
                                              U(c["to"].get<std::string>()));
    REQUIRE(got.ok());
    CHECK(Close(*got, c["expected"].get<double>()));
  }
  for (const auto& c : cmrv_test::Counted(cases, "units_cases.json", "actual_gas")) {
    auto got = cmrv::ConvertActualGasVolume(c["value"].get<double>(), U(c["from"].get<std::string>()),
                                            c["temperature_k"].get<double>(), c["pressure_pa"].get<double>(),
                                            U(c["to"].get<std::string>()));
    REQUIRE(got.ok());
    CHECK(Close(*got, c["expected"].get<double>()));
  }
  for (const auto& c : cmrv_test::Counted(cases, "units_cases.json", "electricity")) {
    auto conv = c["convention"] == "calorific" ? cmrv::ElectricityConvention::kCalorific
                                               : cmrv::ElectricityConvention::kEquivalent;
    std::optional<double> rate;
    if (!c["rate"].is_null()) rate = c["rate"].get<double>();
    auto got = cmrv::ElectricityToStandardCoal(c["value"].get<double>(), U(c["unit"].get<std::string>()), conv, rate,
                                               U(c["to"].get<std::string>()));
    REQUIRE(got.ok());
    CHECK(Close(*got, c["expected"].get<double>()));
  }
  for (const auto& c : cmrv_test::Counted(cases, "units_cases.json", "apply_factor")) {
    INFO(c["derivation"]);
    auto got = cmrv::ApplyFactor(c["value"].get<double>(), U(c["unit"].get<std::string>()), c["factor"].get<double>(),
                                 U(c["factor_unit"].get<std::string>()), U(c["to"].get<std::string>()));
    REQUIRE(got.ok());
    CHECK(Close(*got, c["expected"].get<double>()));
  }
}

TEST_CASE("fixture errors carry the expected detail and message", "[units][parity]") {
  const json cases = LoadCases();
  REQUIRE(cases["errors"].size() >= 15);
  for (const auto& c : cmrv_test::Counted(cases, "units_cases.json", "errors")) {
    INFO(c.dump());
    const double value = ValueOf(c["value"]);
    absl::Status status;
    const std::string op = c["op"];
    auto from = cmrv::Unit::Parse(c["from"].get<std::string>());
    auto to = cmrv::Unit::Parse(c["to"].get<std::string>());
    if (op == "convert") {
      status = cmrv::Convert(value, c["from"].get<std::string>(), c["to"].get<std::string>()).status();
    } else if (op == "apply_factor") {
      status = cmrv::ApplyFactor(value, *from, c["factor"].get<double>(), U(c["factor_unit"].get<std::string>()), *to)
                   .status();
    } else if (op == "electricity") {
      auto conv = c["convention"] == "calorific" ? cmrv::ElectricityConvention::kCalorific
                                                 : cmrv::ElectricityConvention::kEquivalent;
      status = cmrv::ElectricityToStandardCoal(value, *from, conv, std::nullopt, *to).status();
    } else if (op == "gas_state") {
      status = cmrv::ConvertGasReferenceState(value, *from, *to).status();
    } else {
      FAIL("unknown op " << op);
    }
    REQUIRE_FALSE(status.ok());
    CHECK(cmrv::ErrorDetailName(cmrv::GetErrorDetail(status)) == c["detail"].get<std::string>());
    CHECK(std::string(status.message()).find(c["contains"].get<std::string>()) != std::string::npos);
  }
}

TEST_CASE("kinds keep fuel, gases, CO2e and product apart", "[units]") {
  CHECK(U("t").kind() == cmrv::Kind::Of(cmrv::Axis::kMass));
  CHECK(U("tCO2").kind() == cmrv::Kind::Of(cmrv::Axis::kCO2));
  CHECK(U("tCH4").kind() == cmrv::Kind::Of(cmrv::Axis::kCH4));
  CHECK(U("tCO2e").kind() == cmrv::Kind::Of(cmrv::Axis::kCO2e));
  CHECK(U("t product").kind() == cmrv::Kind::Of(cmrv::Axis::kProduct));
  CHECK(U("GJ/t").kind().Describe() == "energy per mass of fuel or material");
  CHECK(U("tCO2/MWh").kind().Describe() == "mass of CO2 per energy");
  CHECK(U("MW").kind().Describe() == "power");
  // tce and kWh are both energy: the GB/T 2589 electricity convention is a separate, named step.
  CHECK(U("tce").kind() == U("kWh").kind());
  CHECK(U("%").kind().IsDimensionless());
}

TEST_CASE("canonical symbols", "[units]") {
  CHECK(U("万Nm3").symbol() == "10^4 Nm3");
  CHECK(U("吨二氧化碳当量").symbol() == "tCO2e");
  CHECK(U("GJ / 10^4 Nm³").symbol() == "GJ/10^4 Nm3");
  CHECK(U("kg CO2/MMBtu").symbol() == "kgCO2/MMBtu");
  CHECK(U("t/(h*m3)").symbol() == "t/(h*m3)");
  CHECK((U("t") * U("GJ/t")).symbol() == "GJ");
}

// A unit's terms are shared by its copies (a document's million activity records hold one "t"): a product
// made from a copy must leave the original as it was, and equality compares what the units are.
TEST_CASE("units share their terms and compare by value", "[units]") {
  const cmrv::Unit t = U("t");
  cmrv::Unit copy = t;
  const cmrv::Unit energy = copy * U("GJ/t");  // t × GJ/t: the copy's "t" cancels in the product only
  CHECK(energy.symbol() == "GJ");
  CHECK(copy.symbol() == "t");
  CHECK(t.symbol() == "t");
  copy = copy / U("h");
  CHECK(copy.symbol() == "t/h");
  CHECK(t.symbol() == "t");
  CHECK(U("t") == t);  // parsed twice: two sets of terms, one unit
  CHECK(energy.scale() == U("GJ").scale());
  CHECK(energy.kind() == U("GJ").kind());
  CHECK_FALSE(U("t") == U("kg"));
  CHECK_FALSE(U("t") == U("tCO2"));          // same scale, other kind
  CHECK((U("t") / U("t")).symbol() == "1");  // terms that cancel, as the unit without terms
  CHECK(cmrv::Unit().symbol() == "1");
}

TEST_CASE("quantity arithmetic checks kinds", "[units]") {
  auto coal = *cmrv::Quantity::Create(100, "t");
  auto co2 = *cmrv::Quantity::Create(3, "tCO2");
  auto ch4 = *cmrv::Quantity::Create(1, "tCH4");
  auto co2e = *cmrv::Quantity::Create(1, "tCO2e");

  auto bad = cmrv::Add(co2, coal);
  REQUIRE_FALSE(bad.ok());
  CHECK(cmrv::GetErrorDetail(bad.status()) == cmrv::ErrorDetail::kIncompatibleUnits);
  CHECK(std::string(bad.status().message()) == "cannot add 100 t (mass of fuel or material) to 3 tCO2 (mass of CO2)");
  CHECK_FALSE(cmrv::Add(co2e, ch4).ok());

  // 3 tCO2 + 500 kgCO2 = 3.5 tCO2 (result in the left operand's unit).
  auto sum = cmrv::Add(co2, *cmrv::Quantity::Create(500, "kgCO2"));
  REQUIRE(sum.ok());
  CHECK(sum->value() == 3.5);
  CHECK(sum->ToString() == "3.5 tCO2");

  // 100 t × 20.908 GJ/t = 2090.8 GJ; the t cancels in the symbol.
  auto energy = cmrv::Multiply(coal, *cmrv::Quantity::Create(20.908, "GJ/t"));
  REQUIRE(energy.ok());
  CHECK(energy->unit().kind() == cmrv::Kind::Of(cmrv::Axis::kEnergy));
  CHECK(energy->ToString() == "2090.8 GJ");
  CHECK(Close(energy->To("TJ")->value(), 2.0908));

  auto zero = cmrv::Divide(coal, *cmrv::Quantity::Create(0, "h"));
  CHECK_FALSE(zero.ok());
  CHECK_FALSE(cmrv::Quantity::Create(std::numeric_limits<double>::quiet_NaN(), "t").ok());
}

TEST_CASE("round trips through every listed unit of a kind are consistent", "[units][property]") {
  // Property: for every pair of atoms of one kind, a→b→a returns the value to 1e-15 relative.
  const auto& units = cmrv::ListUnits();
  REQUIRE(units.size() >= 40);
  int pairs = 0;
  for (const auto& a : units) {
    for (const auto& b : units) {
      auto ua = U(a.symbol), ub = U(b.symbol);
      if (ua.kind() != ub.kind()) continue;
      auto there = cmrv::Convert(123.456, ua, ub);
      REQUIRE(there.ok());
      auto back = cmrv::Convert(*there, ub, ua);
      REQUIRE(back.ok());
      CHECK(std::abs(*back - 123.456) <= 1e-15 * 123.456 * 4);
      ++pairs;
    }
  }
  CHECK(pairs > 200);
}

TEST_CASE("every alias parses to its atom", "[units]") {
  for (const auto& info : cmrv::ListUnits()) {
    auto canonical = U(info.symbol);
    for (const auto& alias : info.aliases) {
      INFO(alias << " should equal " << info.symbol);
      auto u = U(alias);
      CHECK(u.kind() == canonical.kind());
      CHECK(u.scale() == canonical.scale());
    }
    CHECK_FALSE(info.source.empty());
  }
}

TEST_CASE("strided conversion validates before writing", "[units]") {
  struct Rec {
    int32_t id;
    double qty;
  };
  std::vector<Rec> recs = {{1, 1.0}, {2, 2.5}, {3, 10.0}};
  std::vector<double> out(3, -1.0);
  auto st =
      cmrv::ConvertStrided(U("万Nm3"), U("Nm3"), &recs[0].qty, sizeof(Rec), recs.size(), out.data(), sizeof(double));
  REQUIRE(st.ok());
  CHECK(out == std::vector<double>{1e4, 2.5e4, 1e5});

  recs[2].qty = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> untouched(3, -1.0);
  st = cmrv::ConvertStrided(U("t"), U("kg"), &recs[0].qty, sizeof(Rec), recs.size(), untouched.data(), sizeof(double));
  REQUIRE_FALSE(st.ok());
  CHECK(std::string(st.message()).find("element [2]") != std::string::npos);
  CHECK(untouched == std::vector<double>(3, -1.0));  // no partial result

  // In place, and bit-identical to the scalar path.
  std::vector<double> v = {0.5810, 0.6101, 0.5703};
  std::vector<double> scalar;
  for (double x : v) scalar.push_back(*cmrv::Convert(x, U("tCO2/MWh"), U("kgCO2/GJ")));
  REQUIRE(cmrv::ConvertStrided(U("tCO2/MWh"), U("kgCO2/GJ"), v.data(), 8, v.size(), v.data(), 8).ok());
  CHECK(v == scalar);
}

TEST_CASE("electricity conventions are explicit", "[units]") {
  // A plain unit conversion gives the thermodynamic 3.6/29.3076; the GB/T 2589 当量值 is the published
  // 0.1229, which differs in the 4th significant digit.
  double plain = *cmrv::Convert(1, "kWh", "kgce");
  double calorific =
      *cmrv::ElectricityToStandardCoal(1, U("kWh"), cmrv::ElectricityConvention::kCalorific, std::nullopt, U("kgce"));
  CHECK(Close(plain, 3.6 / 29.3076));
  CHECK(calorific == 0.1229);
  auto bad_rate =
      cmrv::ElectricityToStandardCoal(1, U("kWh"), cmrv::ElectricityConvention::kEquivalent, -0.3, U("kgce"));
  CHECK_FALSE(bad_rate.ok());
  auto rate_with_calorific =
      cmrv::ElectricityToStandardCoal(1, U("kWh"), cmrv::ElectricityConvention::kCalorific, 0.3, U("kgce"));
  CHECK_FALSE(rate_with_calorific.ok());
}

TEST_CASE("unknown units suggest near spellings", "[units]") {
  auto st = cmrv::Unit::Parse("tonn/h").status();
  CHECK(std::string(st.message()) == "unknown unit \"tonn\" (in \"tonn/h\"); did you mean \"t\"?");
  auto zh = cmrv::Unit::Parse("吨标煤煤").status();
  CHECK(std::string(zh.message()).find("did you mean \"tce\"") != std::string::npos);
  auto nothing = cmrv::Unit::Parse("xyzzyplugh").status();
  CHECK(std::string(nothing.message()) == "unknown unit \"xyzzyplugh\"");
}
