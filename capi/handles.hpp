// Opaque C handles shared by more than one C API translation unit.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "carbonmrv.h"
#include "carbonmrv/enterprise.hpp"
#include "carbonmrv/factors.hpp"

struct cmrv_factor_catalogue {
  cmrv::FactorCatalogue catalogue;
};

// The builder edits a document and the core validates it, so built and loaded enterprises get the
// same checks and the same JSON paths in errors.
struct cmrv_enterprise {
  nlohmann::json doc;
  std::optional<cmrv::Enterprise> parsed;
};

namespace cmrv::capi {

/// Validates a built enterprise on first use (and after every edit).
inline absl::Status Materialize(cmrv_enterprise* e) {
  if (e->parsed) return absl::OkStatus();
  auto parsed = cmrv::Enterprise::FromJson(e->doc.dump());
  if (!parsed.ok()) return parsed.status();
  e->parsed = *std::move(parsed);
  return absl::OkStatus();
}

}  // namespace cmrv::capi
