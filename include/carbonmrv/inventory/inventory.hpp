// carbonmrv — greenhouse-gas inventory of an enterprise with a replayable trace for every number.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
//
// Every line (source × period × gas) is computed by evaluating its own trace: a product of terms,
// each a value with its unit and its provenance (the activity record, a measurement, a factor stated
// in the document, or a dataset row with its SHA-256 and the reason it was chosen). The units engine
// checks that the product has the kind of the gas, then converts to tonnes. Replaying the trace
// therefore gives the same number by construction; tests replay it independently in Python.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/factors/carbonates.hpp"
#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/shared_text.hpp"
#include "carbonmrv/vocabulary.hpp"

namespace cmrv {

/// How inventory lines are grouped for totals and uncertainty. One list, parsed once where a name
/// enters (C API, Python, CLI): an unknown name is an error listing these, never the grand total.
enum class TotalsKey { kTotal, kCategory, kScope, kIsoCategory, kGas, kPeriod, kSource };
inline constexpr TotalsKey kTotalsKeys[] = {TotalsKey::kTotal,       TotalsKey::kCategory, TotalsKey::kScope,
                                            TotalsKey::kIsoCategory, TotalsKey::kGas,      TotalsKey::kPeriod,
                                            TotalsKey::kSource};
/// "total", "category", "scope", "iso_category", "gas", "period", "source".
std::string_view TotalsKeyName(TotalsKey key);
/// The key of `name`; kInvalidArgument naming it and listing the valid names otherwise.
absl::StatusOr<TotalsKey> ParseTotalsKey(std::string_view name);

struct InventoryOptions {
  /// GWP-100 set: a dataset id of the factor catalogue (ipcc_ar5_gwp100, ipcc_ar6_gwp100, ...).
  std::string gwp_dataset = "ipcc_ar5_gwp100";
  /// CO2/C mass ratio convention.
  Co2PerCarbon co2_per_carbon = Co2PerCarbon::k44Over12;
  /// A CO2/C ratio stated by a document (e.g. a guideline printing 3.67), with that document; when set
  /// it replaces the named convention. ComputeInventory refuses it without a source or more than 1 %
  /// from the molar-mass ratio 44.009/12.011 (IUPAC 2021 abridged weights).
  struct StatedRatio {
    double value = 0;
    std::string source;
  };
  std::optional<StatedRatio> co2_per_carbon_stated;
  /// Uncertainty propagation: false (default) reports a group with an input of no stated uncertainty
  /// as not assessed; true treats such inputs as exact and lists them as assumed exact.
  bool unstated_uncertainty_exact = false;
  /// Factor dataset preference (dataset ids and @class tokens); empty: the default precedence.
  std::vector<std::string> factor_preference;
  /// Scope 2 method: location (grid average) or market (contractual, else residual mix).
  Scope2Method scope2_method = Scope2Method::kLocation;
  /// Threads that compute the sources (0: the hardware's). The inventory is the same, bit for bit, for
  /// any number; below 2^14 activity records it is computed on the calling thread alone. Not a
  /// convention of the result: not written to the inventory document.
  unsigned threads = 0;
};

/// One uncertain input a trace term depends on (uncertainty.hpp). `id` names the input itself — an
/// activity record, a stated or measured value of a source, a dataset row — so that lines sharing an
/// input (twelve months using one default NCV) are propagated as fully correlated, and distinct inputs
/// as independent.
struct UncertainInput {
  UncertainInput() = default;
  UncertainInput(SharedText id_, double sensitivity_, std::optional<double> u_pct_,
                 std::optional<double> lower_pct_ = std::nullopt, std::optional<double> upper_pct_ = std::nullopt)
      : id(std::move(id_)), sensitivity(sensitivity_), u_pct(u_pct_), lower_pct(lower_pct_), upper_pct(upper_pct_) {}

  /// "sources[0] (coal).activity[2023-01]", "dataset epa_hub_2021 line 17", ... (shared by the lines that
  /// use the input: shared_text.hpp)
  SharedText id;
  double sensitivity = 1;  ///< ∂ln(term)/∂ln(input): 1 for a plain value; a/(a−b) and −b/(a−b) for a − b
  std::optional<double> u_pct;  ///< half-width of the 95 % CI, % of the input; nullopt: not known
  /// An asymmetric 95 % CI (a dataset's lower/upper range): % below and above the value. u_pct is then
  /// the wider side (Approach 1 is symmetric); Monte Carlo draws from the interval as published.
  std::optional<double> lower_pct, upper_pct;
};

/// A term's uncertain inputs: almost always one (the activity record, the dataset row), stored in place
/// so that copying a term into each period's line does not allocate (a vector allocated once per term
/// and line: 3 of the ~16 allocations per monthly record).
using UncertainInputs = absl::InlinedVector<UncertainInput, 1>;

struct TraceTerm {
  TraceTerm() = default;
  TraceTerm(SharedText name_, double value_, SharedText unit_, SharedText provenance_, UncertainInputs inputs_ = {},
            std::optional<Parameter> parameter_ = std::nullopt)
      : name(std::move(name_)),
        value(value_),
        unit(std::move(unit_)),
        provenance(std::move(provenance_)),
        inputs(std::move(inputs_)),
        parameter(parameter_) {}

  // Texts are SharedText so that the activity term of each of a million records shares its name and
  // unit with the others (112 bytes a term instead of 160).
  SharedText name;  ///< FC, NCV, CC, OF, CO2/C, EF, GWP, sign, ...
  double value = 0;
  SharedText unit;        ///< canonical unit symbol
  SharedText provenance;  ///< where the value came from (one buffer for every line using the value)
  /// Uncertain inputs of this term; empty for an exact term (a convention such as 44/12, a
  /// stoichiometric ratio, a sign).
  UncertainInputs inputs;
  /// The parameter this term resolves (measured, stated or from a dataset); unset for the activity,
  /// conventions and derived terms. Not written to the document: its name says it.
  std::optional<Parameter> parameter;
};

/// A term as several lines hold it: made once, never changed, shared by reference count.
using SharedTerm = std::shared_ptr<const TraceTerm>;

/// The terms of a line, in the order they multiply. It reads like a `std::vector<TraceTerm>`; a term
/// that several lines use — a dataset's NCV and EF on every period of every source burning that fuel — is
/// held once and shared (`push_back(SharedTerm)`) instead of copied into each line: 10⁵ sources × 12 months
/// held 1.2 million copies of two 160-byte terms (docs/performance.md). A term is never changed once made,
/// so sharing cannot leak a change from one line into another.
///
/// Thread safety: as SharedText. Copies, reads and destruction on any threads at once; writing one
/// TraceTerms object from two threads at once is a data race.
class TraceTerms {
  using Slots = absl::InlinedVector<SharedTerm, 4>;

 public:
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = TraceTerm;
    using difference_type = std::ptrdiff_t;
    using pointer = const TraceTerm*;
    using reference = const TraceTerm&;

    const_iterator() = default;
    explicit const_iterator(Slots::const_iterator it) : it_(it) {}
    reference operator*() const { return **it_; }
    pointer operator->() const { return it_->get(); }
    reference operator[](difference_type n) const { return *it_[n]; }
    const_iterator& operator++() { return ++it_, *this; }
    const_iterator operator++(int) { return const_iterator(it_++); }
    const_iterator& operator--() { return --it_, *this; }
    const_iterator operator--(int) { return const_iterator(it_--); }
    const_iterator& operator+=(difference_type n) { return it_ += n, *this; }
    const_iterator& operator-=(difference_type n) { return it_ -= n, *this; }
    friend const_iterator operator+(const_iterator a, difference_type n) { return a += n; }
    friend const_iterator operator+(difference_type n, const_iterator a) { return a += n; }
    friend const_iterator operator-(const_iterator a, difference_type n) { return a -= n; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) { return a.it_ - b.it_; }
    friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.it_ == b.it_; }
    friend auto operator<=>(const const_iterator& a, const const_iterator& b) { return a.it_ <=> b.it_; }

   private:
    Slots::const_iterator it_{};
  };
  using iterator = const_iterator;
  using value_type = TraceTerm;
  using size_type = std::size_t;

  TraceTerms() = default;
  /// Each term is the line's own.
  TraceTerms(std::initializer_list<TraceTerm> terms) {
    terms_.reserve(terms.size());
    for (const auto& t : terms) push_back(t);
  }

  std::size_t size() const noexcept { return terms_.size(); }
  bool empty() const noexcept { return terms_.empty(); }
  const TraceTerm& operator[](std::size_t i) const { return *terms_[i]; }
  const TraceTerm& front() const { return *terms_.front(); }
  const TraceTerm& back() const { return *terms_.back(); }
  const_iterator begin() const noexcept { return const_iterator(terms_.begin()); }
  const_iterator end() const noexcept { return const_iterator(terms_.end()); }
  /// Term i as shared: add it to another line without a copy.
  const SharedTerm& shared(std::size_t i) const { return terms_[i]; }

  void reserve(std::size_t n) { terms_.reserve(n); }
  /// A term of this line's own.
  void push_back(TraceTerm term) { terms_.push_back(std::make_shared<const TraceTerm>(std::move(term))); }
  /// A term shared with other lines (not null).
  void push_back(SharedTerm term) { terms_.push_back(std::move(term)); }
  void clear() noexcept { terms_.clear(); }

 private:
  Slots terms_;
};

// The texts of a line are SharedText: a million lines of one source and period share their source id,
// period and part buffers instead of holding 32-byte strings each (docs/performance.md, session 14).
struct InventoryLine {
  SharedText source_id;
  SharedText period;
  SourceKind kind = SourceKind::kFuelCombustion;
  Gas gas = Gas::kCo2;
  SharedText part;  ///< "" or, for a line that is one part of a source's emission, its name (CaO, MgO)
  Category category = Category::kFuelCombustion;
  Scope scope = Scope::k1;  ///< GHG Protocol scope
  int iso_category = 1;     ///< ISO 14064-1:2018 category
  /// Reported, outside the totals: biomass CO2, CO2 calculated only to corroborate CEMS, or the scope 2
  /// line of the method the inventory does not count (dual reporting).
  bool memo = false;
  /// A scope 3 line: its GHG Protocol Scope 3 category (1-15); 0 otherwise (upstream energy is 3).
  int scope3_category = 0;
  /// Purchased or exported electricity: the scope 2 method of this line. Each electricity record has a
  /// location-based and a market-based line (GHG Protocol Scope 2 Guidance 2015, Ch. 7); the one of
  /// InventoryOptions::scope2_method counts, the other is a memo. Unset for every other line (heat has
  /// one factor for both).
  std::optional<Scope2Method> scope2_method;
  /// A fluorinated-gas line (gas kHfc, kPfc, kSf6 or kNf3): the species id ("sf6", "hfc_134a").
  SharedText species;
  double mass_t = 0;  ///< tonnes of `gas`
  double gwp = 1;
  SharedText gwp_provenance;
  double co2e_t = 0;
  SharedText equation;  ///< "E = AD × HV × EF": one buffer for the lines of a method computed on one thread
  TraceTerms terms;
  // The evaluation written out ("AD × NCV = 430 GJ; product of the terms = … tCO2") is ConversionText(line):
  // derived from the terms, it is written by ToJson rather than held by each of a million lines.
  std::vector<std::string> notes;  ///< e.g. the missing-data rule applied for this period
};

struct Inventory {
  std::string enterprise_name;
  std::string uscc;
  std::string region;
  int year = 0;
  InventoryOptions options;
  std::string gwp_dataset_sha256;
  std::vector<InventoryLine> lines;
  std::vector<std::string> notes;  ///< completeness notes (gases not estimated and why)
  std::vector<ProductionRecord> production;

  /// Sum of co2e_t over non-memo scope 1 and 2 lines, in line order (deterministic). Scope 3
  /// (upstream energy, where stated) is reported beside it: Totals("scope")["3"].
  double TotalCo2e() const;
  /// Sum of co2e_t over non-memo lines grouped by `key`; biomass CO2 is under "memo" only.
  std::map<std::string, double> Totals(TotalsKey key) const;
  /// Biomass CO2 (memo item), tonnes.
  double BiomassCo2() const;
  /// Scope 1 + 2 total with scope 2 by `method`: TotalCo2e() for the inventory's own method, and the
  /// same lines with the other method's electricity lines for the other (dual reporting).
  double TotalCo2e(Scope2Method method) const;
  /// Scope 2 total by `method` (electricity of that method, heat with its one factor), tCO2e.
  double Scope2Co2e(Scope2Method method) const;
  /// "carbonmrv.inventory/1" JSON: conventions, lines with traces, totals, intensities, notes.
  std::string ToJson() const;
  /// Reads a "carbonmrv.inventory/1" document back (a reported inventory to reconcile against): the
  /// conventions and every line with its terms. Problems are reported with their JSON paths.
  static absl::StatusOr<Inventory> FromJson(std::string_view json_text);
};

/// The CO2/C ratio of `options` (tCO2/tC) and its text: "44/12", "3.664" or "3.67 (stated: source)".
double Co2PerCarbonOf(const InventoryOptions& options);
std::string Co2PerCarbonText(const InventoryOptions& options);

/// Computes the inventory. Every parameter comes from (in order) a measurement of that period, a
/// factor stated in the document, or the factor catalogue (with the enterprise's region and year);
/// a missing required parameter is an error naming the source, period and what was searched.
absl::StatusOr<Inventory> ComputeInventory(const Enterprise& enterprise, const FactorCatalogue& catalogue,
                                           const InventoryOptions& options);

/// One unit of activity of one source: 1 `unit` of `carrier` for a source of `kind` in an enterprise
/// of `region` (empty: GLOBAL defaults only) and `year`, with combustion `method`.
struct UnitActivity {
  SourceKind kind = SourceKind::kFuelCombustion;
  std::string carrier;  ///< a carrier id or alias
  std::string unit;     ///< unit text
  std::string region;
  int year = 0;
  std::string method = "default_factor";
};

/// The lines of one unit of activity, by the same methods, datasets and conventions as
/// ComputeInventory: the factor per (kind, carrier, unit, region, year) the batch engine applies to
/// every record of that tuple. Each parameter term says which Parameter it resolves. Errors: an
/// unknown carrier or unit, a unit of the wrong kind for `kind` (INVALID_ARGUMENT), or
/// ComputeInventory's own (a missing factor).
absl::StatusOr<Inventory> ComputeUnitActivity(const UnitActivity& activity, const FactorCatalogue& catalogue,
                                              const InventoryOptions& options);

/// The evaluation of `line` written out, as ToJson writes it under trace.conversion: the running product
/// where it first is an energy (GJ) and a carbon mass (tC), which a reader checks published rounding
/// against, then the product in the terms' units and in tonnes of the line's gas:
/// "AD × NCV = 430 GJ; product of the terms = 31544.37 GJ*tCO2/TJ = 31.54437 tCO2". Errors as ReplayLine.
absl::StatusOr<std::string> ConversionText(const InventoryLine& line);

/// Re-evaluates a line from its terms (product, kind check, conversion to tonnes of its gas).
absl::StatusOr<double> ReplayLine(const InventoryLine& line);

}  // namespace cmrv
