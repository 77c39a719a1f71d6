/* An ERP's own record array through the batch engine: columns are described in place (pointer, type,
 * stride), CO2e is written back into each record, and the totals per enterprise are read from the
 * result. Every status is checked; the context carries the message. */
#include <stdint.h>
#include <stdio.h>

#include <carbonmrv.h>

struct erp_record {
  int64_t enterprise; /* the ERP's own enterprise id */
  int8_t fuel;        /* index into fuels[] */
  int8_t unit;        /* index into units[] */
  double quantity;
  double co2e_t; /* written by the engine */
};

static int check(cmrv_context* ctx, cmrv_status st, const char* what) {
  if (st == CMRV_OK) return 0;
  fprintf(stderr, "%s: %s (%s)\n", what, cmrv_context_last_error_message(ctx), cmrv_status_name(st));
  return 1;
}

int main(void) {
  static const char* const fuels[] = {"bituminous_coal", "natural_gas", "distillate_fuel_oil_no2"};
  static const char* const units[] = {"short_ton", "scf", "gal"};
  struct erp_record r[] = {
      {91001, 0, 0, 1200.0, 0}, {91001, 1, 1, 2.5e7, 0}, {91002, 2, 2, 48000.0, 0},
      {91002, 0, 0, 300.0, 0},  {91003, 1, 1, 8.0e6, 0},
  };
  const size_t n = sizeof r / sizeof r[0];
  cmrv_context* ctx = cmrv_context_create();
  cmrv_factor_catalogue* cat = NULL;
  cmrv_batch_options* opt = NULL;
  cmrv_batch_records* rec = NULL;
  cmrv_batch_result* res = NULL;
  int64_t ids[8];
  double sums[8];
  size_t i, groups = 0;
  int failed = 0;
  if (ctx == NULL) return 1;
  failed =
      check(ctx, cmrv_factor_catalogue_open_builtin(ctx, &cat), "catalogue") ||
      check(ctx, cmrv_batch_options_create(ctx, &opt), "options") ||
      check(ctx, cmrv_batch_options_set(ctx, opt, "region", "US"), "region") ||
      check(ctx, cmrv_batch_options_set(ctx, opt, "year", "2023"), "year") ||
      check(ctx, cmrv_batch_options_set(ctx, opt, "method", "energy_ef"), "method") ||
      check(ctx, cmrv_batch_options_set(ctx, opt, "group_values", "co2e_t"), "group_values") ||
      check(ctx, cmrv_batch_records_create(ctx, n, &rec), "records") ||
      check(ctx, cmrv_batch_records_set_codes(ctx, rec, "carrier", CMRV_DTYPE_INT8, &r[0].fuel, sizeof r[0], fuels, 3),
            "carrier") ||
      check(ctx, cmrv_batch_records_set_codes(ctx, rec, "unit", CMRV_DTYPE_INT8, &r[0].unit, sizeof r[0], units, 3),
            "unit") ||
      check(ctx,
            cmrv_batch_records_set_column(ctx, rec, "quantity", CMRV_DTYPE_FLOAT64, &r[0].quantity, sizeof r[0], NULL),
            "quantity") ||
      check(ctx, cmrv_batch_records_add_key(ctx, rec, CMRV_DTYPE_INT64, &r[0].enterprise, sizeof r[0]), "key") ||
      check(ctx, cmrv_batch_records_set_output(ctx, rec, "co2e_t", &r[0].co2e_t, sizeof r[0]), "output") ||
      check(ctx, cmrv_batch_compute(ctx, cat, opt, rec, &res), "compute") ||
      check(ctx, cmrv_batch_result_group_count(ctx, res, &groups), "groups");
  if (!failed && groups <= 8) {
    failed = check(ctx, cmrv_batch_result_group_keys(ctx, res, 0, ids, 8, sizeof ids[0]), "keys") ||
             check(ctx, cmrv_batch_result_group_values(ctx, res, "co2e_t", sums, 8, sizeof sums[0]), "sums");
  }
  if (!failed) {
    printf("record  enterprise  %-24s %20s %12s\n", "carrier", "quantity", "tCO2e");
    for (i = 0; i < n; ++i) {
      printf("%6u  %10lld  %-24s %10.1f %-9s %12.3f\n", (unsigned)i, (long long)r[i].enterprise, fuels[r[i].fuel],
             r[i].quantity, units[r[i].unit], r[i].co2e_t);
    }
    printf("\nenterprise  tCO2e (EPA GHG Emission Factors Hub 2021, AR5)\n");
    for (i = 0; i < groups; ++i) printf("%10lld  %12.3f\n", (long long)ids[i], sums[i]);
  }
  cmrv_batch_result_destroy(res);
  cmrv_batch_records_destroy(rec);
  cmrv_batch_options_destroy(opt);
  cmrv_factor_catalogue_destroy(cat);
  cmrv_context_destroy(ctx);
  return failed;
}
