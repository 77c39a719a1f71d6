// libFuzzer target: batch columns. The input bytes are the records' codes, quantities, years and
// keys (interpreted as typed columns with fuzzed dtypes and strides, stride 0 included), computed
// under both policies with per-record outputs and groups.
#include <cstdint>
#include <cstring>
#include <vector>

#include "carbonmrv.h"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 8) return 0;
  // Header: dtypes of the carrier codes, the key and the year column, a stride switch and the policy.
  const int32_t code_type = data[0] % 8, key_type = data[1] % 8, year_type = data[2] % 8;
  const bool broadcast = data[3] & 1, with_year = data[3] & 2, skip = data[3] & 4;
  const uint8_t* body = data + 8;
  const size_t body_size = size - 8;
  const size_t n = body_size / 16;
  if (n == 0) return 0;
  // Each record: 8 bytes read as the quantity (double), 8 as code/key/year material.
  std::vector<double> quantity(n), out(n);
  std::vector<int64_t> material(n);
  for (size_t i = 0; i < n; ++i) {
    std::memcpy(&quantity[i], body + 16 * i, 8);
    std::memcpy(&material[i], body + 16 * i + 8, 8);
  }
  static const char* carriers[] = {"bituminous_coal", "natural_gas", "no such fuel"};
  static const char* units[] = {"short_ton", "scf", "kWh"};
  cmrv_context* ctx = cmrv_context_create();
  cmrv_batch_options* opt = nullptr;
  cmrv_batch_records* rec = nullptr;
  cmrv_batch_result* res = nullptr;
  cmrv_batch_options_create(ctx, &opt);
  cmrv_batch_options_set(ctx, opt, "region", "US");
  cmrv_batch_options_set(ctx, opt, "year", "2023");
  cmrv_batch_options_set(ctx, opt, "threads", "2");
  if (skip) cmrv_batch_options_set(ctx, opt, "policy", "skip");
  cmrv_batch_records_create(ctx, n, &rec);
  const size_t stride = broadcast ? 0 : sizeof(int64_t);
  // Integer columns over the same int64 material: the dtype picks how many low bytes are read.
  cmrv_fuzz::NotInternal(
      ctx, cmrv_batch_records_set_codes(ctx, rec, "carrier", code_type, material.data(), stride, carriers, 3));
  cmrv_fuzz::NotInternal(ctx,
                         cmrv_batch_records_set_codes(ctx, rec, "unit", code_type, material.data(), stride, units, 3));
  cmrv_fuzz::NotInternal(ctx, cmrv_batch_records_set_column(ctx, rec, "quantity", CMRV_DTYPE_FLOAT64, quantity.data(),
                                                            broadcast ? 0 : sizeof(double), nullptr));
  if (with_year) {
    cmrv_fuzz::NotInternal(
        ctx, cmrv_batch_records_set_column(ctx, rec, "year", year_type, material.data(), stride, nullptr));
  }
  cmrv_fuzz::NotInternal(ctx, cmrv_batch_records_add_key(ctx, rec, key_type, material.data(), sizeof(int64_t)));
  cmrv_fuzz::NotInternal(ctx, cmrv_batch_records_set_output(ctx, rec, "co2e_t", out.data(), sizeof(double)));
  if (cmrv_fuzz::NotInternal(ctx, cmrv_batch_compute(ctx, cmrv_fuzz::Catalogue(), opt, rec, &res)) == CMRV_OK) {
    size_t groups = 0;
    cmrv_batch_result_group_count(ctx, res, &groups);
    std::vector<double> sums(groups);
    std::vector<int64_t> keys(groups);
    if (groups > 0) {
      cmrv_fuzz::NotInternal(ctx,
                             cmrv_batch_result_group_values(ctx, res, "co2e_t", sums.data(), groups, sizeof(double)));
      cmrv_fuzz::NotInternal(ctx, cmrv_batch_result_group_keys(ctx, res, 0, keys.data(), groups, sizeof(int64_t)));
    }
    char* report = nullptr;
    if (cmrv_batch_result_report_json(ctx, res, &report) == CMRV_OK) cmrv_free(report);
  }
  cmrv_batch_result_destroy(res);
  cmrv_batch_records_destroy(rec);
  cmrv_batch_options_destroy(opt);
  cmrv_context_destroy(ctx);
  return 0;
}
