// Opaque C handles shared by more than one C API translation unit.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

#include "carbonmrv.h"
#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/inventory/inventory.hpp"
#include "guard.hpp"

struct cmrv_factor_catalogue {
  cmrv::FactorCatalogue catalogue;
};

// The builder edits a document and the core validates it, so built and loaded enterprises get the
// same checks and the same JSON paths in errors. Validation is cached until the next edit; the cache
// is filled under a mutex, so any number of threads may read (compute, verify, serialise) one
// enterprise at once. Edits need exclusive access (documented in carbonmrv.h).
// One of the two forms is always present: a document read from JSON holds only the validated enterprise
// until its first edit, a built one only the document until its first read. Reading 10⁵ sources × 12
// months also as a DOM (the enterprise written out and parsed again) took 11.7–12.1 s where the reader
// alone takes 0.8–0.9 s (docs/performance.md).
struct cmrv_enterprise {
  std::optional<nlohmann::json> doc;               // the form edits change
  mutable std::optional<cmrv::Enterprise> parsed;  // the form computations read
  mutable std::mutex mutex;

  cmrv_enterprise(std::optional<nlohmann::json> d, std::optional<cmrv::Enterprise> p)
      : doc(std::move(d)), parsed(std::move(p)) {}
  /// The document an edit changes, written out from the enterprise on the first edit of one read from
  /// JSON. Edits have exclusive access (no reader runs meanwhile), so no lock.
  nlohmann::json& Document() {
    if (!doc) doc = nlohmann::json::parse(parsed->ToJson());
    return *doc;
  }
  /// Called by every edit: the next read validates the document again.
  void Edited() { parsed.reset(); }
};

struct cmrv_inventory_options {
  cmrv::InventoryOptions options;
};

struct cmrv_inventory {
  cmrv::Inventory inventory;
};

namespace cmrv::capi {

/// The validated form of a built enterprise (validated on first read after an edit; thread-safe for
/// concurrent readers). The pointer stays valid until the next edit or destruction.
inline absl::StatusOr<const cmrv::Enterprise*> Materialize(const cmrv_enterprise* e) {
  std::lock_guard<std::mutex> lock(e->mutex);
  if (!e->parsed) {
    auto parsed = cmrv::Enterprise::FromJson(e->doc->dump());  // no parsed form: the document is set
    if (!parsed.ok()) return parsed.status();
    e->parsed = *std::move(parsed);
  }
  return &*e->parsed;
}

/// The source of a built enterprise with this id, or kNotFound naming it.
inline absl::StatusOr<nlohmann::json*> FindSource(cmrv_enterprise* e, const char* source_id) {
  if (auto st = cmrv::CheckText(source_id, "source_id"); !st.ok()) return st;
  for (auto& s : e->Document()["sources"]) {
    if (s.value("id", "") == source_id) return &s;
  }
  return cmrv::MakeError(absl::StatusCode::kNotFound, cmrv::ErrorDetail::kNotFound,
                         std::string("no source \"") + source_id + "\"; add it with cmrv_enterprise_add_source()");
}

/// Line `index` of an inventory, or nullptr with `st` set to kOutOfRange.
inline const cmrv::InventoryLine* Line(const cmrv_inventory* inv, size_t index, absl::Status& st) {
  if (index >= inv->inventory.lines.size()) {
    st = IndexOutOfRange("line", index, inv->inventory.lines.size(), "lines");
    return nullptr;
  }
  return &inv->inventory.lines[index];
}

}  // namespace cmrv::capi
