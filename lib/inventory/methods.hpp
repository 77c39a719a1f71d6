// The inventory engine's calculation methods, one per source kind (internal; lib/inventory/methods.cpp).
// ComputeInventory (inventory.cpp) walks the enterprise's records and calls ComputeRecord for each.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carbonmrv/inventory/inventory.hpp"
#include "carbonmrv/units/units.hpp"
#include "internal/arena.hpp"

namespace cmrv::internal {

/// The units of a line's terms multiplied out: the running product after each term, the line's target
/// unit and the product's symbol. A line's units depend only on its terms' unit strings and its gas, and
/// a thousand sources × twelve months repeat a handful of sequences, so one computation parses each once.
struct UnitChain {
  std::vector<Unit> running;  ///< product of the units of terms 0..i
  Unit product;               ///< running.back(), or dimensionless for no terms
  Unit target;                ///< TargetUnit(gas)
  std::string symbol;         ///< product.symbol(), for the conversion text
};

/// The chains of one computation, by (gas, unit strings).
class UnitChains {
 public:
  /// The chain of `line`, built on first use; the error of BuildUnitChain otherwise.
  absl::StatusOr<const UnitChain*> Get(const InventoryLine& line);

 private:
  absl::flat_hash_map<std::string, UnitChain> chains_;
  std::string key_;  // reused: no allocation per line once it has grown
  // The chain returned last and its key: the lines of a source's periods repeat it, so a comparison
  // replaces the hash and look-up for most lines.
  std::string last_key_;
  const UnitChain* last_ = nullptr;
};

/// Parses and multiplies the term units of `line` ("term NAME: ..." on a unit that does not parse).
absl::StatusOr<UnitChain> BuildUnitChain(const InventoryLine& line);

/// What one ComputeInventory call carries from record to record.
struct MethodContext {
  MethodContext(const Enterprise& e, const FactorCatalogue& c, const InventoryOptions& o, Inventory& inv)
      : enterprise(e), catalogue(c), options(o), out(inv) {}

  const Enterprise& enterprise;
  const FactorCatalogue& catalogue;
  const InventoryOptions& options;
  Inventory& out;
  // Gases not estimated: one entry per (gas, source, reason), in first-seen order, merged into one
  // note at the end so that twelve months do not give twelve notes. The note names the count and the
  // first and last period, so that is all an entry keeps: the source id and periods are views into the
  // enterprise (which outlives the computation) and the gas and reason texts are interned, so a source
  // adds no allocation per period and none per gas beyond its index slot.
  struct Missing {
    const std::string* gas;
    std::string_view source;
    const std::string* reason;
    std::size_t periods;
    std::string_view first, last;
  };
  std::vector<Missing> missing;
  absl::node_hash_set<std::string> missing_texts;            // gas labels and reasons (stable addresses)
  std::map<std::string, std::pair<double, SharedText>> gwp;  // gas or F-gas species → (GWP, provenance)
  // Factor selections by query: sources of one carrier ask the same questions for every period, and a
  // failed lookup (a gas with no default) builds a long explanation, so each distinct query runs once.
  absl::flat_hash_map<std::string, absl::StatusOr<FactorSelection>> lookups;
  UnitChains units;
  // The catalogue terms of the source being computed, by (parameter, term name): the periods of one
  // source resolve the same dataset values, with the same provenance text. Cleared per source.
  struct CatalogueTerm {
    Parameter param;
    std::string term;
    SharedTerm value;   // null: the catalogue has none (why_not says why); shared by the fuel's lines
    std::string basis;  // "NCV", "HHV" or "" (see Resolve)
    SharedText why_not;
  };
  const SourceStream* catalogue_terms_of = nullptr;
  std::vector<CatalogueTerm> catalogue_terms;
  // The parameters measured in any period of the source being computed (bit = Parameter), asked for
  // every parameter of every period (the missing-data rule).
  const SourceStream* measured_of = nullptr;
  std::uint64_t measured = 0;
  bool MeasuredInSource(const SourceStream& src, Parameter p);
  SharedTerm co2_per_carbon;  // the CO2/C term of every line that has one (RatioTerm)
  // Where the per-record activity terms are made (internal/arena.hpp): a term may outlive the context.
  Arena arena;

  // CatalogueTerms by (LookupKey, term name, why the sector): the sources of one fuel share their terms.
  absl::flat_hash_map<std::string, CatalogueTerm> catalogue_term_cache;

  static std::string LookupKey(const FactorQuery& q);
  const absl::StatusOr<FactorSelection>& Lookup(const FactorQuery& q);

  /// `text` as a line's SharedText: one buffer per distinct text in this context, so that the lines of a
  /// source or a period share theirs (a context is one thread's, so its counts are not contended).
  const SharedText& LineText(std::string_view text);
  absl::flat_hash_map<std::string, SharedText> line_texts;
  /// `text`, one of the few process-wide texts of every line (an equation, a GWP's provenance, the
  /// activity term's name), as this context's own copy. Both threads' lines counted their references on
  /// the one buffer, whose cache line the two cores then passed back and forth three times a line
  /// (docs/performance.md, session 19). Found by the buffer's address among a handful.
  const SharedText& Own(const SharedText& text);
  std::vector<std::pair<const char*, SharedText>> own_texts;
  /// The source id of `src`'s lines: one buffer per source, made when its first line is (sources are
  /// computed one after the other; a map of 10^5 ids would cost more than it saves).
  const SharedText& LineSourceId(const SourceStream& src);
  const SourceStream* line_source_of = nullptr;
  SharedText line_source_id;
  /// The canonical symbol of `q`'s unit as a line text; the last unit text's is kept, as records of one
  /// source state one unit (a text parses to one unit, so it has one symbol).
  const SharedText& UnitSymbol(const GivenQuantity& q);
  std::string unit_symbol_of;
  SharedText unit_symbol;

  /// The entry of (gas, source, reason) among the entries of `source`, the last ones; null if none.
  Missing* FindMissing(std::string_view gas, std::string_view source, std::string_view reason);
  /// `text` in missing_texts.
  const std::string* Intern(std::string_view text);
  /// `source` and `period` must outlive the context (the enterprise's own strings). Sources are computed
  /// one after the other: a source's entries are added before the next source's.
  void NotEstimated(std::string_view gas, std::string_view source, std::string_view reason, std::string_view period);
  /// Takes the not-estimated entries of a context that computed later sources, as if this context had
  /// computed them: an entry already here gains the other's periods, a new one is appended.
  void AbsorbMissing(const MethodContext& later);
};

/// Activity records per thread from which ComputeInventory computes on more than one thread (2^14: below
/// it a thread costs more to start than it saves). A test hook: tests lower it to cut small fixtures
/// into parts.
inline std::atomic<std::size_t>& RecordsPerPartForTesting() {
  static std::atomic<std::size_t> records{std::size_t{1} << 14};
  return records;
}

/// The lines of one activity record, by the method of its source's kind, appended to ctx.out.
absl::Status ComputeRecord(MethodContext& ctx, const SourceStream& src, const ActivityRecord& rec);

/// "tCO2", "tCH4", "tN2O" or "tCO2e": the unit of a line of `gas` (inventory.cpp).
std::string TargetUnit(Gas gas);

/// The one evaluation of a line (inventory.cpp): product of the term values in the product of the
/// term units, in tonnes of the line's gas. `conversion` (optional) receives the explanation; `chains`
/// (optional) memoises the units across lines. The arithmetic is the same with or without it.
absl::StatusOr<double> EvaluateLine(const InventoryLine& line, std::string* conversion, UnitChains* chains = nullptr);

}  // namespace cmrv::internal
