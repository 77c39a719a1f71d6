// C++ core: regressions of the malformed-input sweep (issue 19). Each case failed before its fix:
// a crash, an abort, undefined behaviour under UBSan, an internal error, or an OK result that misled.
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv/batch/batch.hpp"
#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/inventory/inventory.hpp"
#include "carbonmrv/region/region.hpp"
#include "carbonmrv/status.hpp"
#include "carbonmrv/units/units.hpp"
#include "carbonmrv/verification/verification.hpp"
#include "internal/threads.hpp"
#include "support/batch_options.hpp"
#include "support/cases.hpp"
#include "support/catalogue.hpp"

namespace {

using cmrv::batch::Column;
using cmrv_test::Catalogue;
using nlohmann::json;

}  // namespace

TEST_CASE("Hardening: every malformed document gets a clear error naming the field", "[hardening]") {
  const json cases = json::parse(cmrv_test::ReadData("malformed_cases.json"));
  for (const auto& c : cmrv_test::Counted(cases, "malformed_cases.json", "cases")) {
    INFO(c["name"].get<std::string>());
    const std::string text = cmrv_test::MalformedText(c), reader = c["reader"];
    absl::Status st;
    if (reader == "enterprise") st = cmrv::Enterprise::FromJson(text).status();
    if (reader == "inventory") st = cmrv::Inventory::FromJson(text).status();
    if (reader == "region") st = cmrv::CompareRegionJson(text, Catalogue()).status();
    INFO(st.ToString());
    CHECK(st.code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(st.message()).find(c["contains"].get<std::string>()) != std::string::npos);
  }
}

TEST_CASE("Hardening: a unit cannot wrap its exponents", "[hardening][units]") {
  std::string j256;
  for (int i = 0; i < 256; ++i) j256 += i ? "*J" : "J";
  auto u = cmrv::Unit::Parse(j256);
  REQUIRE_FALSE(u.ok());  // was: exponent 256 wrapped to 0, a dimensionless unit
  CHECK(cmrv::GetErrorDetail(u.status()) == cmrv::ErrorDetail::kUnitSyntax);
  CHECK(std::string(u.status().message()).find("exponent exceeds 12") != std::string::npos);
  CHECK(cmrv::Unit::Parse("J*J*J").ok());
}

TEST_CASE("Hardening: an overflow in apply_factor names the factor too", "[hardening][units]") {
  auto u = cmrv::Unit::Parse("t"), f = cmrv::Unit::Parse("GJ/t"), to = cmrv::Unit::Parse("GJ");
  REQUIRE((u.ok() && f.ok() && to.ok()));
  auto r = cmrv::ApplyFactor(1e300, *u, 1e10, *f, *to);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == absl::StatusCode::kOutOfRange);
  CHECK(std::string(r.status().message()) ==
        "1e+300 t × factor 1e+10 GJ/t in GJ is not representable as a finite double");
}

TEST_CASE("Hardening: a 10 MB unknown name fails without suggestions work", "[hardening][units]") {
  const std::string huge(10'000'000, 'q');  // took > 30 s in the edit-distance suggestions
  auto u = cmrv::Unit::Parse(huge);
  REQUIRE_FALSE(u.ok());
  CHECK(cmrv::GetErrorDetail(u.status()) == cmrv::ErrorDetail::kUnknownUnit);
  CHECK(std::string(u.status().message()).find("did you mean") == std::string::npos);
  CHECK_FALSE(cmrv::CarrierCatalogue::Builtin().Resolve(huge).ok());
  // Short typos keep their suggestion.
  CHECK(std::string(cmrv::Unit::Parse("tonn").status().message()).find("did you mean") != std::string::npos);
}

TEST_CASE("Hardening: override values are checked and change the dataset hash", "[hardening][factors]") {
  cmrv::FactorCatalogue cat = Catalogue();
  cmrv::FactorRecord r;
  r.dataset = "plant-lab-2024";
  r.carrier = "bituminous_coal";
  r.parameter = "ncv";
  r.value = -20.5;  // accepted before: the inventory total turned negative
  r.unit = "GJ/t";
  r.source_table = "lab report 17";
  r.source_row = "sample 3";
  auto st = cat.AddOverride(r);
  CHECK(st.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(st.message()) == "override: value: -20.5 is negative; a ncv cannot be");
  r.value = 0;
  CHECK(std::string(cat.AddOverride(r).message()) == "override: value: 0 is not a ncv; expected a value > 0");
  r.value = 20.5;
  REQUIRE(cat.AddOverride(r).ok());
  const std::string before = cat.FindDataset("plant-lab-2024")->sha256;
  r.value = 21.0;  // replaces the value of the same key
  REQUIRE(cat.AddOverride(r).ok());
  CHECK(cat.FindDataset("plant-lab-2024")->record_count == 1);
  CHECK(cat.FindDataset("plant-lab-2024")->sha256 != before);  // was unchanged
  r.parameter = "oxidation";
  r.unit = "%";
  r.value = 120;
  CHECK(std::string(cat.AddOverride(r).message()) == "override: value: 120 % is above 100 %");
}

TEST_CASE("Hardening: a dataset CSV with a negative factor or invalid UTF-8 is refused", "[hardening][factors]") {
  const std::string head =
      "# id: neg\n# title: t\n# document: d\n# class: user\ncarrier,parameter,gas,value,unit,source_table,source_row\n";
  cmrv::FactorCatalogue cat = Catalogue();
  auto st = cat.LoadDataset(head + "bituminous_coal,ef,co2,-94.6,tCO2/TJ,T1,r1\n", "neg.csv");
  CHECK(st.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(st.message()).find("neg.csv:6: column \"value\": -94.6 is negative") != std::string::npos);
  st = cat.LoadDataset(head + "bituminous_coal,ef,co2,94.6,tCO2/TJ,T1,r\xff\n", "utf.csv");
  CHECK(std::string(st.message()) == "utf.csv:6: not valid UTF-8");
}

TEST_CASE("Hardening: a duplicated reported line is a misstatement", "[hardening][verification]") {
  auto e = cmrv::Enterprise::FromJson(cmrv_test::ReadData("enterprises/hand_calc.json"));
  REQUIRE(e.ok());
  auto inv = cmrv::ComputeInventory(*e, Catalogue(), {});
  REQUIRE(inv.ok());
  cmrv::Inventory reported = *inv;
  reported.lines.push_back(reported.lines.front());
  const auto r = cmrv::Reconcile(reported, *inv);
  REQUIRE(r.by_part.count("duplicate") == 1);
  // The duplicate accounts for exactly the difference of the totals.
  CHECK(r.by_part.at("duplicate") == Approx(r.reported_total - r.recomputed_total).epsilon(1e-12));
  CHECK(r.by_part.at("duplicate") == inv->lines.front().co2e_t);
}

TEST_CASE("Hardening: an inventory that overflows is OUT_OF_RANGE, not inf", "[hardening][inventory]") {
  json doc = json::parse(cmrv_test::ReadData("enterprises/hand_calc.json"));
  doc["sources"][0]["activity"][0]["value"] = 1e308;
  auto e = cmrv::Enterprise::FromJson(doc.dump());
  REQUIRE(e.ok());
  auto inv = cmrv::ComputeInventory(*e, Catalogue(), {});
  REQUIRE_FALSE(inv.ok());
  CHECK(inv.status().code() == absl::StatusCode::kOutOfRange);
  CHECK(cmrv::GetErrorDetail(inv.status()) == cmrv::ErrorDetail::kOverflow);
  CHECK(std::string(inv.status().message()).find("sources[0]") == 0);
  CHECK(std::string(inv.status().message()).find("do not combine") == std::string::npos);
}

namespace {
struct Batch {
  std::vector<int32_t> carrier, unit;
  std::vector<double> quantity;
  cmrv::batch::Input Input() const {
    cmrv::batch::Input in;
    in.size = quantity.size();
    in.carrier = {Column::Of(carrier.data()), {"bituminous_coal"}};
    in.unit = {Column::Of(unit.data()), {"short_ton"}};
    in.quantity = Column::Of(quantity.data());
    return in;
  }
};
cmrv::batch::Options Us(unsigned threads = 2) { return cmrv_test::UsBatchOptions(threads); }
}  // namespace

TEST_CASE("Hardening: batch stride 0 is one value for every record", "[hardening][batch]") {
  // EPA hub 2021 bituminous coal: 2.34371916 tCO2e per short ton (test_batch.cpp works it by hand).
  const std::size_t n = 100000;
  const int32_t zero = 0;
  const double q = 10.0;
  cmrv::batch::Input in;
  in.size = n;
  in.carrier = {Column::Of(&zero, 0), {"bituminous_coal"}};
  in.unit = {Column::Of(&zero, 0), {"short_ton"}};
  in.quantity = Column::Of(&q, 0);  // was read as packed: out of bounds, then SIGSEGV
  std::vector<int64_t> key(n);
  for (std::size_t i = 0; i < n; ++i) key[i] = static_cast<int64_t>(i % 3);
  in.keys = {Column::Of(key.data())};
  auto r = cmrv::batch::Compute(in, Catalogue(), Us(), {});
  REQUIRE(r.ok());
  REQUIRE(r->groups.size() == 3);
  CHECK(r->groups.records[0] == 33334);
  CHECK(r->groups.co2e_t[0] == Approx(33334 * 23.4371916).epsilon(1e-12));
  // An output needs a real stride.
  std::vector<double> out(n);
  cmrv::batch::Output o;
  o.co2e_t = {out.data(), 0};
  CHECK(cmrv::batch::Compute(in, Catalogue(), Us(), o).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("Hardening: batch keys spanning more than INT64_MAX and a year of INT64_MIN", "[hardening][batch]") {
  Batch b{{0, 0, 0}, {0, 0, 0}, {1.0, 2.0, 3.0}};
  // A span of 1e19 combinations: beyond INT64_MAX (9.2e18), within 2^64 (the sparse path).
  std::vector<int64_t> key = {-5'000'000'000'000'000'000LL, 0, 5'000'000'000'000'000'000LL};
  auto in = b.Input();
  in.keys = {Column::Of(key.data())};
  auto r = cmrv::batch::Compute(in, Catalogue(), Us(), {});  // signed overflow under UBSan before
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  REQUIRE(r->groups.size() == 3);
  CHECK(cmrv_test::Plain(r->groups.keys[0]) == key);
  CHECK(r->groups.co2e_t[2] == Approx(3 * 2.34371916).epsilon(1e-12));
  std::vector<int64_t> year = {std::numeric_limits<int64_t>::min(), 2023, 2023};
  in = b.Input();
  in.year = Column::Of(year.data());
  auto opt = Us();
  opt.policy = cmrv::batch::Policy::kSkip;
  auto y = cmrv::batch::Compute(in, Catalogue(), opt, {});
  REQUIRE(y.ok());
  CHECK(y->report.counts.at("bad_year") == 1);
  CHECK(y->report.first_rows.at("bad_year") == std::vector<std::size_t>{0});
}

TEST_CASE("Hardening: a batch whose sums overflow is OUT_OF_RANGE", "[hardening][batch]") {
  Batch b{{0, 0}, {0, 0}, {1e308, 1e308}};  // each record: 2.3e308 > DBL_MAX
  std::vector<double> out(2, 0.0);
  cmrv::batch::Output o;
  o.co2e_t.data = out.data();
  auto r = cmrv::batch::Compute(b.Input(), Catalogue(), Us(), o);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == absl::StatusCode::kOutOfRange);
  CHECK(std::string(r.status().message()).find("record 0 exceeds the largest double") != std::string::npos);
  CHECK(std::isnan(out[0]));  // nothing partial survives
  // Finite records whose group sum overflows.
  Batch s{{0, 0}, {0, 0}, {5e307, 5e307}};
  std::vector<int64_t> key = {7, 7};
  auto in = s.Input();
  in.keys = {Column::Of(key.data())};
  auto g = cmrv::batch::Compute(in, Catalogue(), Us(), {});
  REQUIRE_FALSE(g.ok());
  CHECK(g.status().code() == absl::StatusCode::kOutOfRange);
}

TEST_CASE("Hardening: a worker thread that cannot start does not abort", "[hardening][batch][threads]") {
  std::vector<int32_t> c(600000, 0);
  std::vector<double> q(c.size(), 1.0);
  std::vector<int64_t> key(c.size());
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<int64_t>(i % 1000);
  Batch b{c, c, q};
  auto in = b.Input();
  in.keys = {Column::Of(key.data())};
  auto all = cmrv::batch::Compute(in, Catalogue(), Us(4), {});
  REQUIRE(all.ok());
  cmrv::internal::WorkerBudgetForTesting() = 0;  // the OS refuses every new thread (std::terminate before)
  auto none = cmrv::batch::Compute(in, Catalogue(), Us(4), {});
  cmrv::internal::WorkerBudgetForTesting() = -1;
  REQUIRE(none.ok());
  CHECK(none->groups.co2e_t == all->groups.co2e_t);  // same bits: the work is fixed by the input
}
