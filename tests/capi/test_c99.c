/* Strict C99 consumer of carbonmrv.h: compiled with -std=c99 -pedantic -Werror, so the public header
 * must stay valid C; it also runs a few calls as a C program would. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "carbonmrv.h"

static int passed = 0, failed = 0;
#define EXPECT(cond)                                                      \
  do {                                                                    \
    if (cond) {                                                           \
      ++passed;                                                           \
    } else {                                                              \
      ++failed;                                                           \
      fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
    }                                                                     \
  } while (0)

/* The deprecation macro expands to valid C99 (a declaration that is never called warns nowhere). */
CMRV_DEPRECATED("test only: replaced by nothing") int cmrv_test_deprecated_prototype(void);

int main(void) {
  cmrv_context* ctx = cmrv_context_create();
  double gj = 0.0, out = 0.0;
  char* sym = NULL;
  EXPECT(ctx != NULL);
  EXPECT(cmrv_version_number() == CMRV_VERSION_NUMBER);
  /* 1 tce = 29.3076 GJ (GB/T 2589-2020). */
  EXPECT(cmrv_unit_convert(ctx, 1.0, "tce", "GJ", &gj) == CMRV_OK);
  EXPECT(fabs(gj - 29.3076) < 1e-12);
  /* Kind error with a message, output untouched. */
  out = -1.0;
  EXPECT(cmrv_unit_convert(ctx, 1.0, "tCH4", "tCO2e", &out) == CMRV_ERR_INVALID_ARGUMENT);
  EXPECT(cmrv_context_last_error_detail(ctx) == CMRV_DETAIL_INCOMPATIBLE_UNITS);
  EXPECT(strstr(cmrv_context_last_error_message(ctx), "GWP") != NULL);
  EXPECT(out == -1.0);
  EXPECT(cmrv_unit_normalize(ctx, "\xe4\xb8\x87\xe5\x90\xa8", &sym) == CMRV_OK); /* 万吨 */
  EXPECT(sym != NULL && strcmp(sym, "10^4 t") == 0);
  cmrv_free(sym);
  EXPECT(cmrv_unit_convert(NULL, 1.0, "t", "kg", &out) == CMRV_ERR_INVALID_ARGUMENT);
  cmrv_context_destroy(ctx);
  printf("c99: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
