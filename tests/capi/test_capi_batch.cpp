// C API: the batch engine over an ERP's own record array (strided columns of mixed types), group
// results, per-record outputs written into the records, policies and misuse.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv.h"

namespace {

// How an ERP might hold its records: one struct per record, columns interleaved, outputs alongside.
struct Record {
  int64_t enterprise;
  int8_t fuel;
  int8_t unit;
  int16_t month;
  double quantity;
  double co2e;  // written by the engine
};

struct Fixture {
  cmrv_context* ctx = cmrv_context_create();
  cmrv_factor_catalogue* cat = nullptr;
  cmrv_batch_options* opt = nullptr;
  cmrv_batch_records* rec = nullptr;
  cmrv_batch_result* res = nullptr;
  Fixture() {
    REQUIRE(cmrv_factor_catalogue_open_builtin(ctx, &cat) == CMRV_OK);
    REQUIRE(cmrv_batch_options_create(ctx, &opt) == CMRV_OK);
    REQUIRE(cmrv_batch_options_set(ctx, opt, "region", "US") == CMRV_OK);
    REQUIRE(cmrv_batch_options_set(ctx, opt, "year", "2023") == CMRV_OK);
    REQUIRE(cmrv_batch_options_set(ctx, opt, "method", "energy_ef") == CMRV_OK);
    // The method is checked when it is set (0.2), not per tuple.
    CHECK(cmrv_batch_options_set(ctx, opt, "method", "energy") == CMRV_ERR_INVALID_ARGUMENT);
    CHECK(std::string(cmrv_context_last_error_message(ctx)) ==
          "method \"energy\" is not one of default_factor, energy_ef, measured_carbon");
  }
  void Describe(std::vector<Record>& r) {
    cmrv_batch_records_destroy(rec);
    REQUIRE(cmrv_batch_records_create(ctx, r.size(), &rec) == CMRV_OK);
    REQUIRE(cmrv_batch_records_set_codes(ctx, rec, "carrier", CMRV_DTYPE_INT8, &r[0].fuel, sizeof(Record), kCarriers,
                                         2) == CMRV_OK);
    REQUIRE(cmrv_batch_records_set_codes(ctx, rec, "unit", CMRV_DTYPE_INT8, &r[0].unit, sizeof(Record), kUnits, 2) ==
            CMRV_OK);
    REQUIRE(cmrv_batch_records_set_column(ctx, rec, "quantity", CMRV_DTYPE_FLOAT64, &r[0].quantity, sizeof(Record),
                                          nullptr) == CMRV_OK);
    REQUIRE(cmrv_batch_records_add_key(ctx, rec, CMRV_DTYPE_INT64, &r[0].enterprise, sizeof(Record)) == CMRV_OK);
    REQUIRE(cmrv_batch_records_set_output(ctx, rec, "co2e_t", &r[0].co2e, sizeof(Record)) == CMRV_OK);
  }
  ~Fixture() {
    cmrv_batch_result_destroy(res);
    cmrv_batch_records_destroy(rec);
    cmrv_batch_options_destroy(opt);
    cmrv_factor_catalogue_destroy(cat);
    cmrv_context_destroy(ctx);
  }
  static constexpr const char* kCarriers[] = {"bituminous_coal", "natural_gas"};
  static constexpr const char* kUnits[] = {"short_ton", "scf"};
};

}  // namespace

TEST_CASE("C API: batch over strided ERP records, groups and per-record outputs", "[capi][batch]") {
  Fixture f;
  std::vector<Record> recs = {{9001, 0, 0, 1, 10.0, 0}, {42, 1, 1, 1, 1e6, 0}, {9001, 0, 0, 2, 5.0, 0}};
  f.Describe(recs);
  REQUIRE(cmrv_batch_compute(f.ctx, f.cat, f.opt, f.rec, &f.res) == CMRV_OK);
  size_t valid = 0, skipped = 9;
  REQUIRE(cmrv_batch_result_counts(f.ctx, f.res, &valid, &skipped) == CMRV_OK);
  CHECK(valid == 3);
  CHECK(skipped == 0);
  // EPA hub 2021, bituminous coal per short ton: 24.93 MMBtu × 93.28 kgCO2 = 2.3254704 tCO2;
  // CH4 24.93 × 11 g × 28 (AR5) = 0.00767844; N2O 24.93 × 1.6 g × 265 = 0.01057032 → 2.34371916 tCO2e.
  CHECK(std::abs(recs[0].co2e - 23.4371916) <= 1e-12 * 23.4371916);
  CHECK(std::abs(recs[2].co2e - 11.7185958) <= 1e-12 * 11.7185958);
  // Natural gas: 0.001026 MMBtu/scf × 53.06 kg = 0.05443956 kgCO2; CH4 1.026e-3 × 1 g × 28, N2O
  // 1.026e-3 × 0.1 g × 265 → 0.05443956 + 0.000028728 + 0.000027189 = 0.054495477 kgCO2e per scf.
  CHECK(std::abs(recs[1].co2e - 54.495477) <= 1e-12 * 54.495477);
  size_t groups = 0;
  REQUIRE(cmrv_batch_result_group_count(f.ctx, f.res, &groups) == CMRV_OK);
  REQUIRE(groups == 2);
  int64_t keys[2];
  double co2e[2], n[2];
  REQUIRE(cmrv_batch_result_group_keys(f.ctx, f.res, 0, keys, 2, sizeof(int64_t)) == CMRV_OK);
  REQUIRE(cmrv_batch_result_group_values(f.ctx, f.res, "co2e_t", co2e, 2, sizeof(double)) == CMRV_OK);
  REQUIRE(cmrv_batch_result_group_values(f.ctx, f.res, "records", n, 2, sizeof(double)) == CMRV_OK);
  CHECK(keys[0] == 42);  // key order
  CHECK(keys[1] == 9001);
  // A buffer smaller than the group count, or an output stride of 0, is refused and nothing is written.
  double small[1] = {-1.0};
  CHECK(cmrv_batch_result_group_values(f.ctx, f.res, "co2e_t", small, 1, sizeof(double)) == CMRV_ERR_OUT_OF_RANGE);
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) ==
        "capacity 1 is below the 2 groups (cmrv_batch_result_group_count)");
  CHECK(small[0] == -1.0);
  CHECK(cmrv_batch_result_group_keys(f.ctx, f.res, 0, keys, 2, 0) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(co2e[0] == recs[1].co2e);
  CHECK(co2e[1] == recs[0].co2e + recs[2].co2e);
  CHECK(n[1] == 2.0);
  char* report = nullptr;
  REQUIRE(cmrv_batch_result_report_json(f.ctx, f.res, &report) == CMRV_OK);
  const auto rep = nlohmann::json::parse(report);
  cmrv_free(report);
  CHECK(rep["factors"].size() == 2);
  CHECK(rep["factors"][0]["terms"][1]["name"] == "HHV");
  // Only CO2e per group, by option: asking for CO2 is then an error, not a zero.
  REQUIRE(cmrv_batch_options_set(f.ctx, f.opt, "group_values", "co2e_t") == CMRV_OK);
  cmrv_batch_result_destroy(f.res);
  REQUIRE(cmrv_batch_compute(f.ctx, f.cat, f.opt, f.rec, &f.res) == CMRV_OK);
  CHECK(cmrv_batch_result_group_values(f.ctx, f.res, "co2_t", co2e, 2, sizeof(double)) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) ==
        "group value \"co2_t\" was not computed (see the group_values option)");
}

TEST_CASE("C API: group sums across chunks equal one call, with the reports merged", "[capi][batch]") {
  Fixture f;
  // Five records in two chunks; record 3 (chunk 2's row 0) has a negative quantity and is skipped.
  std::vector<Record> all = {{9001, 0, 0, 1, 10.0, 0},
                             {42, 1, 1, 1, 1e6, 0},
                             {9001, 0, 0, 2, 5.0, 0},
                             {42, 0, 0, 2, -1.0, 0},
                             {7, 1, 1, 3, 2e6, 0}};
  REQUIRE(cmrv_batch_options_set(f.ctx, f.opt, "policy", "skip") == CMRV_OK);
  f.Describe(all);
  REQUIRE(cmrv_batch_compute(f.ctx, f.cat, f.opt, f.rec, &f.res) == CMRV_OK);
  double whole[3];
  REQUIRE(cmrv_batch_result_group_values(f.ctx, f.res, "co2e_t", whole, 3, sizeof(double)) == CMRV_OK);
  cmrv_batch_group_sums* sums = nullptr;
  REQUIRE(cmrv_batch_group_sums_create(f.ctx, &sums) == CMRV_OK);
  std::vector<Record> first(all.begin(), all.begin() + 3), second(all.begin() + 3, all.end());
  for (auto* chunk : {&first, &second}) {
    f.Describe(*chunk);
    cmrv_batch_result* part = nullptr;
    REQUIRE(cmrv_batch_compute(f.ctx, f.cat, f.opt, f.rec, &part) == CMRV_OK);
    REQUIRE(cmrv_batch_group_sums_add(f.ctx, sums, part) == CMRV_OK);
    cmrv_batch_result_destroy(part);  // the sums keep what they need
  }
  size_t groups = 0;
  uint64_t records = 0;
  REQUIRE(cmrv_batch_group_sums_counts(f.ctx, sums, &groups, &records) == CMRV_OK);
  CHECK(groups == 3);  // enterprises 7, 42, 9001
  CHECK(records == 5);
  cmrv_batch_result* taken = nullptr;
  REQUIRE(cmrv_batch_group_sums_take(f.ctx, sums, &taken) == CMRV_OK);
  int64_t keys[3];
  double co2e[3], n[3];
  REQUIRE(cmrv_batch_result_group_keys(f.ctx, taken, 0, keys, 3, sizeof(int64_t)) == CMRV_OK);
  REQUIRE(cmrv_batch_result_group_values(f.ctx, taken, "co2e_t", co2e, 3, sizeof(double)) == CMRV_OK);
  REQUIRE(cmrv_batch_result_group_values(f.ctx, taken, "records", n, 3, sizeof(double)) == CMRV_OK);
  CHECK(keys[0] == 7);
  CHECK(keys[1] == 42);
  CHECK(keys[2] == 9001);
  // Each group's records lie in one chunk here, so the sums are the one-call sums to the bit:
  // 2e6 scf × 0.054495477 kg = 108.990954 t; 54.495477 t; 23.4371916 + 11.7185958 t.
  for (int i = 0; i < 3; ++i) CHECK(co2e[i] == whole[i]);
  CHECK(std::abs(co2e[0] - 108.990954) <= 1e-12 * 108.990954);
  CHECK(n[1] == 1.0);
  size_t valid = 0, skipped = 0;
  REQUIRE(cmrv_batch_result_counts(f.ctx, taken, &valid, &skipped) == CMRV_OK);
  CHECK(valid == 4);
  CHECK(skipped == 1);
  char* report = nullptr;
  REQUIRE(cmrv_batch_result_report_json(f.ctx, taken, &report) == CMRV_OK);
  const auto rep = nlohmann::json::parse(report);
  cmrv_free(report);
  CHECK(rep["first_rows"]["negative"] == nlohmann::json::array({3}));  // a position in the whole stream
  REQUIRE(rep["factors"].size() == 2);  // coal (2 + 0 valid records) and gas (1 + 1), each once
  CHECK(rep["factors"][0]["records"] == 2);
  CHECK(rep["factors"][1]["records"] == 2);
  cmrv_batch_result_destroy(taken);
  // Emptied by take; misuse is a clear error.
  REQUIRE(cmrv_batch_group_sums_counts(f.ctx, sums, &groups, nullptr) == CMRV_OK);
  CHECK(groups == 0);
  CHECK(cmrv_batch_group_sums_add(f.ctx, sums, nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) == "result is NULL");
  CHECK(cmrv_batch_group_sums_take(f.ctx, nullptr, &taken) == CMRV_ERR_INVALID_ARGUMENT);
  cmrv_batch_group_sums_destroy(sums);
  cmrv_batch_group_sums_destroy(nullptr);
}

TEST_CASE("C API: batch policies and misuse", "[capi][batch]") {
  Fixture f;
  std::vector<Record> recs = {{1, 0, 0, 1, 10.0, 0}, {1, 0, 0, 1, -1.0, 0}, {1, 7, 0, 1, 1.0, 0}};
  f.Describe(recs);
  CHECK(cmrv_batch_compute(f.ctx, f.cat, f.opt, f.rec, &f.res) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.res == nullptr);
  const std::string msg = cmrv_context_last_error_message(f.ctx);
  CHECK(msg.find("2 invalid record(s); nothing computed:") == 0);
  CHECK(msg.find("negative: 1 record(s), first rows 1") != std::string::npos);
  CHECK(std::isnan(recs[0].co2e));  // nothing partial survives a rejected batch
  REQUIRE(cmrv_batch_options_set(f.ctx, f.opt, "policy", "skip") == CMRV_OK);
  REQUIRE(cmrv_batch_compute(f.ctx, f.cat, f.opt, f.rec, &f.res) == CMRV_OK);
  CHECK(std::isnan(recs[1].co2e));
  CHECK(recs[0].co2e > 0);
  CHECK(cmrv_batch_options_set(f.ctx, f.opt, "year", "20x3") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_batch_options_set(f.ctx, f.opt, "policy", "maybe") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_batch_options_set(f.ctx, f.opt, "colour", "red") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_batch_options_set(f.ctx, f.opt, "group_values", "co2e_t,methane") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) ==
        "group_values: \"methane\" is not one of co2_t, ch4_t, n2o_t, co2e_t, records");
  CHECK(cmrv_batch_records_set_codes(f.ctx, f.rec, "fuel", CMRV_DTYPE_INT8, &recs[0].fuel, sizeof(Record),
                                     Fixture::kCarriers, 2) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_batch_records_set_codes(f.ctx, f.rec, "carrier", CMRV_DTYPE_FLOAT64, &recs[0].quantity, sizeof(Record),
                                     Fixture::kCarriers, 2) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) == "carrier codes must have an integer dtype");
  CHECK(cmrv_batch_records_set_column(f.ctx, f.rec, "ncv", CMRV_DTYPE_FLOAT64, &recs[0].quantity, sizeof(Record),
                                      nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) == "unit (of the measured ncv) is NULL");
  CHECK(cmrv_batch_records_set_column(f.ctx, f.rec, "quantity", 42, &recs[0].quantity, 0, nullptr) ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) ==
        "dtype 42 is not a cmrv_dtype (CMRV_DTYPE_INT8 .. CMRV_DTYPE_FLOAT64)");
  CHECK(cmrv_batch_records_add_key(f.ctx, f.rec, CMRV_DTYPE_INT32, nullptr, 4) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) == "key data is NULL");
  CHECK(cmrv_batch_compute(f.ctx, f.cat, f.opt, nullptr, &f.res) == CMRV_ERR_INVALID_ARGUMENT);  // records
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) == "records is NULL");
  CHECK(cmrv_batch_result_group_keys(f.ctx, f.res, 3, nullptr, 0, 8) == CMRV_ERR_INVALID_ARGUMENT);
}

namespace {

struct Calls {
  std::vector<std::pair<uint64_t, uint64_t>> seen;
  int cancel_at_end = 0;
};

int OnProgress(void* user, uint64_t done, uint64_t total) {
  auto* c = static_cast<Calls*>(user);
  c->seen.emplace_back(done, total);
  return done == total ? c->cancel_at_end : 0;
}

}  // namespace

TEST_CASE("C API: batch progress is reported, changes nothing, and cancels", "[capi][batch]") {
  Fixture f;
  // 200 000 records of the two fuels over 1 000 enterprises.
  std::vector<Record> recs(200000);
  for (std::size_t i = 0; i < recs.size(); ++i) {
    recs[i] = {static_cast<int64_t>(i % 1000),    static_cast<int8_t>(i % 2),
               static_cast<int8_t>(i % 2),        1,
               1.0 + static_cast<double>(i % 97), 0};
  }
  f.Describe(recs);
  REQUIRE(cmrv_batch_compute(f.ctx, f.cat, f.opt, f.rec, &f.res) == CMRV_OK);
  std::vector<double> plain(recs.size());
  for (std::size_t i = 0; i < recs.size(); ++i) plain[i] = recs[i].co2e;
  Calls calls;
  REQUIRE(cmrv_batch_options_set_progress(f.ctx, f.opt, OnProgress, &calls) == CMRV_OK);
  cmrv_batch_result* again = nullptr;
  REQUIRE(cmrv_batch_compute(f.ctx, f.cat, f.opt, f.rec, &again) == CMRV_OK);
  cmrv_batch_result_destroy(again);
  REQUIRE(!calls.seen.empty());
  CHECK(calls.seen.back() == std::make_pair(uint64_t{200000}, uint64_t{200000}));  // the final call
  for (std::size_t k = 1; k < calls.seen.size(); ++k) CHECK(calls.seen[k].first >= calls.seen[k - 1].first);
  for (std::size_t i = 0; i < recs.size(); ++i) {
    if (recs[i].co2e != plain[i]) FAIL("record " << i << " changed with progress reporting");
  }
  // A non-zero return cancels: CMRV_ERR_CANCELLED, and the per-record outputs hold NaN (nothing partial).
  calls.cancel_at_end = 1;
  CHECK(cmrv_batch_compute(f.ctx, f.cat, f.opt, f.rec, &again) == CMRV_ERR_CANCELLED);
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) ==
        "batch: cancelled by the progress callback after 200000 of 200000 records; nothing computed");
  CHECK(std::isnan(recs[0].co2e));
  CHECK(std::isnan(recs.back().co2e));
  // NULL removes it.
  REQUIRE(cmrv_batch_options_set_progress(f.ctx, f.opt, nullptr, nullptr) == CMRV_OK);
  REQUIRE(cmrv_batch_compute(f.ctx, f.cat, f.opt, f.rec, &again) == CMRV_OK);
  cmrv_batch_result_destroy(again);
  CHECK(recs[0].co2e == plain[0]);
  CHECK(cmrv_batch_options_set_progress(f.ctx, nullptr, OnProgress, &calls) == CMRV_ERR_INVALID_ARGUMENT);
}

TEST_CASE("C API: group keys as levels and codes, by option", "[capi][batch]") {
  Fixture f;
  // Keys (enterprise, month). Groups in key order: (42, 1), (9001, 1), (9001, 2).
  std::vector<Record> recs = {{9001, 0, 0, 1, 10.0, 0}, {42, 1, 1, 1, 1e6, 0}, {9001, 0, 0, 2, 5.0, 0}};
  f.Describe(recs);
  REQUIRE(cmrv_batch_records_add_key(f.ctx, f.rec, CMRV_DTYPE_INT16, &recs[0].month, sizeof(Record)) == CMRV_OK);
  // The default returns values: levels and codes are then refused, naming the option.
  REQUIRE(cmrv_batch_compute(f.ctx, f.cat, f.opt, f.rec, &f.res) == CMRV_OK);
  size_t count = 9;
  CHECK(cmrv_batch_result_group_levels(f.ctx, f.res, 0, nullptr, 0, &count) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) ==
        "group levels and codes were not computed (see the group_keys option)");
  CHECK(cmrv_batch_options_set(f.ctx, f.opt, "group_keys", "codes") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) ==
        "group_keys \"codes\" is not \"values\" or \"levels_codes\"");
  REQUIRE(cmrv_batch_options_set(f.ctx, f.opt, "group_keys", "levels_codes") == CMRV_OK);
  cmrv_batch_result_destroy(f.res);
  REQUIRE(cmrv_batch_compute(f.ctx, f.cat, f.opt, f.rec, &f.res) == CMRV_OK);
  size_t groups = 0;
  REQUIRE(cmrv_batch_result_group_count(f.ctx, f.res, &groups) == CMRV_OK);
  REQUIRE(groups == 3);
  // Levels: the number first (out NULL, capacity 0), then the values; a short buffer is refused.
  REQUIRE(cmrv_batch_result_group_levels(f.ctx, f.res, 0, nullptr, 0, &count) == CMRV_OK);
  CHECK(count == 2);
  int64_t levels[2] = {-1, -1};
  CHECK(cmrv_batch_result_group_levels(f.ctx, f.res, 0, levels, 1, &count) == CMRV_ERR_OUT_OF_RANGE);
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) == "capacity 1 is below the 2 levels of key column 0");
  CHECK(levels[0] == -1);
  REQUIRE(cmrv_batch_result_group_levels(f.ctx, f.res, 0, levels, 2, &count) == CMRV_OK);
  CHECK(levels[0] == 42);
  CHECK(levels[1] == 9001);
  REQUIRE(cmrv_batch_result_group_levels(f.ctx, f.res, 1, levels, 2, &count) == CMRV_OK);
  CHECK(count == 2);
  CHECK(levels[0] == 1);
  CHECK(levels[1] == 2);
  // Codes into a caller's struct array (stride 8: two int32 per group).
  struct Codes {
    int32_t enterprise, month;
  } codes[3] = {};
  REQUIRE(cmrv_batch_result_group_codes(f.ctx, f.res, 0, &codes[0].enterprise, 3, sizeof(Codes)) == CMRV_OK);
  REQUIRE(cmrv_batch_result_group_codes(f.ctx, f.res, 1, &codes[0].month, 3, sizeof(Codes)) == CMRV_OK);
  CHECK((codes[0].enterprise == 0 && codes[1].enterprise == 1 && codes[2].enterprise == 1));
  CHECK((codes[0].month == 0 && codes[1].month == 0 && codes[2].month == 1));
  CHECK(cmrv_batch_result_group_codes(f.ctx, f.res, 2, &codes[0].month, 3, sizeof(Codes)) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) == "key_index 2 is not below the 2 key column(s)");
  // Keys are still given as values, decoded from the levels: (42, 1), (9001, 1), (9001, 2).
  int64_t ent[3], month[3];
  REQUIRE(cmrv_batch_result_group_keys(f.ctx, f.res, 0, ent, 3, sizeof(int64_t)) == CMRV_OK);
  REQUIRE(cmrv_batch_result_group_keys(f.ctx, f.res, 1, month, 3, sizeof(int64_t)) == CMRV_OK);
  CHECK((ent[0] == 42 && ent[1] == 9001 && ent[2] == 9001));
  CHECK((month[0] == 1 && month[1] == 1 && month[2] == 2));
  // The sums by group, as in the first test's hand calculation (EPA hub 2021, AR5): natural gas 1e6 scf
  // 54.495477 t; bituminous coal 10 and 5 short tons 23.4371916 and 11.7185958 t.
  double co2e[3];
  REQUIRE(cmrv_batch_result_group_values(f.ctx, f.res, "co2e_t", co2e, 3, sizeof(double)) == CMRV_OK);
  CHECK(std::abs(co2e[0] - 54.495477) <= 1e-12 * 54.495477);
  CHECK(std::abs(co2e[1] - 23.4371916) <= 1e-12 * 23.4371916);
  CHECK(std::abs(co2e[2] - 11.7185958) <= 1e-12 * 11.7185958);
  // Group sums across calls merge by key value, so they refuse levels and codes.
  cmrv_batch_group_sums* sums = nullptr;
  REQUIRE(cmrv_batch_group_sums_create(f.ctx, &sums) == CMRV_OK);
  CHECK(cmrv_batch_group_sums_add(f.ctx, sums, f.res) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) ==
        "groups with their keys as levels and codes cannot be summed across calls; compute them with the keys as "
        "values (GroupKeys::kValues, option group_keys \"values\")");
  cmrv_batch_group_sums_destroy(sums);
}

TEST_CASE("C API: the memory pool can be read, emptied and bounded", "[capi][batch]") {
  Fixture f;
  size_t held = 1, budget = 0, released = 0;
  REQUIRE(cmrv_memory_pool_status(f.ctx, &held, &budget) == CMRV_OK);
  CHECK(budget == size_t{256} << 20);                            // the default, 256 MiB
  REQUIRE(cmrv_memory_pool_release(f.ctx, nullptr) == CMRV_OK);  // either output may be NULL
  REQUIRE(cmrv_memory_pool_status(f.ctx, &held, nullptr) == CMRV_OK);
  CHECK(held == 0);
  // 40 000 enterprises, one record each: 40 000 groups, so each group column (co2_t, ch4_t, n2o_t,
  // co2e_t, records; 8 bytes a group, 320 000 bytes) is over the 256 KiB from which columns are pooled.
  std::vector<Record> recs(40'000);
  for (std::size_t i = 0; i < recs.size(); ++i) recs[i] = {static_cast<int64_t>(i), 0, 0, 1, 1.0, 0};
  f.Describe(recs);
  REQUIRE(cmrv_batch_compute(f.ctx, f.cat, f.opt, f.rec, &f.res) == CMRV_OK);
  size_t groups = 0;
  REQUIRE(cmrv_batch_result_group_count(f.ctx, f.res, &groups) == CMRV_OK);
  REQUIRE(groups == 40'000);
  cmrv_batch_result_destroy(f.res);
  f.res = nullptr;
  REQUIRE(cmrv_memory_pool_status(f.ctx, &held, nullptr) == CMRV_OK);
  CHECK(held >= 5 * 320'000);  // the five columns, and the call's group table
  REQUIRE(cmrv_memory_pool_release(f.ctx, &released) == CMRV_OK);
  CHECK(released == held);
  REQUIRE(cmrv_memory_pool_status(f.ctx, &held, nullptr) == CMRV_OK);
  CHECK(held == 0);
  // Budget 0: nothing freed is kept. The default back: the same call's memory is kept again.
  REQUIRE(cmrv_memory_pool_set_budget(f.ctx, 0) == CMRV_OK);
  REQUIRE(cmrv_batch_compute(f.ctx, f.cat, f.opt, f.rec, &f.res) == CMRV_OK);
  cmrv_batch_result_destroy(f.res);
  f.res = nullptr;
  REQUIRE(cmrv_memory_pool_status(f.ctx, &held, &budget) == CMRV_OK);
  CHECK(held == 0);
  CHECK(budget == 0);
  REQUIRE(cmrv_memory_pool_set_budget(f.ctx, size_t{256} << 20) == CMRV_OK);
  REQUIRE(cmrv_batch_compute(f.ctx, f.cat, f.opt, f.rec, &f.res) == CMRV_OK);
  cmrv_batch_result_destroy(f.res);
  f.res = nullptr;
  REQUIRE(cmrv_memory_pool_status(f.ctx, &held, &budget) == CMRV_OK);
  CHECK(held >= 5 * 320'000);
  CHECK(budget == size_t{256} << 20);
}
