/* Converting an ERP's meter records with the C API: one context per thread, status codes checked,
 * messages read from the context, owned strings released with cmrv_free(). */
#include <math.h>
#include <stdio.h>

#include <carbonmrv.h>

struct meter_record {
  const char* meter;
  double quantity;
  const char* unit;
};

int main(void) {
  const struct meter_record records[] = {
      {"M03 natural gas", 86.4, "万Nm3"},
      {"M06 electricity", 312.5, "万千瓦时"},
      {"M09 typo", 12.0, "Nm3/"},
  };
  double nm3[3];
  double tce = 0.0;
  char* canonical = NULL;
  size_t i;
  cmrv_context* ctx = cmrv_context_create();
  if (ctx == NULL) return 1;
  if (cmrv_version_number() / 100 != CMRV_VERSION_NUMBER / 100) {
    fprintf(stderr, "built against carbonmrv %s but running %s\n", CMRV_VERSION_STRING, cmrv_version_string());
  }
  printf("carbonmrv %s\n", cmrv_version_string());

  for (i = 0; i < sizeof records / sizeof records[0]; ++i) {
    const struct meter_record* r = &records[i];
    const char* target = i == 1 ? "MWh" : "Nm3";
    double out = 0.0;
    if (cmrv_unit_normalize(ctx, r->unit, &canonical) != CMRV_OK) {
      printf("%-16s rejected: %s\n", r->meter, cmrv_context_last_error_message(ctx));
      continue;
    }
    if (cmrv_unit_convert(ctx, r->quantity, r->unit, target, &out) == CMRV_OK) {
      printf("%-16s %g %s (%s) = %g %s\n", r->meter, r->quantity, r->unit, canonical, out, target);
    }
    cmrv_free(canonical);
  }

  /* A column of an array of structs, read in place through a byte stride. */
  if (cmrv_unit_convert_array(ctx, "万Nm3", "Nm3", &records[0].quantity, sizeof records[0], 1, nm3, sizeof nm3[0]) ==
      CMRV_OK) {
    printf("strided: %g Nm3\n", nm3[0]);
  }

  /* Electricity in standard coal under GB/T 2589-2020 当量值 (0.1229 kgce/kWh). */
  if (cmrv_electricity_to_standard_coal(ctx, 312.5, "万千瓦时", CMRV_ELECTRICITY_CALORIFIC, (double)NAN, "tce", &tce) ==
      CMRV_OK) {
    printf("312.5 万kWh (当量值) = %g tce\n", tce);
  }
  cmrv_context_destroy(ctx);
  return 0;
}
