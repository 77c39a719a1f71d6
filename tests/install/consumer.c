/* Installed-tree consumer: checks header/library versions agree and converts one value. */
#include <math.h>
#include <stdio.h>

#include <carbonmrv.h>

int main(void) {
  cmrv_context* ctx = cmrv_context_create();
  double gj = 0.0;
  int ok;
  if (cmrv_version_number() != CMRV_VERSION_NUMBER) {
    fprintf(stderr, "header %s but library %s\n", CMRV_VERSION_STRING, cmrv_version_string());
    return 1;
  }
  ok = cmrv_unit_convert(ctx, 2.0, "tce", "GJ", &gj) == CMRV_OK && fabs(gj - 58.6152) < 1e-12;
  if (!ok) fprintf(stderr, "conversion failed: %s\n", cmrv_context_last_error_message(ctx));
  cmrv_context_destroy(ctx);
  printf("consumer: carbonmrv %s, 2 tce = %.4f GJ\n", cmrv_version_string(), gj);
  return ok ? 0 : 1;
}
