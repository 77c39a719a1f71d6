// Opaque C handles shared by more than one C API translation unit.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "carbonmrv.h"
#include "carbonmrv/enterprise.hpp"
#include "carbonmrv/factors.hpp"
#include "carbonmrv/inventory.hpp"
#include "guard.hpp"

struct cmrv_factor_catalogue {
  cmrv::FactorCatalogue catalogue;
};

// The builder edits a document and the core validates it, so built and loaded enterprises get the
// same checks and the same JSON paths in errors.
struct cmrv_enterprise {
  nlohmann::json doc;
  std::optional<cmrv::Enterprise> parsed;
};

struct cmrv_inventory {
  cmrv::Inventory inventory;
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

/// The source of a built enterprise with this id, or kNotFound naming it.
inline absl::StatusOr<nlohmann::json*> FindSource(cmrv_enterprise* e, const char* source_id) {
  if (source_id == nullptr) return NullArgument("source_id");
  for (auto& s : e->doc["sources"]) {
    if (s.value("id", "") == source_id) return &s;
  }
  return cmrv::MakeError(absl::StatusCode::kNotFound, cmrv::ErrorDetail::kInvalidArgument,
                         std::string("no source \"") + source_id + "\"; add it with cmrv_enterprise_add_source()");
}

/// Line `index` of an inventory, or nullptr with `st` set to kOutOfRange.
inline const cmrv::InventoryLine* Line(const cmrv_inventory* inv, size_t index, absl::Status& st) {
  if (index >= inv->inventory.lines.size()) {
    st = cmrv::MakeError(absl::StatusCode::kOutOfRange, cmrv::ErrorDetail::kInvalidArgument,
                         "line index " + std::to_string(index) + " is out of range (" +
                             std::to_string(inv->inventory.lines.size()) + " lines)");
    return nullptr;
  }
  return &inv->inventory.lines[index];
}

}  // namespace cmrv::capi
