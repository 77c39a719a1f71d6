/*
 * carbonmrv.h — the stable C API of carbonmrv.
 *
 * This header is the reference manual of the C API. Rules that hold for every function
 * (docs/api-stability.md, docs/error-handling.md):
 *  - Every function that can fail takes a cmrv_context* first and returns a cmrv_status
 *    (CMRV_OK = 0). On failure the context holds a message and a detail code; the out-parameters
 *    are left untouched. A NULL context returns CMRV_ERR_INVALID_ARGUMENT and records nothing.
 *  - A context may be used by one thread at a time; use one context per thread.
 *  - No function throws, aborts or exits. Strings are NUL-terminated UTF-8 and copied on input.
 *  - Memory returned to the caller is released with cmrv_free(); never with free().
 *  - An options handle given as NULL means the defaults, in every call that takes one.
 *  - Arrays are (pointer, count, stride in bytes), so callers can pass columns of their own structs.
 *    Stride 0 has one meaning everywhere: the same element for every index (a broadcast scalar, as
 *    numpy's stride 0). It is valid for inputs only; an output needs a stride of at least its element
 *    size, and a getter that fills a caller buffer takes its capacity and fails with
 *    CMRV_ERR_OUT_OF_RANGE, writing nothing, when the buffer is too small.
 *
 * Compiles as C99 and as C++.
 */
#ifndef CARBONMRV_H
#define CARBONMRV_H

#include <stddef.h>
#include <stdint.h>

#include "carbonmrv_version.h"

#if defined(_WIN32) && !defined(CMRV_STATIC)
#  ifdef CMRV_BUILDING
#    define CMRV_API __declspec(dllexport)
#  else
#    define CMRV_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__)
#  define CMRV_API __attribute__((visibility("default")))
#else
#  define CMRV_API
#endif

/* Marks a function a later release removes; the message names its replacement (since 0.2). */
#if defined(__GNUC__) || defined(__clang__)
#  define CMRV_DEPRECATED(msg) __attribute__((deprecated(msg)))
#elif defined(_MSC_VER)
#  define CMRV_DEPRECATED(msg) __declspec(deprecated(msg))
#else
#  define CMRV_DEPRECATED(msg)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** \defgroup core Status codes, contexts, memory and version
 *  @{ */

/** Return code of every fallible call. The numbers equal absl::StatusCode / google.rpc codes. */
typedef int32_t cmrv_status;

#define CMRV_OK 0
#define CMRV_ERR_CANCELLED 1
#define CMRV_ERR_UNKNOWN 2
#define CMRV_ERR_INVALID_ARGUMENT 3
#define CMRV_ERR_NOT_FOUND 5
#define CMRV_ERR_ALREADY_EXISTS 6
#define CMRV_ERR_RESOURCE_EXHAUSTED 8 /**< out of memory */
#define CMRV_ERR_FAILED_PRECONDITION 9
#define CMRV_ERR_OUT_OF_RANGE 11 /**< e.g. a result that overflows a double */
#define CMRV_ERR_UNIMPLEMENTED 12
#define CMRV_ERR_PERMISSION_DENIED 7 /**< the registry actor may not apply the operation */
#define CMRV_ERR_INTERNAL 13         /**< a bug in carbonmrv; please report it with the message */
#define CMRV_ERR_UNAVAILABLE 14      /**< the registry's database is busy or unreachable; retrying may succeed */
#define CMRV_ERR_DATA_LOSS 15        /**< the registry's database file is corrupt */

/* Detail codes (cmrv_context_last_error_detail). Ranges: 1-999 API misuse, 1000-1999 units,
 * 2000-2999 data (datasets, factors, carriers), 3000-3999 the registry.
 * Never renumbered or reused. */
#define CMRV_DETAIL_NONE 0
#define CMRV_DETAIL_NULL_ARGUMENT 1
#define CMRV_DETAIL_INVALID_ARGUMENT 2
#define CMRV_DETAIL_NOT_FOUND 3 /**< a named item (period, source, measurement) does not exist (since 0.2) */
#define CMRV_DETAIL_UNKNOWN_UNIT 1001
#define CMRV_DETAIL_UNIT_SYNTAX 1002
#define CMRV_DETAIL_INCOMPATIBLE_UNITS 1003
#define CMRV_DETAIL_NON_FINITE_VALUE 1004
#define CMRV_DETAIL_OVERFLOW 1005
#define CMRV_DETAIL_AMBIGUOUS_UNIT 1006
#define CMRV_DETAIL_NEEDS_CONTEXT 1007
#define CMRV_DETAIL_INVALID_DATASET 2001
#define CMRV_DETAIL_FACTOR_NOT_FOUND 2002
#define CMRV_DETAIL_UNKNOWN_CARRIER 2003
#define CMRV_DETAIL_DUPLICATE_DATASET 2004
#define CMRV_DETAIL_INVALID_DOCUMENT 2005
#define CMRV_DETAIL_MISSING_PARAMETER 2006
#define CMRV_DETAIL_NOT_PERMITTED 3001
#define CMRV_DETAIL_INSUFFICIENT_HOLDINGS 3002
#define CMRV_DETAIL_DUPLICATE_ENTRY 3003
#define CMRV_DETAIL_STORAGE 3004
#define CMRV_DETAIL_SCHEMA_VERSION 3005

/** Opaque per-thread context: holds the last error. Threads: one thread at a time. */
typedef struct cmrv_context cmrv_context;

/**
 * \brief Creates a context.
 * \return a new context, or NULL if memory is exhausted. Caller owns it; release with
 *         cmrv_context_destroy().
 * \since 0.1
 */
CMRV_API cmrv_context* cmrv_context_create(void);

/** \brief Destroys a context. NULL is a harmless no-op. \since 0.1 */
CMRV_API void cmrv_context_destroy(cmrv_context* ctx);

/**
 * \brief Message of the last failed call on this context ("" if none).
 * \return a string owned by the context, valid until the next failing call on it or its destruction.
 *         For a NULL context, a static string. Check return codes, not this message: it is not
 *         cleared by successful calls.
 * \since 0.1
 */
CMRV_API const char* cmrv_context_last_error_message(const cmrv_context* ctx);

/** \brief Status code of the last failed call on this context (CMRV_OK if none). \since 0.1 */
CMRV_API cmrv_status cmrv_context_last_error_code(const cmrv_context* ctx);

/** \brief Detail code (CMRV_DETAIL_*) of the last failed call (CMRV_DETAIL_NONE if none). \since 0.1 */
CMRV_API int32_t cmrv_context_last_error_detail(const cmrv_context* ctx);

/** \brief Stable name of a status code ("invalid_argument"); never NULL, static storage. \since 0.1 */
CMRV_API const char* cmrv_status_name(cmrv_status status);

/** \brief Releases memory returned by carbonmrv (strings, arrays). NULL is a no-op. \since 0.1 */
CMRV_API void cmrv_free(void* ptr);

/** \brief What the memory pool holds now, and the most it keeps. The pool holds blocks the library keeps
 *  between computations so that a repeated computation writes pages it has written before instead of
 *  faulting in new ones: the batch engine's group tables and the columns of destroyed batch results
 *  (256 KiB or more), and the blocks of an inventory's per-record terms once all of a block's terms are
 *  freed. One pool per process, shared by every context, computation and thread. Either output may be
 *  NULL (not written). Thread-safe.
 *  \since 0.2 */
CMRV_API cmrv_status cmrv_memory_pool_status(cmrv_context* ctx, size_t* out_held_bytes, size_t* out_budget_bytes);

/** \brief Frees every block the memory pool holds, for a long-running service after a large job; \p
 *  out_released_bytes (may be NULL) gets their bytes. Memory in use (a running computation's tables, a
 *  live result or inventory) is not touched; it returns to the pool when freed, within the budget.
 *  Thread-safe. \since 0.2 */
CMRV_API cmrv_status cmrv_memory_pool_release(cmrv_context* ctx, size_t* out_released_bytes);

/** \brief Sets the most the memory pool keeps (256 MiB by default; 0 keeps nothing, so every block goes
 *  back to the system when freed), freeing held blocks, the smallest first, down to it. Process-wide: it
 *  applies to every context. Thread-safe. \since 0.2 */
CMRV_API cmrv_status cmrv_memory_pool_set_budget(cmrv_context* ctx, size_t budget_bytes);

/** \brief Run-time library version, e.g. "0.1.0"; static storage. \since 0.1 */
CMRV_API const char* cmrv_version_string(void);

/**
 * \brief Run-time version as CMRV_COMPUTE_VERSION(major, minor, patch). Compare it with
 *        CMRV_VERSION_NUMBER to detect a header/library mismatch.
 * \since 0.1
 */
CMRV_API int32_t cmrv_version_number(void);

/** @} */

/** \defgroup units Units and quantity kinds
 *
 * Unit strings: SI and English symbols (t, kg, GJ, kWh, MMBtu, Nm3, scf, tce, toe ...), Chinese names
 * (吨, 万吨, 吉焦, 千瓦时, 万千瓦时, 标准立方米, 吨标准煤 ...), multipliers (10^4 Nm3, 万Nm3, 1e4 t),
 * gas and product suffixes on masses (tCO2, t CO2e, kgCH4, tN2O, tC, 吨二氧化碳, t product) and
 * compounds with one '/' (GJ/t, tCO2/MWh, GJ/10^4 Nm3, t/h). Units convert only within a kind: a
 * tonne of coal, of CO2, of CH4, of CO2e and of product are different kinds, as are gas volumes at
 * different reference states. docs/units.md lists every unit and its defining source.
 *  @{ */

/**
 * \brief Converts a value between two units of the same kind.
 * \param ctx  context (required)
 * \param value finite value in \p from_unit
 * \param from_unit, to_unit unit strings (required)
 * \param[out] out receives the converted value (required)
 * \return CMRV_OK; CMRV_ERR_INVALID_ARGUMENT with detail UNKNOWN_UNIT (the message names the string
 *         and the nearest known units), UNIT_SYNTAX, AMBIGUOUS_UNIT, INCOMPATIBLE_UNITS (the message
 *         says what context the conversion would need: an NCV, a GWP set, ...), NON_FINITE_VALUE or
 *         NULL_ARGUMENT; CMRV_ERR_OUT_OF_RANGE with detail OVERFLOW.
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_unit_convert(cmrv_context* ctx, double value, const char* from_unit, const char* to_unit,
                                       double* out);

/**
 * \brief Converts \p count values read with a byte stride into a caller buffer with a byte stride.
 *
 * Every input is validated before any output is written: on error \p out is untouched and the
 * message names the element index. \p out may alias \p in when the strides are equal. count 0 is a
 * no-op (the pointers may then be NULL).
 * \param in_stride_bytes, out_stride_bytes distance between consecutive elements; sizeof(double)
 *        for packed arrays. in_stride_bytes 0 converts one value into every output element;
 *        out_stride_bytes must be at least sizeof(double).
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_unit_convert_array(cmrv_context* ctx, const char* from_unit, const char* to_unit,
                                             const double* in, size_t in_stride_bytes, size_t count, double* out,
                                             size_t out_stride_bytes);

/**
 * \brief Canonical symbol of a unit string ("万Nm3" → "10^4 Nm3").
 * \param[out] out_symbol receives a new string. Caller owns *out_symbol; release with cmrv_free().
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_unit_normalize(cmrv_context* ctx, const char* unit, char** out_symbol);

/**
 * \brief Description of a unit's kind ("mass of CO2 per energy").
 * \param[out] out_kind receives a new string. Caller owns *out_kind; release with cmrv_free().
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_unit_kind(cmrv_context* ctx, const char* unit, char** out_kind);

/**
 * \brief Whether two units are of the same kind (so cmrv_unit_convert() between them succeeds).
 * \param[out] out_result 1 if convertible, 0 if not
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_unit_compatible(cmrv_context* ctx, const char* unit_a, const char* unit_b,
                                          int32_t* out_result);

/**
 * \brief Applies an explicit context factor: value × factor, expressed in \p to_unit.
 *
 * This is how conversions that need context are written: fuel to energy with an NCV (t × GJ/t),
 * energy to emissions with an emission factor (TJ × tCO2/TJ), a gas to CO2e with a GWP
 * (tCH4 × tCO2e/tCH4), carbon to CO2 with a declared ratio (tC × tCO2/tC). Fails with
 * INCOMPATIBLE_UNITS unless unit × factor_unit has the kind of \p to_unit.
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_unit_apply_factor(cmrv_context* ctx, double value, const char* unit, double factor,
                                            const char* factor_unit, const char* to_unit, double* out);

/**
 * \brief Converts between units that differ in the reference state of their gas volumes
 *        (Nm3 at 0 °C/101.325 kPa ↔ scf at 60 °F/14.7 psia, also inside compounds such as
 *        GJ/10^4 Nm3 ↔ MMBtu/Mscf), as an ideal gas.
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_unit_convert_gas_state(cmrv_context* ctx, double value, const char* from_unit,
                                                 const char* to_unit, double* out);

/**
 * \brief Converts a gas volume measured at actual conditions (m3, L, ft3) at an absolute
 *        temperature (K) and pressure (Pa) to a gas volume at a reference state (Nm3, scf).
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_unit_convert_actual_gas(cmrv_context* ctx, double value, const char* from_unit,
                                                  double temperature_k, double pressure_pa, const char* to_unit,
                                                  double* out);

/** 当量值: GB/T 2589-2020 calorific equivalent, 0.1229 kgce/kWh as published. */
#define CMRV_ELECTRICITY_CALORIFIC 1
/** 等价值: equivalent value at a stated generation coal rate (kgce/kWh). */
#define CMRV_ELECTRICITY_EQUIVALENT 2

/**
 * \brief Expresses electricity in standard coal under a GB/T 2589-2020 convention.
 * \param value, unit electricity in an energy unit (kWh, MWh, 万千瓦时)
 * \param convention CMRV_ELECTRICITY_CALORIFIC or CMRV_ELECTRICITY_EQUIVALENT
 * \param coal_rate_kgce_per_kwh required (in (0, 1]) for EQUIVALENT; must be NaN for CALORIFIC
 * \param to_unit an energy unit such as "tce"
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_electricity_to_standard_coal(cmrv_context* ctx, double value, const char* unit,
                                                       int32_t convention, double coal_rate_kgce_per_kwh,
                                                       const char* to_unit, double* out);

/** @} */

/** \defgroup factors Carrier catalogue and emission-factor datasets
 *
 * A catalogue holds versioned datasets (built-in ones compiled into the library, users' own loaded
 * from CSV) whose every value names its document, table and row. Lookups return the value with the
 * reason it was chosen. A catalogue is mutable only through the load/override calls; lookups do not
 * modify it, so one catalogue may serve lookups from many threads (each with its own context) once
 * loading is finished.
 *  @{ */

/** Opaque set of factor datasets. Threads: loading and overrides need exclusive access; lookups and
 *  computations may share one catalogue across threads once loading is finished. */
typedef struct cmrv_factor_catalogue cmrv_factor_catalogue;
/** Opaque result of a lookup: the chosen value, its provenance and the explanation. Immutable: may
 *  be read from many threads. */
typedef struct cmrv_factor_selection cmrv_factor_selection;

/**
 * \brief Opens a catalogue holding the built-in datasets (EPA GHG Emission Factors Hub 2021,
 *        IPCC GWP-100 sets, ...; see docs/factors.md).
 * \param[out] out receives a new catalogue. Caller owns *out; release with
 *        cmrv_factor_catalogue_destroy().
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_factor_catalogue_open_builtin(cmrv_context* ctx, cmrv_factor_catalogue** out);

/** \brief Creates an empty catalogue. Caller owns *out; release with cmrv_factor_catalogue_destroy(). \since 0.1 */
CMRV_API cmrv_status cmrv_factor_catalogue_create_empty(cmrv_context* ctx, cmrv_factor_catalogue** out);

/** \brief Destroys a catalogue. NULL is a no-op. Selections taken from it stay valid. \since 0.1 */
CMRV_API void cmrv_factor_catalogue_destroy(cmrv_factor_catalogue* catalogue);

/**
 * \brief Loads a dataset from CSV text (format: docs/factors.md). Every problem is reported at
 *        once in the message, each with \p source_name, line and column; on error nothing is loaded.
 * \param csv_text NUL-terminated UTF-8, copied
 * \param source_name name used in messages and provenance (e.g. the file name)
 * \return CMRV_OK; CMRV_ERR_INVALID_ARGUMENT / CMRV_DETAIL_INVALID_DATASET;
 *         CMRV_ERR_ALREADY_EXISTS / CMRV_DETAIL_DUPLICATE_DATASET
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_factor_catalogue_load_csv(cmrv_context* ctx, cmrv_factor_catalogue* catalogue,
                                                    const char* csv_text, const char* source_name);

/** \brief Like cmrv_factor_catalogue_load_csv() for a file path; CMRV_ERR_NOT_FOUND if unreadable. \since 0.1 */
CMRV_API cmrv_status cmrv_factor_catalogue_load_file(cmrv_context* ctx, cmrv_factor_catalogue* catalogue,
                                                     const char* path);

/**
 * \brief Adds one measured value (class "measured", outranks every default), e.g. a plant's lab NCV.
 * \param series measurement series id, e.g. "plant-lab-2024" (required)
 * \param carrier carrier id or name, or "" for carrier-independent values
 * \param gas "" or co2/ch4/n2o/... for emission factors
 * \param region "" for GLOBAL
 * \param year_from validity start year, or 0 for none
 * \param source_table, source_row the lab report and sample (required)
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_factor_catalogue_add_override(cmrv_context* ctx, cmrv_factor_catalogue* catalogue,
                                                        const char* series, const char* carrier, const char* parameter,
                                                        const char* gas, double value, const char* unit,
                                                        const char* region, int32_t year_from, const char* source_table,
                                                        const char* source_row);

/**
 * \brief The datasets in the catalogue as a JSON array of {id, title, document, publisher,
 *        published, region, basis, class, sha256, source, builtin, record_count}.
 * \param[out] out_json Caller owns *out_json; release with cmrv_free().
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_factor_catalogue_datasets_json(cmrv_context* ctx, const cmrv_factor_catalogue* catalogue,
                                                         char** out_json);

/**
 * \brief The records of one dataset as a JSON array (file order).
 * \param[out] out_json Caller owns *out_json; release with cmrv_free().
 * \return CMRV_ERR_NOT_FOUND / CMRV_DETAIL_FACTOR_NOT_FOUND if no such dataset
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_factor_catalogue_records_json(cmrv_context* ctx, const cmrv_factor_catalogue* catalogue,
                                                        const char* dataset_id, char** out_json);

/**
 * \brief Selects one value with an explanation.
 *
 * Rule: preference order > region (exact > country > GLOBAL) > latest validity year not after
 * \p year > dataset id > line.
 * \param carrier carrier id or name ("" for GWP values); parameter: ncv, hhv, carbon_content,
 *        oxidation, ef, ef_per_unit, gwp100, coal_equivalent; gas: "" or co2/ch4/n2o/...
 * \param region "" for no preference, else e.g. "CN", "CN-11", "US"
 * \param year 0 for any year (latest preferred)
 * \param preference NULL or "" for the default precedence (measured > user > national >
 *        regulatory > ipcc); a comma-separated list of dataset ids and class tokens
 *        ("@measured,@user,epa_hub_2021"); or "policy:NAME" (default, china, cn_ets, epa, ipcc)
 * \param[out] out Caller owns *out; release with cmrv_factor_selection_destroy().
 * \return CMRV_ERR_NOT_FOUND with CMRV_DETAIL_FACTOR_NOT_FOUND (the message names what was searched
 *         and why candidates were excluded) or CMRV_DETAIL_UNKNOWN_CARRIER
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_factor_lookup(cmrv_context* ctx, const cmrv_factor_catalogue* catalogue, const char* carrier,
                                        const char* parameter, const char* gas, const char* region, int32_t year,
                                        const char* preference, cmrv_factor_selection** out);

/**
 * \brief Like cmrv_factor_lookup(), for a stationary-combustion source of a \p sector.
 *
 * Some defaults depend on the sector (IPCC 2006 Vol. 2 Tables 2.2-2.5 give CH4 and N2O per sector); a
 * record of another sector is not eligible, and without a sector (NULL or "") no sector-specific
 * record is. Records of restricted confidence (single_source, disputed, unconfirmed) and of
 * explicit-only datasets are eligible only when \p preference names their dataset.
 * \param sector NULL, "", or one of energy_industries, manufacturing_construction,
 *        commercial_institutional, residential_agriculture (CMRV_ERR_INVALID_ARGUMENT otherwise)
 * \param[out] out Caller owns *out; release with cmrv_factor_selection_destroy().
 * Thread safety: the catalogue may be shared between threads; \p ctx may not.
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_factor_lookup_for_sector(cmrv_context* ctx, const cmrv_factor_catalogue* catalogue,
                                                   const char* carrier, const char* parameter, const char* gas,
                                                   const char* region, int32_t year, const char* preference,
                                                   const char* sector, cmrv_factor_selection** out);

/** \brief Destroys a selection. NULL is a no-op. \since 0.1 */
CMRV_API void cmrv_factor_selection_destroy(cmrv_factor_selection* selection);

/** \brief The selected value, in the unit given by cmrv_factor_selection_unit(). \since 0.1 */
CMRV_API cmrv_status cmrv_factor_selection_value(cmrv_context* ctx, const cmrv_factor_selection* selection,
                                                 double* out_value);

/**
 * \brief Borrowed fields of a selection: "unit", "dataset", "dataset_sha256", "source_table",
 *        "source_row", "rule", "carrier", "parameter", "gas", "region", "confidence"; since 0.2 also
 *        "sector" and "sources" (the transcriptions that print the value, " | "-separated).
 * \param[out] out_text valid until \p selection is destroyed; do not free.
 * \return CMRV_ERR_INVALID_ARGUMENT for an unknown field name
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_factor_selection_field(cmrv_context* ctx, const cmrv_factor_selection* selection,
                                                 const char* field, const char** out_text);

/**
 * \brief The full selection as JSON: value, unit, record, dataset (with sha256), rule, considered.
 * \param[out] out_json Caller owns *out_json; release with cmrv_free().
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_factor_selection_to_json(cmrv_context* ctx, const cmrv_factor_selection* selection,
                                                   char** out_json);

/** @} */

/** \defgroup inventory Enterprises and inventories
 *
 * An enterprise is loaded from a "carbonmrv.enterprise/1" JSON document (docs/exchange-format.md) or
 * built with calls. Its inventory is computed against a factor catalogue; every line carries a trace
 * (cmrv_inventory_to_json()).
 *
 * Threads: an inventory is immutable and may be read from many threads. An enterprise may be read
 * (cmrv_enterprise_to_json(), cmrv_inventory_compute(), cmrv_energy_balance_compute(), cmrv_verify(),
 * all taking `const cmrv_enterprise*`) from any number of threads at once; an edit
 * (cmrv_enterprise_add_*, _set_*) needs exclusive access: no other call on that enterprise may run
 * during it. Options handles are read-only during computations and may be shared likewise.
 *  @{ */

/** Opaque enterprise (model of one reporting entity). Threads: reads (the `const cmrv_enterprise*`
 *  calls) from any number of threads at once; an edit needs exclusive access. */
typedef struct cmrv_enterprise cmrv_enterprise;
/** Opaque computed inventory. Immutable: may be read from many threads. */
typedef struct cmrv_inventory cmrv_inventory;
/** Opaque computation options (GWP set, CO2/C convention, scope-2 method, factor preference).
 *  Threads: setting needs exclusive access; computations may share one options handle. */
typedef struct cmrv_inventory_options cmrv_inventory_options;

/**
 * \brief Parses and validates an enterprise document. On error the message lists every problem, one
 *        per line, as "<json path>: <problem>" (CMRV_DETAIL_INVALID_DOCUMENT); nothing is created.
 *        Threads: a document of 4 MiB of text per core or more is read on all cores, by threads
 *        started and joined within the call; the enterprise and the messages do not depend on it.
 * \param[out] out Caller owns *out; release with cmrv_enterprise_destroy().
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_enterprise_from_json(cmrv_context* ctx, const char* json, cmrv_enterprise** out);

/**
 * \brief cmrv_enterprise_from_json() on at most \p threads threads: 0 for every core (what
 *        cmrv_enterprise_from_json() does), 1 for the calling thread only, e.g. for a host that reads
 *        many documents side by side on threads of its own. The enterprise and the messages do not
 *        depend on it. An enterprise read is edited like a built one; its first edit writes the
 *        document out, which costs about a read.
 * \param threads 0 – 1024; more is CMRV_ERR_INVALID_ARGUMENT naming "threads".
 * \param[out] out Caller owns *out; release with cmrv_enterprise_destroy().
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_enterprise_from_json_threads(cmrv_context* ctx, const char* json, uint32_t threads,
                                                       cmrv_enterprise** out);

/**
 * \brief Starts an enterprise built with calls (for callers without JSON). The calls below add to
 *        it; validation happens in cmrv_enterprise_to_json() and cmrv_inventory_compute(), with
 *        the same JSON paths as a document would get (sources[i].activity[j]...).
 * \param region e.g. "CN-37"; may be "" \param year reporting year
 * \param[out] out Caller owns *out; release with cmrv_enterprise_destroy().
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_enterprise_create(cmrv_context* ctx, const char* name, const char* region, int32_t year,
                                            cmrv_enterprise** out);

/** \brief Adds a source stream. \p kind as in the document ("fuel_combustion", "purchased_electricity", ...);
 *  \p carrier and \p method may be NULL. \since 0.1 */
CMRV_API cmrv_status cmrv_enterprise_add_source(cmrv_context* ctx, cmrv_enterprise* enterprise, const char* source_id,
                                                const char* kind, const char* carrier, const char* method);

/**
 * \brief Sets a text or whole-number field of the enterprise (\p source_id NULL: "industry" (GB/T 4754
 *        code, which selects the IPCC CH4/N2O table of its combustion), "uscc") or of a source added
 *        before ("sector", "material" (a carbonate or an F-gas), "calculation", "facility", "name",
 *        "scope3_category" and "iso_category" (whole numbers as text, e.g. "4")). Values are validated
 *        with the rest of the document, at the same JSON paths.
 * \return CMRV_ERR_INVALID_ARGUMENT for another \p key (the message lists the keys);
 *         CMRV_ERR_NOT_FOUND for an unknown source
 * Thread safety: \p enterprise may not be used from another thread during the call.
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_enterprise_set_field(cmrv_context* ctx, cmrv_enterprise* enterprise, const char* source_id,
                                               const char* key, const char* value);

/** \brief Adds an activity record ("2023" or "2023-07") to a source added before. \since 0.1 */
CMRV_API cmrv_status cmrv_enterprise_add_activity(cmrv_context* ctx, cmrv_enterprise* enterprise, const char* source_id,
                                                  const char* period, double value, const char* unit);

/** \brief States a factor for a source (ncv, carbon_content, oxidation, ef_co2, grid_ef, ...) with its source. \since
 * 0.1 */
CMRV_API cmrv_status cmrv_enterprise_set_factor(cmrv_context* ctx, cmrv_enterprise* enterprise, const char* source_id,
                                                const char* name, double value, const char* unit,
                                                const char* provenance);

/** \brief Records a parameter measured for one period of a source (e.g. the month's lab NCV). \since 0.1 */
CMRV_API cmrv_status cmrv_enterprise_add_measurement(cmrv_context* ctx, cmrv_enterprise* enterprise,
                                                     const char* source_id, const char* period, const char* name,
                                                     double value, const char* unit, const char* provenance);

/**
 * \brief Records an uncertainty (half-width of the 95 % confidence interval, % of the value; IPCC 2006
 *        Vol. 1 Ch. 3) for cmrv_inventory_uncertainty().
 * \param period NULL: the stated factor \p name (set with cmrv_enterprise_set_factor() before);
 *        a period: \p name "activity" for that activity record, or the name of a measurement of that
 *        period (added with cmrv_enterprise_add_measurement() before).
 * \param u_pct in [0, 100].
 * \return CMRV_ERR_NOT_FOUND naming what is missing; CMRV_ERR_INVALID_ARGUMENT for a bad \p u_pct.
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_enterprise_set_uncertainty(cmrv_context* ctx, cmrv_enterprise* enterprise,
                                                     const char* source_id, const char* period, const char* name,
                                                     double u_pct);

/**
 * \brief The enterprise as a "carbonmrv.enterprise/1" document (validated).
 * \param[out] out_json Caller owns *out_json; release with cmrv_free().
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_enterprise_to_json(cmrv_context* ctx, const cmrv_enterprise* enterprise, char** out_json);

/** \brief Destroys an enterprise. NULL is a no-op. \since 0.1 */
CMRV_API void cmrv_enterprise_destroy(cmrv_enterprise* enterprise);

/** \brief Default options: ipcc_ar5_gwp100, 44/12, location-based scope 2, default factor precedence.
 *  Caller owns *out; release with cmrv_inventory_options_destroy(). \since 0.1 */
CMRV_API cmrv_status cmrv_inventory_options_create(cmrv_context* ctx, cmrv_inventory_options** out);

/**
 * \brief Sets an option: "gwp_dataset" (a GWP dataset id), "co2_per_carbon" ("44/12" | "3.664"; since
 *        0.2 also a number a document states, with "co2_per_carbon_source" naming it), "scope2_method"
 *        ("location" | "market"), "factor_preference" (comma-separated dataset ids and @class tokens, or
 *        "policy:NAME"), since 0.2 "uncertainty_unstated" ("not_assessed" | "exact") and "threads" (that
 *        compute the sources: 0, the default, for all cores; the inventory is the same for any number). A
 *        bad value is refused here; a stated ratio without its source when the inventory is computed.
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_inventory_options_set(cmrv_context* ctx, cmrv_inventory_options* options, const char* key,
                                                const char* value);

/** \brief Destroys options. NULL is a no-op. \since 0.1 */
CMRV_API void cmrv_inventory_options_destroy(cmrv_inventory_options* options);

/**
 * \brief Computes the inventory.
 * \param options NULL for the defaults
 * \param[out] out Caller owns *out; release with cmrv_inventory_destroy().
 * \return CMRV_ERR_INVALID_ARGUMENT (invalid enterprise, bad option),
 *         CMRV_ERR_FAILED_PRECONDITION / CMRV_DETAIL_MISSING_PARAMETER (the message names the source,
 *         period, parameter and what was searched)
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_inventory_compute(cmrv_context* ctx, const cmrv_enterprise* enterprise,
                                            const cmrv_factor_catalogue* catalogue,
                                            const cmrv_inventory_options* options, cmrv_inventory** out);

/** \brief Destroys an inventory. NULL is a no-op. \since 0.1 */
CMRV_API void cmrv_inventory_destroy(cmrv_inventory* inventory);

/** \brief Total CO2e in tonnes (biomass CO2 excluded, reported as a memo item). \since 0.1 */
CMRV_API cmrv_status cmrv_inventory_total_co2e(cmrv_context* ctx, const cmrv_inventory* inventory, double* out_t);

/**
 * \brief Total CO2e of one group: \p key "category" (fuel_combustion, industrial_process, co2_recovery,
 *        net_purchased_electricity, net_purchased_heat), "scope" ("1", "2"), "iso_category", "gas",
 *        "period" or "source"; a group without lines gives 0.
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_inventory_total_by(cmrv_context* ctx, const cmrv_inventory* inventory, const char* key,
                                             const char* group, double* out_t);

/**
 * \brief Dual scope 2 reporting (GHG Protocol Scope 2 Guidance 2015, Ch. 7): the scope 1 + 2 total and
 *        the scope 2 total with scope 2 \p method "location" or "market". Every electricity record has
 *        a line of each method; the inventory's own method (option scope2_method) is the one
 *        cmrv_inventory_total_co2e() counts, the other's lines are memo lines. Either output may be NULL.
 * \return CMRV_ERR_INVALID_ARGUMENT for another \p method
 * Thread safety: \p inventory may be read from many threads; \p ctx may not be shared.
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_inventory_total_scope2(cmrv_context* ctx, const cmrv_inventory* inventory, const char* method,
                                                 double* out_total_t, double* out_scope2_t);

/** \brief Number of lines (source × period × gas). \since 0.1 */
CMRV_API cmrv_status cmrv_inventory_line_count(cmrv_context* ctx, const cmrv_inventory* inventory, size_t* out_count);

/** \brief Mass of the line's gas and its CO2e, tonnes. CMRV_ERR_OUT_OF_RANGE for a bad index. \since 0.1 */
CMRV_API cmrv_status cmrv_inventory_line_values(cmrv_context* ctx, const cmrv_inventory* inventory, size_t index,
                                                double* out_mass_t, double* out_co2e_t);

/**
 * \brief Borrowed text fields of a line: "source", "period", "kind", "gas", "category", "equation",
 *        "part" ("" or the part of a source's emission the line is, e.g. "CaO" and "MgO" of clinker);
 *        since 0.2 "scope2_method" ("location", "market" or "" for a line that is not electricity),
 *        "memo" ("true"/"false": outside the totals), "species" ("" or the F-gas, e.g. "sf6").
 * \param[out] out_text valid until \p inventory is destroyed; do not free.
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_inventory_line_field(cmrv_context* ctx, const cmrv_inventory* inventory, size_t index,
                                               const char* field, const char** out_text);

/**
 * \brief The inventory as a "carbonmrv.inventory/1" document: conventions, every line with its trace,
 *        totals by category/scope/ISO category/gas/period/source, intensities and notes.
 * \param[out] out_json Caller owns *out_json; release with cmrv_free().
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_inventory_to_json(cmrv_context* ctx, const cmrv_inventory* inventory, char** out_json);

/**
 * \brief Uncertainty of the total (\p key "total", \p group "total") or of one group of
 *        cmrv_inventory_total_by() (\p key "category", "scope", "iso_category", "gas", "period",
 *        "source"), by IPCC 2006 Vol. 1 Ch. 3 Approach 1: first-order propagation over the distinct
 *        inputs (an input shared by several lines counts once, fully correlated; distinct inputs are
 *        independent; conventions and GWPs are exact).
 * \param[out] out_u_pct U in % of the group's total (half-width of the 95 % interval); may be NULL.
 * \param[out] out_half_width_t U in tCO2e; may be NULL (not both).
 * \return CMRV_ERR_FAILED_PRECONDITION / CMRV_DETAIL_MISSING_PARAMETER when an input of the group has
 *         no uncertainty (the message lists them: nothing partial is returned); CMRV_ERR_FAILED_PRECONDITION
 *         for \p out_u_pct of a group totalling 0; CMRV_ERR_NOT_FOUND for a group with no lines.
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_inventory_uncertainty(cmrv_context* ctx, const cmrv_inventory* inventory, const char* key,
                                                const char* group, double* out_u_pct, double* out_half_width_t);

/**
 * \brief U of one line in % (IPCC 2006 Vol. 1 Eq. 3.1 over its inputs). Errors as
 *        cmrv_inventory_uncertainty(); CMRV_ERR_OUT_OF_RANGE for a bad index. \since 0.1
 */
CMRV_API cmrv_status cmrv_inventory_line_uncertainty(cmrv_context* ctx, const cmrv_inventory* inventory, size_t index,
                                                     double* out_u_pct);

/** \brief Options of cmrv_inventory_monte_carlo(). Not thread-safe while being set; may be shared
 *  read-only afterwards. \since 0.2 */
typedef struct cmrv_monte_carlo_options cmrv_monte_carlo_options;
/** \brief A Monte Carlo result. Immutable: may be read from many threads. \since 0.2 */
typedef struct cmrv_monte_carlo cmrv_monte_carlo;

/** \brief Default options: 10 000 draws, seed 0, the hardware's threads, normal for symmetric intervals,
 *  lognormal for asymmetric ones. Caller owns *out; release with cmrv_monte_carlo_options_destroy().
 *  \since 0.2 */
CMRV_API cmrv_status cmrv_monte_carlo_options_create(cmrv_context* ctx, cmrv_monte_carlo_options** out);

/**
 * \brief Sets an option: "draws" (2 – 10⁹), "seed" (0 – 2⁶³ − 1), "threads" (0 – 1024; results do not
 *        depend on it), "symmetric" and "asymmetric" ("normal" | "lognormal" | "triangular" | "uniform";
 *        asymmetric intervals cannot be normal), "keep_draws" ("true" | "false"), and "input"
 *        ("ID=SHAPE" or "ID=SHAPE:LOWER_PCT:UPPER_PCT", split at the last '=': one input's distribution,
 *        and optionally its 95 % interval; repeatable). A bad value is refused here.
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_monte_carlo_options_set(cmrv_context* ctx, cmrv_monte_carlo_options* options, const char* key,
                                                  const char* value);

/** \brief Destroys options. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_monte_carlo_options_destroy(cmrv_monte_carlo_options* options);

/**
 * \brief Uncertainty of the total (\p key "total") or of each group of cmrv_inventory_total_by() by
 *        IPCC 2006 Vol. 1 Ch. 3 Approach 2 (Monte Carlo) on the same model and inputs as
 *        cmrv_inventory_uncertainty(): an input shared by several lines is one draw for all of them;
 *        each input's distribution is fitted to its 95 % interval. Draws come from Philox4x32-10 keyed by
 *        (seed, input id, draw): the same seed gives bit-identical results for any thread count.
 * \param options NULL for the defaults
 * \param[out] out Caller owns *out; release with cmrv_monte_carlo_destroy().
 * \return CMRV_ERR_INVALID_ARGUMENT for a bad key, an override naming no input of the inventory, or a
 *         distribution that cannot have the input's interval (the message names the input).
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_inventory_monte_carlo(cmrv_context* ctx, const cmrv_inventory* inventory, const char* key,
                                                const cmrv_monte_carlo_options* options, cmrv_monte_carlo** out);

/** \brief Number of groups (1 for "total"), in the order of cmrv_inventory_total_by(). \since 0.2 */
CMRV_API cmrv_status cmrv_monte_carlo_group_count(cmrv_context* ctx, const cmrv_monte_carlo* mc, size_t* out_count);

/**
 * \brief One group's statistics: mean, median and the 2.5 / 97.5 percentiles of its draws, tCO2e. Any
 *        output may be NULL.
 * \param[out] out_group borrowed, valid until \p mc is destroyed; set even when not assessed.
 * \return CMRV_ERR_OUT_OF_RANGE for a bad index; CMRV_ERR_FAILED_PRECONDITION /
 *         CMRV_DETAIL_MISSING_PARAMETER when an input of the group has no uncertainty (the message lists
 *         them; no statistic is written).
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_monte_carlo_group(cmrv_context* ctx, const cmrv_monte_carlo* mc, size_t index,
                                            const char** out_group, double* out_mean_t, double* out_median_t,
                                            double* out_lower_t, double* out_upper_t);

/**
 * \brief Copies a group's draws (option "keep_draws" true) into \p out, \p stride_bytes apart.
 * \param count must equal the draw count.
 * \return CMRV_ERR_FAILED_PRECONDITION when the draws were not kept. \since 0.2
 */
CMRV_API cmrv_status cmrv_monte_carlo_draws(cmrv_context* ctx, const cmrv_monte_carlo* mc, size_t index, double* out,
                                            size_t count, size_t stride_bytes);

/**
 * \brief The result as "carbonmrv.monte_carlo/1" JSON: method, generator, seed, draws, every input
 *        (shape, interval, negative draws), every group (statistics, missing inputs, contributions to
 *        variance). \param[out] out_json Caller owns *out_json; release with cmrv_free(). \since 0.2
 */
CMRV_API cmrv_status cmrv_monte_carlo_to_json(cmrv_context* ctx, const cmrv_monte_carlo* mc, char** out_json);

/** \brief Destroys a result. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_monte_carlo_destroy(cmrv_monte_carlo* mc);

/**
 * \brief Key category analysis by IPCC 2006 Vol. 1 Ch. 4 Approach 1 over the groups of
 *        cmrv_inventory_total_by(\p key): the level assessment (Eq. 4.1) when \p base is NULL, else the
 *        trend assessment (Eq. 4.2) of \p inventory against the base-year inventory \p base.
 *        Categories are key until their cumulative share reaches \p threshold_pct (IPCC: 95).
 * \param[out] out_json "carbonmrv.key_categories/1"; caller owns it; release with cmrv_free().
 * \return CMRV_ERR_INVALID_ARGUMENT for a threshold outside (0, 100]; CMRV_ERR_FAILED_PRECONDITION
 *         for a trend against a base year totalling 0.
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_inventory_key_categories(cmrv_context* ctx, const cmrv_inventory* inventory,
                                                   const cmrv_inventory* base, const char* key, double threshold_pct,
                                                   char** out_json);

/** @} */

/** \defgroup energy_balance Enterprise energy balance
 *
 * The "energy_balances" of an enterprise document (docs/energy-balance.md): one period's balance along
 * the GB/T 3484 links, each carrier in its physical unit and in standard coal per GB/T 2589 (当量值 or
 * 等价值), closure per carrier and converter, 综合能耗 and intensities. A balance is immutable: it may be
 * read from many threads.
 *  @{ */

/** Opaque computed energy balance. Immutable: may be read from many threads. */
typedef struct cmrv_energy_balance cmrv_energy_balance;

/**
 * \brief Computes the energy balance of one period.
 * \param period "2023" or "2023-MM"; NULL or "" for the document's only balance
 * \param coefficient_preference dataset ids / \@class tokens / "policy:NAME" for coal_equivalent
 *        coefficients; NULL or "" for the default precedence
 * \param[out] out Caller owns *out; release with cmrv_energy_balance_destroy().
 * \return CMRV_ERR_INVALID_ARGUMENT (invalid enterprise: every JSON path listed), CMRV_ERR_NOT_FOUND
 *         (no balance for \p period), CMRV_ERR_FAILED_PRECONDITION / CMRV_DETAIL_MISSING_PARAMETER (a
 *         carrier without NCV, stated coefficient or dataset coefficient; the message names its path)
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_energy_balance_compute(cmrv_context* ctx, const cmrv_enterprise* enterprise,
                                                 const cmrv_factor_catalogue* catalogue, const char* period,
                                                 const char* coefficient_preference, cmrv_energy_balance** out);

/** \brief Destroys a balance. NULL is a no-op. \since 0.1 */
CMRV_API void cmrv_energy_balance_destroy(cmrv_energy_balance* balance);

/**
 * \brief 综合能耗 (comprehensive energy consumption), tce.
 * \param convention "declared" (the document's), "calorific" (当量值) or "equivalent" (等价值; needs a
 *        stated generation coal rate when electricity is in the balance, else CMRV_ERR_FAILED_PRECONDITION)
 * \param include_feedstock 1 counts energy used as raw material, 0 excludes it; -1 follows the document
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_energy_balance_comprehensive(cmrv_context* ctx, const cmrv_energy_balance* balance,
                                                       const char* convention, int32_t include_feedstock,
                                                       double* out_tce);

/**
 * \brief One cell of the balance table.
 * \param row "purchased", "stock_decrease", "exported", "net_supply", "conversion_input",
 *        "conversion_output", "recovered", "distribution_loss", "main_production", "auxiliary",
 *        "ancillary", "heating_cooling", "lighting", "other_use", "end_use_total", "feedstock", "imbalance"
 * \param carrier a carrier id of the balance, or "total"
 * \param basis "physical" (the carrier's unit; not for "total"), "GJ", "tce" (declared convention),
 *        "tce_calorific", "tce_equivalent"
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_energy_balance_cell(cmrv_context* ctx, const cmrv_energy_balance* balance, const char* row,
                                              const char* carrier, const char* basis, double* out_value);

/** \brief Number of carrier columns. \since 0.1 */
CMRV_API cmrv_status cmrv_energy_balance_carrier_count(cmrv_context* ctx, const cmrv_energy_balance* balance,
                                                       size_t* out_count);

/**
 * \brief The carrier id and physical unit of column \p index.
 * \param[out] out_carrier, out_unit borrowed; valid until \p balance is destroyed; do not free.
 *        Either may be NULL.
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_energy_balance_carrier(cmrv_context* ctx, const cmrv_energy_balance* balance, size_t index,
                                                 const char** out_carrier, const char** out_unit);

/** \brief Number of closure results (carriers, converters with a measured loss, then "total"). \since 0.1 */
CMRV_API cmrv_status cmrv_energy_balance_closure_count(cmrv_context* ctx, const cmrv_energy_balance* balance,
                                                       size_t* out_count);

/**
 * \brief One closure result: where the gap is and how large.
 * \param[out] out_subject carrier id, converter id or "total"; borrowed (valid until \p balance is
 *        destroyed). \param[out] out_link "supply_and_use", "conversion" or "total"; borrowed.
 * \param[out] out_status "ok", "warning" or "error"; borrowed (static).
 * \param[out] out_imbalance_tce the gap in tce (calorific); supply minus uses
 * \param[out] out_relative gap / supply; NaN when there is no supply (the status is then "error" if any
 *        energy is used). Any out pointer may be NULL.
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_energy_balance_closure(cmrv_context* ctx, const cmrv_energy_balance* balance, size_t index,
                                                 const char** out_subject, const char** out_link,
                                                 const char** out_status, double* out_imbalance_tce,
                                                 double* out_relative);

/** \brief The worst closure status: "ok", "warning" or "error" (borrowed, static). \since 0.1 */
CMRV_API cmrv_status cmrv_energy_balance_status(cmrv_context* ctx, const cmrv_energy_balance* balance,
                                                const char** out_status);

/**
 * \brief The balance as a "carbonmrv.energy_balance/1" document (columns with coefficient provenance,
 *        totals, closure, 综合能耗 under both conventions, intensities, efficiencies, notes).
 * \param[out] out_json Caller owns *out_json; release with cmrv_free().
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_energy_balance_to_json(cmrv_context* ctx, const cmrv_energy_balance* balance,
                                                 char** out_json);

/**
 * \brief The balance table as CSV (rows × carriers, plus "total" unless \p basis is "physical").
 * \param[out] out_csv Caller owns *out_csv; release with cmrv_free().
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_energy_balance_to_csv(cmrv_context* ctx, const cmrv_energy_balance* balance,
                                                const char* basis, char** out_csv);

/** @} */

/** \defgroup verification Cross-verification
 *
 * The energy balance against the inventory and a reported inventory against the recomputed one
 * (docs/verification.md). Each finding names its check (X01 …), severity, subject, period, observed and
 * expected values, difference, tolerance and the rule's source. A report is immutable: it may be read
 * from many threads.
 *  @{ */

/** Opaque verification options (checks to run, tolerance overrides, conventions applied).
 *  Threads: setting needs exclusive access; verifications may share one options handle. */
typedef struct cmrv_verify_options cmrv_verify_options;
/** Opaque verification report. Immutable: may be read from many threads. */
typedef struct cmrv_verification cmrv_verification;

/** \brief Default options: every check, the catalogue's tolerances, ipcc_ar5_gwp100, 44/12, location.
 *  Caller owns *out; release with cmrv_verify_options_destroy(). \since 0.1 */
CMRV_API cmrv_status cmrv_verify_options_create(cmrv_context* ctx, cmrv_verify_options** out);

/**
 * \brief Sets an option: "checks" (comma-separated ids, "" for all), "gwp_dataset", "co2_per_carbon",
 *        "scope2_method", "factor_preference" (as for cmrv_inventory_options_set()), "period" (the
 *        energy balance's period), "previous_inventory" (last year's "carbonmrv.inventory/1" JSON for
 *        the year-on-year part of X18; parsed here, errors name its JSON paths). Check ids are
 *        validated by cmrv_verify().
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_verify_options_set(cmrv_context* ctx, cmrv_verify_options* options, const char* key,
                                             const char* value);

/** \brief Overrides a check's tolerances (in the check's unit, e.g. percent); 0 ≤ warning ≤ error. \since 0.1 */
CMRV_API cmrv_status cmrv_verify_options_set_tolerance(cmrv_context* ctx, cmrv_verify_options* options,
                                                       const char* check, double warning, double error);

/** \brief Destroys options. NULL is a no-op. \since 0.1 */
CMRV_API void cmrv_verify_options_destroy(cmrv_verify_options* options);

/**
 * \brief Runs the checks.
 * \param reported_json the enterprise's own inventory ("carbonmrv.inventory/1"), or NULL; enables the
 *        reconciliation and the convention and materiality checks
 * \param options NULL for the defaults
 * \param[out] out Caller owns *out; release with cmrv_verification_destroy().
 * \return CMRV_ERR_INVALID_ARGUMENT (invalid enterprise or reported inventory: JSON paths listed; unknown
 *         check id; bad tolerance), CMRV_ERR_FAILED_PRECONDITION (the inventory or balance cannot be
 *         computed: the message names what is missing)
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_verify(cmrv_context* ctx, const cmrv_enterprise* enterprise,
                                 const cmrv_factor_catalogue* catalogue, const char* reported_json,
                                 const cmrv_verify_options* options, cmrv_verification** out);

/** \brief Destroys a report. NULL is a no-op. \since 0.1 */
CMRV_API void cmrv_verification_destroy(cmrv_verification* report);

/** \brief "clean" (no findings), "warning" or "error" (the worst finding); borrowed, static. \since 0.1 */
CMRV_API cmrv_status cmrv_verification_status(cmrv_context* ctx, const cmrv_verification* report,
                                              const char** out_status);

/** \brief Number of findings. \since 0.1 */
CMRV_API cmrv_status cmrv_verification_finding_count(cmrv_context* ctx, const cmrv_verification* report,
                                                     size_t* out_count);

/**
 * \brief Borrowed text of a finding: "check", "severity", "subject", "period", "unit", "tolerance",
 *        "source", "message", "message_zh".
 * \param[out] out_text valid until \p report is destroyed; do not free.
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_verification_finding_field(cmrv_context* ctx, const cmrv_verification* report, size_t index,
                                                     const char* field, const char** out_text);

/**
 * \brief Numbers of a finding, in its unit. A finding states either an expected value or a range: the
 *        absent ones are set to NaN (test with isnan()). Any out pointer may be NULL.
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_verification_finding_values(cmrv_context* ctx, const cmrv_verification* report, size_t index,
                                                      double* out_observed, double* out_expected, double* out_lower,
                                                      double* out_upper, double* out_difference);

/**
 * \brief The report as "carbonmrv.verification/1" JSON (findings, checks run and skipped, and the
 *        reconciliation when a reported inventory was given).
 * \param[out] out_json Caller owns *out_json; release with cmrv_free().
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_verification_to_json(cmrv_context* ctx, const cmrv_verification* report, char** out_json);

/**
 * \brief The findings as CSV, one row per finding.
 * \param[out] out_csv Caller owns *out_csv; release with cmrv_free().
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_verification_to_csv(cmrv_context* ctx, const cmrv_verification* report, char** out_csv);

/**
 * \brief Region level: the IPCC reference approach (apparent consumption per fuel) against the sum of
 *        the region's enterprise inventories, the difference explained by fuel.
 * \param request_json a "carbonmrv.region/1" request: region, year, conventions, the enterprise
 *        documents and the apparent-consumption rows (docs/verification.md)
 * \param[out] out_json a "carbonmrv.region_comparison/1" document. Caller owns *out_json; release with
 *        cmrv_free().
 * \return CMRV_ERR_INVALID_ARGUMENT with every JSON path ("enterprises[1]: sources[0]...") for a bad request
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_region_compare_json(cmrv_context* ctx, const cmrv_factor_catalogue* catalogue,
                                              const char* request_json, char** out_json);

/** @} */

/** \defgroup cleaner_production Cleaner production: audits, options, MACC
 *
 * A cleaner-production audit round (清洁生产审核) is part of the enterprise document
 * ("cleaner_production" block of "carbonmrv.enterprise/2"). cmrv_audit_compute() evaluates one round:
 * indicators from the enterprise's own energy balance, activity, production and inventory (and, with an
 * indicator system, their levels I/II/III); each option's abatement by the inventory engine, in order
 * (sequential) and alone; its economics (NPV, NPVR, IRR, payback) and cost of abatement; the MACC; the
 * targets; and, with the next year's document as option "review", the ex-post comparison.
 *
 * Threads: an indicator system and an audit are immutable once made: any number of threads may read
 * them. Options need exclusive access while being set.
 *  @{ */

/** Opaque indicator system (清洁生产评价指标体系) loaded from a "carbonmrv.indicator_system/1" file. */
typedef struct cmrv_indicator_system cmrv_indicator_system;
/** Opaque audit options. */
typedef struct cmrv_audit_options cmrv_audit_options;
/** Opaque audit report. */
typedef struct cmrv_audit cmrv_audit;

/**
 * \brief Parses an indicator system: groups with weights (adding up to 1), indicators with weights
 *        (adding up to 1 in each group), direction, unit, level I/II/III benchmarks, limiting flags.
 * \param[out] out Caller owns *out; release with cmrv_indicator_system_destroy().
 * \return CMRV_ERR_INVALID_ARGUMENT listing every problem with its JSON path
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_indicator_system_from_json(cmrv_context* ctx, const char* json, cmrv_indicator_system** out);

/** \brief Destroys an indicator system. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_indicator_system_destroy(cmrv_indicator_system* system);

/** \brief Default audit options: the last round, the inventory defaults, the round's own carbon price,
 *  no review document. Caller owns *out; release with cmrv_audit_options_destroy(). \since 0.2 */
CMRV_API cmrv_status cmrv_audit_options_create(cmrv_context* ctx, cmrv_audit_options** out);

/**
 * \brief Sets an option: the inventory keys (as cmrv_inventory_options_set()), "audit" (the round's
 *        id), "carbon_price" ("60" in CNY/tCO2e, or "60 CNY/tCO2e"), "review" (the next year's enterprise
 *        document JSON; parsed here, errors name its JSON paths).
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_audit_options_set(cmrv_context* ctx, cmrv_audit_options* options, const char* key,
                                            const char* value);

/** \brief Destroys options. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_audit_options_destroy(cmrv_audit_options* options);

/**
 * \brief Evaluates an audit round of \p enterprise.
 * \param system an indicator system to score the indicators against, or NULL
 * \param options NULL for the defaults
 * \param[out] out Caller owns *out; release with cmrv_audit_destroy().
 * \return CMRV_ERR_INVALID_ARGUMENT (an invalid document, an option the activity cannot absorb, an
 *         indicator whose unit does not convert to the system's: the message names the field),
 *         CMRV_ERR_NOT_FOUND (an unknown audit id), CMRV_ERR_FAILED_PRECONDITION (no audit round; an
 *         inventory that cannot be computed)
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_audit_compute(cmrv_context* ctx, const cmrv_enterprise* enterprise,
                                        const cmrv_factor_catalogue* catalogue, const cmrv_indicator_system* system,
                                        const cmrv_audit_options* options, cmrv_audit** out);

/** \brief Destroys an audit report. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_audit_destroy(cmrv_audit* audit);

/** \brief The level of the baseline year's indicators: "I", "II", "III", "none", or "" when no indicator
 *  system was given. Borrowed, static. \since 0.2 */
CMRV_API cmrv_status cmrv_audit_level(cmrv_context* ctx, const cmrv_audit* audit, const char** out_level);

/** \brief Number of options, in the order they were applied. \since 0.2 */
CMRV_API cmrv_status cmrv_audit_option_count(cmrv_context* ctx, const cmrv_audit* audit, size_t* out_count);

/** \brief Borrowed id of option \p index, valid until \p audit is destroyed. \since 0.2 */
CMRV_API cmrv_status cmrv_audit_option_id(cmrv_context* ctx, const cmrv_audit* audit, size_t index,
                                          const char** out_id);

/**
 * \brief A number of option \p index: "abatement_t" (sequential), "standalone_abatement_t",
 *        "investment_cny", "annual_savings_cny", "net_cash_flow_cny", "npv_cny", "npvr", "irr",
 *        "irr_interpolated", "simple_payback_years", "discounted_payback_years", "cost_per_t",
 *        "feasible" (1 or 0), "npv_with_carbon_cny", "irr_with_carbon". A value the option does not have
 *        (no IRR without investment, no carbon price) is NaN (test with isnan()).
 * \return CMRV_ERR_OUT_OF_RANGE for an index past the end; CMRV_ERR_INVALID_ARGUMENT for an unknown name
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_audit_option_value(cmrv_context* ctx, const cmrv_audit* audit, size_t index, const char* name,
                                             double* out_value);

/**
 * \brief The report as "carbonmrv.audit/1" JSON.
 * \param[out] out_json Caller owns *out_json; release with cmrv_free().
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_audit_to_json(cmrv_context* ctx, const cmrv_audit* audit, char** out_json);

/**
 * \brief One table of the report as CSV: "indicators", "options", "macc", "targets", "focus", "ex_post".
 * \param[out] out_csv Caller owns *out_csv; release with cmrv_free().
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_audit_to_csv(cmrv_context* ctx, const cmrv_audit* audit, const char* table, char** out_csv);

/** @} */

/** \defgroup market Carbon market: allocation, compliance, primary auctions and the order book
 *
 * One sealed-bid clearing engine with the platform's rules as an option: "eu" (uniform price, ties in a
 * seeded random order, cancellation and carry-over; Reg. (EU) 1031/2010 Art. 7), "guangdong" (policy
 * reserve price, minimum bid, bidder cap, price then time priority), "discriminatory" (pay-as-bid) and
 * "fixed_price" (pro-rata rationing in lots). Bids are strided columns, so an ERP passes its own array
 * of bid structs. Results are immutable: any number of threads may read one.
 *  @{ */

/** Opaque auction options (the rules and the offer). Setting needs exclusive access. */
typedef struct cmrv_auction_options cmrv_auction_options;
/** Opaque auction result. */
typedef struct cmrv_auction cmrv_auction;

/** \brief Default options: rules "eu", lot 1, tick 0.01, seed 0, carry-over over 4 auctions; the volume
 *  must be set. Caller owns *out; release with cmrv_auction_options_destroy(). \since 0.2 */
CMRV_API cmrv_status cmrv_auction_options_create(cmrv_context* ctx, cmrv_auction_options** out);

/**
 * \brief Sets an option: "rules" (eu | guangdong | discriminatory | fixed_price), "volume", "lot",
 *        "tick", "reserve_price", "min_bid_volume", "max_bidder_share", "fixed_price", "seed",
 *        "carry_over_auctions", "currency". Numbers are decimal text; an unknown key or a bad value is
 *        CMRV_ERR_INVALID_ARGUMENT naming it.
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_auction_options_set(cmrv_context* ctx, cmrv_auction_options* options, const char* key,
                                              const char* value);

/** \brief Destroys options. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_auction_options_destroy(cmrv_auction_options* options);

/**
 * \brief Clears an auction of \p count bids given as strided columns (byte strides; 0 repeats the first
 *        element; otherwise at least the element size).
 * \param prices per allowance (ignored by "fixed_price")
 * \param volumes allowances per bid
 * \param times submission order for time priority, or NULL for input order
 * \param bidders bidder ids, or NULL (bid i is bidder i); the bidder cap adds up bids of one id
 * \param[out] out Caller owns *out; release with cmrv_auction_destroy().
 * \return CMRV_ERR_INVALID_ARGUMENT naming the option or the bid ("bids[3].price: 71.234 is not a
 *         multiple of the tick 0.01"). Bids a platform rule refuses are not errors: their fill is 0 and
 *         the JSON gives the reason.
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_auction_clear(cmrv_context* ctx, const cmrv_auction_options* options, size_t count,
                                        const double* prices, size_t price_stride, const int64_t* volumes,
                                        size_t volume_stride, const int64_t* times, size_t time_stride,
                                        const int64_t* bidders, size_t bidder_stride, cmrv_auction** out);

/** \brief Destroys a result. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_auction_destroy(cmrv_auction* auction);

/** \brief The outcome: clearing price (NaN when cancelled or pay-as-bid), allowances sold and unsold,
 *  1 when cancelled. Any out pointer may be NULL. \since 0.2 */
CMRV_API cmrv_status cmrv_auction_summary(cmrv_context* ctx, const cmrv_auction* auction, double* out_clearing_price,
                                          int64_t* out_sold, int64_t* out_unsold, int32_t* out_cancelled);

/** \brief Copies each bid's filled volume, in input order, into \p out (\p capacity elements \p stride
 *  bytes apart, at least sizeof(int64_t)). \return CMRV_ERR_OUT_OF_RANGE when \p capacity is below the
 *  bid count (nothing written). \since 0.2 */
CMRV_API cmrv_status cmrv_auction_fills(cmrv_context* ctx, const cmrv_auction* auction, int64_t* out, size_t capacity,
                                        size_t stride);

/** \brief The result as "carbonmrv.auction/1" JSON (every bid's fill, price paid, status and reason; the
 *  seed; the carry-over of a cancelled volume). Caller owns *out_json; release with cmrv_free(). \since 0.2 */
CMRV_API cmrv_status cmrv_auction_to_json(cmrv_context* ctx, const cmrv_auction* auction, char** out_json);

/** Opaque order-book options (the market's rules). Setting needs exclusive access. */
typedef struct cmrv_order_book_options cmrv_order_book_options;
/** Opaque continuous order book for one allowance instrument. Threads: one book needs exclusive access
 *  for every call; distinct books are independent. */
typedef struct cmrv_order_book cmrv_order_book;

/** Order sides and types of cmrv_order_book_submit(), trade kinds of cmrv_order_book_trade() (int32_t). */
#define CMRV_SIDE_BUY 0
#define CMRV_SIDE_SELL 1
#define CMRV_ORDER_LIMIT 0
#define CMRV_ORDER_MARKET 1
#define CMRV_TRADE_LISTED 0
#define CMRV_TRADE_BLOCK 1

/** \brief Default options: tick 0.01, lot 1, no previous close (no bands), listed band ±10 %, block band
 *  ±30 %, no block minimum or order maximum, close = last listed trade. Caller owns *out; release with
 *  cmrv_order_book_options_destroy(). \since 0.2 */
CMRV_API cmrv_status cmrv_order_book_options_create(cmrv_context* ctx, cmrv_order_book_options** out);

/**
 * \brief Sets an option: "market" (cn_national: sets every rule but the previous close; set it first),
 *        "tick", "lot", "previous_close", "band_pct", "block_band_pct", "block_min", "max_order",
 *        "close_rule" (last_trade | vwap). Numbers are decimal text; an unknown key or a bad value is
 *        CMRV_ERR_INVALID_ARGUMENT naming it.
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_order_book_options_set(cmrv_context* ctx, cmrv_order_book_options* options, const char* key,
                                                 const char* value);

/** \brief Destroys options. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_order_book_options_destroy(cmrv_order_book_options* options);

/**
 * \brief Creates an order book with \p options' rules (NULL: the defaults). The options are copied.
 * \param[out] out Caller owns *out; release with cmrv_order_book_destroy().
 * \return CMRV_ERR_INVALID_ARGUMENT naming a rule out of range (tick, lot, band_pct, previous_close …)
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_order_book_create(cmrv_context* ctx, const cmrv_order_book_options* options,
                                            cmrv_order_book** out);

/** \brief Destroys a book. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_order_book_destroy(cmrv_order_book* book);

/**
 * \brief Submits an order (price-time priority; a market order never rests). \p id must be above the
 *        previous order's. \p price is ignored for CMRV_ORDER_MARKET.
 * \param[out] out_trades the number of trades it made (the last ones of cmrv_order_book_trade()); may be NULL
 * \return CMRV_ERR_INVALID_ARGUMENT naming the order (id, lots, largest order, tick, band); a refused
 *         order changes nothing
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_order_book_submit(cmrv_context* ctx, cmrv_order_book* book, int64_t id, int32_t side,
                                            int32_t type, double price, int64_t quantity, int64_t time,
                                            size_t* out_trades);

/** \brief Cancels the rest of a resting order. \return CMRV_ERR_NOT_FOUND when it is not resting. \since 0.2 */
CMRV_API cmrv_status cmrv_order_book_cancel(cmrv_context* ctx, cmrv_order_book* book, int64_t id);

/**
 * \brief Records a block trade agreed outside the book (大宗协议交易): it never touches resting orders
 *        and never sets the close. \p id is in the order ids' increasing sequence.
 * \return CMRV_ERR_INVALID_ARGUMENT naming the deal (id, lots, block minimum, tick, block band)
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_order_book_block(cmrv_context* ctx, cmrv_order_book* book, int64_t id, double price,
                                           int64_t quantity, int64_t time);

/** \brief Number of trades so far (listed and block). \since 0.2 */
CMRV_API cmrv_status cmrv_order_book_trade_count(cmrv_context* ctx, const cmrv_order_book* book, size_t* out_count);

/** \brief Trade \p index: buy and sell order ids (a block trade: its id twice), price (the resting
 *  order's, or the agreed one), quantity, time and kind (CMRV_TRADE_LISTED or CMRV_TRADE_BLOCK). Any
 *  out pointer may be NULL. \return CMRV_ERR_OUT_OF_RANGE past the end. \since 0.2 */
CMRV_API cmrv_status cmrv_order_book_trade(cmrv_context* ctx, const cmrv_order_book* book, size_t index,
                                           int64_t* out_buy, int64_t* out_sell, double* out_price,
                                           int64_t* out_quantity, int64_t* out_time, int32_t* out_kind);

/** \brief Best bid and ask, NaN on an empty side. Any out pointer may be NULL. \since 0.2 */
CMRV_API cmrv_status cmrv_order_book_best(cmrv_context* ctx, const cmrv_order_book* book, double* out_bid,
                                          double* out_ask);

/** \brief The session so far: listed open, high, low, close (by the "close_rule"; without listed trades,
 *  the previous close), VWAP (NaN where there is none), listed volume and block volume. Any out pointer
 *  may be NULL. \since 0.2 */
CMRV_API cmrv_status cmrv_order_book_summary(cmrv_context* ctx, const cmrv_order_book* book, double* out_open,
                                             double* out_high, double* out_low, double* out_close, double* out_vwap,
                                             int64_t* out_volume, int64_t* out_block_volume);

/** \brief Rules, session summary and trades as "carbonmrv.order_book/1" JSON (open, high, low, close,
 *  vwap, volume, turnover, block volume and turnover, trades with their kind). Caller owns *out_json;
 *  release with cmrv_free(). \since 0.2 */
CMRV_API cmrv_status cmrv_order_book_to_json(cmrv_context* ctx, const cmrv_order_book* book, char** out_json);

/** Opaque allocation rule set (a plan: benchmarks, corrections, compliance rules). Immutable: any
 *  number of threads may use one. */
typedef struct cmrv_allocation_rules cmrv_allocation_rules;
/** Opaque allocation result. Immutable. */
typedef struct cmrv_allocation cmrv_allocation;
/** Opaque compliance position. Immutable. */
typedef struct cmrv_compliance cmrv_compliance;

/** Holding kinds of cmrv_compliance_assess() (int32_t values). */
#define CMRV_HOLDING_ALLOWANCE 0
#define CMRV_HOLDING_CCER 1

/**
 * \brief A built-in rule set: "cn_power_2019_2020", "cn_power_2021_2022", "cn_power_2023_2024",
 *        "cn_industry_2024", "eu_far_2021_2025" (docs/market.md: every value with its source and
 *        confidence tag).
 * \param[out] out Caller owns *out; release with cmrv_allocation_rules_destroy().
 * \return CMRV_ERR_NOT_FOUND listing the built-in ids for any other id
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_allocation_rules_builtin(cmrv_context* ctx, const char* id, cmrv_allocation_rules** out);

/** \brief A rule set from "carbonmrv.allocation_rules/1" JSON (UTF-8, NUL-terminated). Errors list every
 *  problem with its JSON path. Caller owns *out; release with cmrv_allocation_rules_destroy(). \since 0.2 */
CMRV_API cmrv_status cmrv_allocation_rules_from_json(cmrv_context* ctx, const char* json, cmrv_allocation_rules** out);

/** \brief Destroys a rule set. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_allocation_rules_destroy(cmrv_allocation_rules* rules);

/**
 * \brief Allocates to every facility of \p enterprise that has allocation data
 *        (`facilities[i].allocation`, schema carbonmrv.enterprise/2).
 * \param year the allocation year; 0 means the document's reporting year, whose verified emissions come
 *        from the inventory computed with \p catalogue and \p options (NULL: defaults); other years use
 *        the emissions the document states
 * \param[out] out Caller owns *out; release with cmrv_allocation_destroy().
 * \return CMRV_ERR_INVALID_ARGUMENT or a missing-parameter error naming the field
 *         ("facilities[0].allocation.years[2019].heat_ratio: required by cn_power_2019_2020 ...")
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_allocate(cmrv_context* ctx, const cmrv_enterprise* enterprise,
                                   const cmrv_factor_catalogue* catalogue, const cmrv_allocation_rules* rules,
                                   int32_t year, const cmrv_inventory_options* options, cmrv_allocation** out);

/** \brief Destroys an allocation. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_allocation_destroy(cmrv_allocation* allocation);

/** \brief Total allocation, pre-allocation and true-up (t; NaN when the plan has no pre-allocation or the
 *  base year is not given) and the number of facilities. Any out pointer may be NULL. \since 0.2 */
CMRV_API cmrv_status cmrv_allocation_summary(cmrv_context* ctx, const cmrv_allocation* allocation, double* out_total,
                                             double* out_pre_allocation, double* out_true_up, size_t* out_facilities);

/** \brief Facility \p index: its id (owned by \p allocation, valid until it is destroyed), allocation and
 *  verified emissions (t; NaN when not known). Any out pointer may be NULL. \return CMRV_ERR_OUT_OF_RANGE
 *  past the end. \since 0.2 */
CMRV_API cmrv_status cmrv_allocation_facility(cmrv_context* ctx, const cmrv_allocation* allocation, size_t index,
                                              const char** out_id, double* out_allocation,
                                              double* out_verified_emissions);

/** \brief The allocation as "carbonmrv.allocation/1" JSON with every facility's trace (benchmark,
 *  corrections, inputs, sources). Caller owns *out_json; release with cmrv_free(). \since 0.2 */
CMRV_API cmrv_status cmrv_allocation_to_json(cmrv_context* ctx, const cmrv_allocation* allocation, char** out_json);

/**
 * \brief The compliance position of an allocation's enterprise and year under \p rules (the rule set the
 *        allocation was made with), given the entity's holdings as strided columns (byte strides; 0
 *        repeats the first element).
 * \param kinds CMRV_HOLDING_ALLOWANCE or CMRV_HOLDING_CCER
 * \param vintages the allowance vintage or the offset's year of issue
 * \param quantities tCO2e
 * \param net_sold net allowances sold over the period the carry-over cap counts; NaN when not known
 * \param[out] out Caller owns *out; release with cmrv_compliance_destroy().
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_compliance_assess(cmrv_context* ctx, const cmrv_allocation* allocation,
                                            const cmrv_allocation_rules* rules, size_t count, const int32_t* kinds,
                                            size_t kind_stride, const int32_t* vintages, size_t vintage_stride,
                                            const double* quantities, size_t quantity_stride, double net_sold,
                                            cmrv_compliance** out);

/** \brief Destroys a compliance position. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_compliance_destroy(cmrv_compliance* compliance);

/** \brief Allowances due, surrendered (CCER up to the limit, then allowances oldest vintage first),
 *  shortfall and surplus (t). Any out pointer may be NULL. \since 0.2 */
CMRV_API cmrv_status cmrv_compliance_summary(cmrv_context* ctx, const cmrv_compliance* compliance, double* out_due,
                                             double* out_surrendered, double* out_shortfall, double* out_surplus);

/** \brief The position as "carbonmrv.compliance/1" JSON (per facility, the cap and gas-unit relief, the
 *  surrender plan by vintage and kind, borrowing and carry-over). Caller owns *out_json; release with
 *  cmrv_free(). \since 0.2 */
CMRV_API cmrv_status cmrv_compliance_to_json(cmrv_context* ctx, const cmrv_compliance* compliance, char** out_json);

/** @} */

/** \defgroup registry Registry: enterprises, audits, inventories, accounts, movements, compliance
 *
 * One administration's record on SQLite ("sqlite:PATH" or a plain path) or PostgreSQL
 * ("postgresql:CONNINFO"). Every write is an operation — a JSON object whose "op" names it, the same on
 * every surface (docs/registry.md lists each with its fields and who may apply it) — applied by an actor
 * in one transaction that appends one SHA-256-chained journal entry. Writers are serialized across
 * processes; a committed operation survives a killed process; a refused one writes nothing but a
 * refusal log line.
 *
 * Threads: one cmrv_registry is one database connection and needs exclusive access for every call;
 * open one per thread or process (any number may share one database).
 *  @{ */

/** Opaque registry connection. */
typedef struct cmrv_registry cmrv_registry;

/** Actor roles (int32_t values). */
#define CMRV_ROLE_REGULATOR 0
#define CMRV_ROLE_VERIFIER 1
#define CMRV_ROLE_ENTERPRISE 2 /**< the actor id is the enterprise's USCC */
#define CMRV_ROLE_EXCHANGE 3

/**
 * \brief Opens a registry, creating its schema or migrating an older one in one transaction.
 * \param target "sqlite:PATH", "postgresql:CONNINFO" (libpq keyword/value or URI) or a file path
 * \param[out] out Caller owns *out; release with cmrv_registry_close().
 * \return CMRV_ERR_UNAVAILABLE / CMRV_DETAIL_STORAGE when the database cannot be reached;
 *         CMRV_ERR_FAILED_PRECONDITION / CMRV_DETAIL_SCHEMA_VERSION when a later carbonmrv wrote it
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_registry_open(cmrv_context* ctx, const char* target, cmrv_registry** out);

/** \brief Closes the connection. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_registry_close(cmrv_registry* registry);

/**
 * \brief Applies one operation as the actor (\p role, \p actor_id).
 * \param op_json e.g. {"op": "transfer", "from": "<USCC>", "to": "<USCC>", "vintage": 2022, "quantity": 100}
 * \param[out] out_seq its journal sequence number; may be NULL
 * \return CMRV_ERR_INVALID_ARGUMENT naming the field ("transfer.quantity: …"); CMRV_ERR_PERMISSION_DENIED
 *         / CMRV_DETAIL_NOT_PERMITTED naming who tried what (also logged: view "refusals");
 *         CMRV_ERR_FAILED_PRECONDITION / CMRV_DETAIL_INSUFFICIENT_HOLDINGS; CMRV_ERR_NOT_FOUND for an
 *         unknown enterprise or account; CMRV_ERR_ALREADY_EXISTS / CMRV_DETAIL_DUPLICATE_ENTRY;
 *         CMRV_ERR_UNAVAILABLE when the database stays busy. Nothing is written unless it succeeds.
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_registry_apply(cmrv_context* ctx, cmrv_registry* registry, int32_t role, const char* actor_id,
                                         const char* op_json, int64_t* out_seq);

/**
 * \brief Applies a JSON array of operations in one transaction: all or none. Errors name the
 *        operation's index ("ops[3]: …").
 * \param[out] out_first_seq the first one's sequence number (the rest follow); may be NULL
 * \param[out] out_count how many were applied; may be NULL
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_registry_apply_all(cmrv_context* ctx, cmrv_registry* registry, int32_t role,
                                             const char* actor_id, const char* ops_json, int64_t* out_first_seq,
                                             size_t* out_count);

/** \brief The balance of \p account in \p kind ("allowance" | "ccer") and \p vintage.
 *  \return CMRV_ERR_NOT_FOUND for an unknown account. \since 0.2 */
CMRV_API cmrv_status cmrv_registry_balance(cmrv_context* ctx, cmrv_registry* registry, const char* account,
                                           const char* kind, int32_t vintage, int64_t* out_quantity);

/**
 * \brief A read-only view as a JSON array of rows: "status" ({"year": Y[, "region", "industry"]}),
 *        "holdings" ([{"account"}]), "history" ({"uscc"}), "journal" ([{"from"}]), "findings"
 *        ([{"uscc", "open"}]), "refusals". \p params_json may be NULL for none. Caller owns *out_json;
 *        release with cmrv_free().
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_registry_view(cmrv_context* ctx, cmrv_registry* registry, const char* name,
                                        const char* params_json, char** out_json);

/**
 * \brief Recomputes the journal's hash chain and checks every entry's movements against the table
 *        balances are summed from. A broken chain is a result (\p out_ok = 0 with the first bad entry
 *        and the problem), not an error.
 * \param[out] out_problem Caller owns it; release with cmrv_free(); may be NULL
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_registry_verify_journal(cmrv_context* ctx, cmrv_registry* registry, int32_t* out_ok,
                                                  int64_t* out_entries, int64_t* out_first_bad, char** out_problem);

/** @} */

/** \defgroup batch Batch engine
 *
 * Many activity records at once, as columns the caller already holds: each column is a pointer, an
 * element type and a byte stride, so an ERP passes its own array of record structs and numpy/pandas
 * pass their buffers, without copying. Columns are borrowed: they must stay valid and unchanged until
 * cmrv_batch_compute() returns. Factors are resolved once per distinct (kind, carrier, unit, region,
 * year) tuple by the inventory engine, so results equal cmrv_inventory_compute() on the same data.
 * Results are bit-identical for any thread count.
 *
 * \code
 * cmrv_batch_records* rec;
 * cmrv_batch_records_create(ctx, n, &rec);
 * cmrv_batch_records_set_codes(ctx, rec, "carrier", CMRV_DTYPE_INT32, &r[0].fuel, sizeof r[0], fuels, nfuels);
 * cmrv_batch_records_set_codes(ctx, rec, "unit", CMRV_DTYPE_INT32, &r[0].unit, sizeof r[0], units, nunits);
 * cmrv_batch_records_set_column(ctx, rec, "quantity", CMRV_DTYPE_FLOAT64, &r[0].qty, sizeof r[0], NULL);
 * cmrv_batch_records_add_key(ctx, rec, CMRV_DTYPE_INT32, &r[0].enterprise, sizeof r[0]);
 * cmrv_batch_result* res;
 * cmrv_batch_compute(ctx, catalogue, options, rec, &res);   // then cmrv_batch_result_group_*()
 * \endcode
 *  @{ */

/** Element type of a batch column: one of the CMRV_DTYPE_* values (an int32_t, like every enumeration
 *  of this API, so that a value outside the list is reported as an error, never undefined). */
typedef int32_t cmrv_dtype;
#define CMRV_DTYPE_INT8 0
#define CMRV_DTYPE_INT16 1
#define CMRV_DTYPE_INT32 2
#define CMRV_DTYPE_INT64 3
#define CMRV_DTYPE_UINT8 4
#define CMRV_DTYPE_UINT16 5
#define CMRV_DTYPE_UINT32 6
#define CMRV_DTYPE_UINT64 7
#define CMRV_DTYPE_FLOAT32 8
#define CMRV_DTYPE_FLOAT64 9

/** Opaque batch options. Threads: setting needs exclusive access; computations may share it. */
typedef struct cmrv_batch_options cmrv_batch_options;
/** Opaque description of the records: borrowed columns and caller-owned output buffers. Threads: one
 *  computation at a time per records handle (its output buffers are written). */
typedef struct cmrv_batch_records cmrv_batch_records;
/** Opaque result: the report and the group sums. Immutable: may be read from many threads. */
typedef struct cmrv_batch_result cmrv_batch_result;

/** \brief Defaults: kind fuel_combustion, region GLOBAL, method default_factor, ipcc_ar5_gwp100, 44/12,
 *  policy reject, all hardware threads, every group value; the year must be set unless the records have
 *  a year column. Caller owns *out; release with cmrv_batch_options_destroy().
 *  \since 0.1 */
CMRV_API cmrv_status cmrv_batch_options_create(cmrv_context* ctx, cmrv_batch_options** out);

/**
 * \brief Sets an option: "kind" (source kind when the records have no kind column), "region", "year",
 *        "method" (default_factor | energy_ef | measured_carbon), "gwp_dataset", "co2_per_carbon",
 *        "factor_preference", "scope2_method" (location | market), "policy" ("reject" | "skip"),
 *        "threads" (0 = all), "report_rows" (first row indices kept per error kind), "group_values"
 *        (comma-separated subset of co2_t, ch4_t, n2o_t, co2e_t, records; default all), "group_keys"
 *        ("values", the default, or "levels_codes": cmrv_batch_result_group_levels() and _codes(); since
 *        0.2).
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_batch_options_set(cmrv_context* ctx, cmrv_batch_options* options, const char* key,
                                            const char* value);

/** \brief Progress of a long call: \p done of \p total units of work (records, for the batch engine).
 *  Return 0 to go on, non-zero to cancel: the call then fails with CMRV_ERR_CANCELLED and its outputs
 *  hold nothing (NaN). Called on the thread that made the call, never concurrently. \since 0.2 */
typedef int (*cmrv_progress_fn)(void* user_data, uint64_t done, uint64_t total);

/** \brief Reports cmrv_batch_compute()'s progress to \p fn about every 0.1 s, and once with done = total
 *  at the end of its main pass; \p fn NULL removes it. \p user_data is passed through and must outlive
 *  the compute calls. Results do not depend on it; its cost is measured in docs/performance.md.
 *  \since 0.2 */
CMRV_API cmrv_status cmrv_batch_options_set_progress(cmrv_context* ctx, cmrv_batch_options* options,
                                                     cmrv_progress_fn fn, void* user_data);

/** \brief Destroys options. NULL is a no-op. \since 0.1 */
CMRV_API void cmrv_batch_options_destroy(cmrv_batch_options* options);

/** \brief Describes \p count records (no columns yet). Caller owns *out; release with
 *  cmrv_batch_records_destroy(). \since 0.1 */
CMRV_API cmrv_status cmrv_batch_records_create(cmrv_context* ctx, size_t count, cmrv_batch_records** out);

/** \brief Destroys a records description (never the caller's columns). NULL is a no-op. \since 0.1 */
CMRV_API void cmrv_batch_records_destroy(cmrv_batch_records* records);

/**
 * \brief Sets a coded column: "carrier" and "unit" (required), "kind" or "region" (optional, per record).
 * \param type an integer type; codes index \p values (a negative or too large code is a bad_code record)
 * \param values \p value_count strings (carrier ids/names/aliases, unit strings, source kind names,
 *        region codes), copied
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_batch_records_set_codes(cmrv_context* ctx, cmrv_batch_records* records, const char* name,
                                                  cmrv_dtype type, const void* codes, size_t stride,
                                                  const char* const* values, size_t value_count);

/**
 * \brief Sets a value column: "quantity" (required; float), "year" (integer), or a measured parameter
 *        "ncv", "carbon_content", "oxidation" (float, NaN where not measured) with its \p unit
 *        ("GJ/t", "tC/TJ", "%" ...; NULL for quantity and year).
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_batch_records_set_column(cmrv_context* ctx, cmrv_batch_records* records, const char* name,
                                                   cmrv_dtype type, const void* data, size_t stride, const char* unit);

/** \brief Adds an integer group key column (enterprise, period, ...); groups are the distinct key
 *  combinations, listed in key order. \since 0.1 */
CMRV_API cmrv_status cmrv_batch_records_add_key(cmrv_context* ctx, cmrv_batch_records* records, cmrv_dtype type,
                                                const void* data, size_t stride);

/** \brief Sets a caller-owned per-record output of \p count doubles with a byte stride: "co2_t",
 *  "ch4_t", "n2o_t" or "co2e_t" (tonnes; NaN for a skipped record). When cmrv_batch_compute() rejects
 *  the batch, every element is set to NaN: nothing partial survives. \since 0.1 */
CMRV_API cmrv_status cmrv_batch_records_set_output(cmrv_context* ctx, cmrv_batch_records* records, const char* name,
                                                   double* data, size_t stride);

/**
 * \brief Computes the records.
 * \param[out] out the report and the group sums. Caller owns *out; release with cmrv_batch_result_destroy().
 * \return CMRV_ERR_INVALID_ARGUMENT under the reject policy when any record is invalid (the message
 *         counts each kind with its first rows and says why each failing tuple cannot be computed; the
 *         per-record outputs are set to NaN, *out is untouched), or for a missing or mistyped column
 *         (named in the message; nothing written)
 * \since 0.1
 */
CMRV_API cmrv_status cmrv_batch_compute(cmrv_context* ctx, const cmrv_factor_catalogue* catalogue,
                                        const cmrv_batch_options* options, const cmrv_batch_records* records,
                                        cmrv_batch_result** out);

/** \brief Destroys a result. NULL is a no-op. \since 0.1 */
CMRV_API void cmrv_batch_result_destroy(cmrv_batch_result* result);

/** \brief Valid and skipped record counts. Either pointer may be NULL. \since 0.1 */
CMRV_API cmrv_status cmrv_batch_result_counts(cmrv_context* ctx, const cmrv_batch_result* result, size_t* valid,
                                              size_t* skipped);

/** \brief The report as JSON: counts and first rows per error kind, why tuples failed, how many
 *  records used a default instead of a measured value, and every factor used with its trace terms.
 *  Caller owns *out_json; release with cmrv_free(). \since 0.1 */
CMRV_API cmrv_status cmrv_batch_result_report_json(cmrv_context* ctx, const cmrv_batch_result* result, char** out_json);

/** \brief Number of groups (0 without key columns). \since 0.1 */
CMRV_API cmrv_status cmrv_batch_result_group_count(cmrv_context* ctx, const cmrv_batch_result* result,
                                                   size_t* out_count);

/** \brief Copies key column \p key_index of every group into \p out, a buffer of \p capacity int64
 *  elements \p stride bytes apart (sizeof(int64_t) when packed; at least that). With the option
 *  group_keys "levels_codes" each group's key is its level, decoded here.
 *  \return CMRV_ERR_OUT_OF_RANGE when \p capacity is below the group count (nothing written).
 *  \since 0.2 (0.1 had no capacity) */
CMRV_API cmrv_status cmrv_batch_result_group_keys(cmrv_context* ctx, const cmrv_batch_result* result, size_t key_index,
                                                  int64_t* out, size_t capacity, size_t stride);

/** \brief Key column \p key_index's levels, when the option group_keys is "levels_codes": its distinct
 *  values over the groups, ascending, copied into \p out (\p capacity int64 elements, packed);
 *  \p out_count gets their number. \p out NULL with \p capacity 0 asks for the number only. With the
 *  levels and cmrv_batch_result_group_codes() a caller holds 4 bytes per group and key instead of 8, as
 *  a pandas MultiIndex or an R factor does.
 *  \return CMRV_ERR_INVALID_ARGUMENT when the keys were returned as values (the default);
 *          CMRV_ERR_OUT_OF_RANGE when \p capacity is below the level count (nothing written).
 *  \since 0.2 */
CMRV_API cmrv_status cmrv_batch_result_group_levels(cmrv_context* ctx, const cmrv_batch_result* result,
                                                    size_t key_index, int64_t* out, size_t capacity, size_t* out_count);

/** \brief Copies each group's code for key column \p key_index (its index into the levels of
 *  cmrv_batch_result_group_levels()) into \p out, \p capacity int32 elements \p stride bytes apart
 *  (sizeof(int32_t) when packed; at least that), when the option group_keys is "levels_codes".
 *  \return CMRV_ERR_INVALID_ARGUMENT when the keys were returned as values;
 *          CMRV_ERR_OUT_OF_RANGE when \p capacity is below the group count (nothing written).
 *  \since 0.2 */
CMRV_API cmrv_status cmrv_batch_result_group_codes(cmrv_context* ctx, const cmrv_batch_result* result, size_t key_index,
                                                   int32_t* out, size_t capacity, size_t stride);

/** \brief Copies a group value into \p out, a buffer of \p capacity doubles \p stride bytes apart
 *  (sizeof(double) when packed; at least that): "co2_t", "ch4_t", "n2o_t", "co2e_t" or "records"
 *  (valid records), each if asked for by the "group_values" option.
 *  \return CMRV_ERR_OUT_OF_RANGE when \p capacity is below the group count (nothing written).
 *  \since 0.2 (0.1 had no capacity) */
CMRV_API cmrv_status cmrv_batch_result_group_values(cmrv_context* ctx, const cmrv_batch_result* result,
                                                    const char* name, double* out, size_t capacity, size_t stride);

/** Opaque group sums carried across cmrv_batch_compute() calls, for data that arrives in chunks (a
 *  database cursor, files): memory is the number of distinct groups, whatever the number of records.
 *  Groups are merged by their key values (hashed; no sorting per chunk), each group's sums added in call
 *  order, so the result is bit-identical for a given chunking. Threads: not thread-safe; one thread at a
 *  time per object.
 *  \code
 * cmrv_batch_group_sums* sums;
 * cmrv_batch_group_sums_create(ctx, &sums);
 * while (next_chunk(&rec)) {                      // records with the same key columns each time
 *   cmrv_batch_compute(ctx, catalogue, options, rec, &res);
 *   cmrv_batch_group_sums_add(ctx, sums, res);
 *   cmrv_batch_result_destroy(res);
 * }
 * cmrv_batch_group_sums_take(ctx, sums, &res);    // then cmrv_batch_result_group_*(), _report_json()
 *  \endcode */
typedef struct cmrv_batch_group_sums cmrv_batch_group_sums;

/** \brief Creates empty group sums. Caller owns *out; release with cmrv_batch_group_sums_destroy().
 *  \since 0.2 */
CMRV_API cmrv_status cmrv_batch_group_sums_create(cmrv_context* ctx, cmrv_batch_group_sums** out);

/** \brief Destroys group sums. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_batch_group_sums_destroy(cmrv_batch_group_sums* sums);

/** \brief Adds one call's groups and report. \p result stays the caller's (it may be destroyed right
 *  after). Every result with groups must have the key columns and group values of the first.
 *  \return CMRV_ERR_INVALID_ARGUMENT when the key columns or values differ from the first call's (the
 *          message names both), CMRV_ERR_OUT_OF_RANGE when a sum would exceed the largest double; on
 *          an error nothing is added
 *  \since 0.2 */
CMRV_API cmrv_status cmrv_batch_group_sums_add(cmrv_context* ctx, cmrv_batch_group_sums* sums,
                                               const cmrv_batch_result* result);

/** \brief Distinct groups so far and records of the calls added so far (valid + skipped). Either
 *  pointer may be NULL. \since 0.2 */
CMRV_API cmrv_status cmrv_batch_group_sums_counts(cmrv_context* ctx, const cmrv_batch_group_sums* sums,
                                                  size_t* out_groups, uint64_t* out_records);

/** \brief Moves the sums out as a result, groups in key order, read with cmrv_batch_result_group_*();
 *  its report merges the calls' reports: counts summed, first rows as positions in the whole stream
 *  (each call's offset by the records before it), each factor once with its records summed. \p sums
 *  is then empty and may be reused. Caller owns *out; release with cmrv_batch_result_destroy().
 *  \since 0.2 */
CMRV_API cmrv_status cmrv_batch_group_sums_take(cmrv_context* ctx, cmrv_batch_group_sums* sums,
                                                cmrv_batch_result** out);

/** @} */

/** \defgroup did Policy evaluation: difference-in-differences
 *  Callaway & Sant'Anna ATT(g,t) (R did's att_gt/aggte, with DRDID's estimators), the canonical 2×2,
 *  two-way fixed effects with cluster-robust SEs and the Goodman-Bacon decomposition, on a panel in long
 *  form given as strided columns (docs/policy-evaluation.md).
 *  \code
 * cmrv_did_panel* panel;
 * cmrv_did_panel_create(ctx, rows, &panel);
 * cmrv_did_panel_set_column(ctx, panel, "id", CMRV_DTYPE_INT64, &r[0].county, sizeof r[0]);
 * cmrv_did_panel_set_column(ctx, panel, "time", CMRV_DTYPE_INT32, &r[0].year, sizeof r[0]);
 * cmrv_did_panel_set_column(ctx, panel, "y", CMRV_DTYPE_FLOAT64, &r[0].lemp, sizeof r[0]);
 * cmrv_did_panel_set_column(ctx, panel, "group", CMRV_DTYPE_INT32, &r[0].first_treat, sizeof r[0]);
 * cmrv_did_result* res;
 * cmrv_did_att_gt(ctx, NULL, panel, &res);   // then cmrv_did_result_cells(), cmrv_did_aggregate()
 *  \endcode
 *  @{ */

/** Opaque panel: copies of the caller's columns. Threads: setting needs exclusive access; estimations
 *  may share it. */
typedef struct cmrv_did_panel cmrv_did_panel;
/** Opaque options. Threads: setting needs exclusive access; estimations may share them. */
typedef struct cmrv_did_options cmrv_did_options;
/** Opaque ATT(g,t) result. Immutable: may be read from many threads. */
typedef struct cmrv_did_result cmrv_did_result;
/** Opaque aggregation of a result. Immutable: may be read from many threads. */
typedef struct cmrv_did_aggregate cmrv_did_aggregate;

/** \brief A panel of \p rows rows (no columns yet). Caller owns *out; release with
 *  cmrv_did_panel_destroy(). \since 0.2 */
CMRV_API cmrv_status cmrv_did_panel_create(cmrv_context* ctx, size_t rows, cmrv_did_panel** out);

/** \brief Destroys a panel. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_did_panel_destroy(cmrv_did_panel* panel);

/**
 * \brief Copies a column of the panel's row count, \p stride bytes apart: "id", "time", "group" (first
 *        treated period, 0 = never) and "cluster" (optional) of an integer type; "y" of any type (NaN:
 *        missing).
 * \return CMRV_ERR_INVALID_ARGUMENT for an unknown name, a float id/time/group/cluster column, or a
 *         float value that is not a whole number where an integer is needed (row named)
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_did_panel_set_column(cmrv_context* ctx, cmrv_did_panel* panel, const char* name,
                                               cmrv_dtype type, const void* data, size_t stride);

/** \brief Adds a covariate column \p name (R did's xformla terms), copied as doubles. \since 0.2 */
CMRV_API cmrv_status cmrv_did_panel_add_covariate(cmrv_context* ctx, cmrv_did_panel* panel, const char* name,
                                                  cmrv_dtype type, const void* data, size_t stride);

/** \brief Defaults as R did: nevertreated, varying base, no anticipation, est_method dr, balanced panel
 *  required, alpha 0.05, analytic SEs. Caller owns *out; release with cmrv_did_options_destroy().
 *  \since 0.2 */
CMRV_API cmrv_status cmrv_did_options_create(cmrv_context* ctx, cmrv_did_options** out);

/** \brief Sets an option: control_group (nevertreated | notyettreated), base_period (varying |
 *  universal), anticipation, est_method (dr | ipw | reg), drop_incomplete_units (true | false),
 *  allow_unbalanced_panel (true: a panel with missing periods is estimated as R did's
 *  allow_unbalanced_panel = TRUE does), panel (false: each row is its own unit, repeated cross-sections),
 *  alpha, bootstrap_draws (0: analytic), seed, min_e, max_e (the dynamic aggregation's window).
 *  \since 0.2 */
CMRV_API cmrv_status cmrv_did_options_set(cmrv_context* ctx, cmrv_did_options* options, const char* key,
                                          const char* value);

/** \brief Reports cmrv_did_att_gt()'s progress to \p fn as (cells estimated, cells in all) about every
 *  0.1 s and after the last cell; a non-zero return cancels (CMRV_ERR_CANCELLED). \p fn NULL removes it;
 *  \p user_data must outlive the calls. Results do not depend on it. \since 0.2 */
CMRV_API cmrv_status cmrv_did_options_set_progress(cmrv_context* ctx, cmrv_did_options* options, cmrv_progress_fn fn,
                                                   void* user_data);

/** \brief Destroys options. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_did_options_destroy(cmrv_did_options* options);

/**
 * \brief ATT(g,t) of every cohort and period with SEs, the band's critical value and the Wald pre-test.
 * \param options NULL for the defaults
 * \param[out] out caller owns *out; release with cmrv_did_result_destroy()
 * \return CMRV_ERR_INVALID_ARGUMENT naming the row, unit, covariate or cell (a cohort that switches, a
 *         missing period, a constant covariate, a cell without comparison units ...); *out untouched
 * \since 0.2
 */
CMRV_API cmrv_status cmrv_did_att_gt(cmrv_context* ctx, const cmrv_did_options* options, const cmrv_did_panel* panel,
                                     cmrv_did_result** out);

/** \brief Destroys a result. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_did_result_destroy(cmrv_did_result* result);

/** \brief Number of (g,t) cells. \since 0.2 */
CMRV_API cmrv_status cmrv_did_result_cell_count(cmrv_context* ctx, const cmrv_did_result* result, size_t* out);

/** \brief Copies a cell column into \p out (\p capacity doubles \p stride bytes apart, stride ≥ 8):
 *  "group", "time", "att", "se", "post" (0/1), "treated", "controls" (unit counts).
 *  \return CMRV_ERR_OUT_OF_RANGE when \p capacity is below the cell count (nothing written) \since 0.2 */
CMRV_API cmrv_status cmrv_did_result_cells(cmrv_context* ctx, const cmrv_did_result* result, const char* name,
                                           double* out, size_t capacity, size_t stride);

/** \brief The Wald pre-test: statistic, p-value and degrees of freedom; NaN, NaN, 0 when there are no
 *  pre-treatment cells. Also the band's critical value and whether it is uniform (bootstrap). Any
 *  pointer may be NULL. \since 0.2 */
CMRV_API cmrv_status cmrv_did_result_summary(cmrv_context* ctx, const cmrv_did_result* result, double* wald,
                                             double* wald_p, int32_t* wald_df, double* critical_value,
                                             int32_t* uniform_band);

/** \brief Notes on the estimation (dropped units, cohorts not estimated) as a JSON array of strings.
 *  Caller owns *out_json; release with cmrv_free(). \since 0.2 */
CMRV_API cmrv_status cmrv_did_result_notes_json(cmrv_context* ctx, const cmrv_did_result* result, char** out_json);

/** \brief Aggregates a result: \p type "simple", "group", "dynamic" or "calendar" (R did's aggte); the
 *  options' min_e/max_e bound a dynamic one (NULL: no window). Caller owns *out; release with
 *  cmrv_did_aggregate_destroy(). \since 0.2 */
CMRV_API cmrv_status cmrv_did_aggregate_create(cmrv_context* ctx, const cmrv_did_result* result, const char* type,
                                               const cmrv_did_options* options, cmrv_did_aggregate** out);

/** \brief Destroys an aggregation. NULL is a no-op. \since 0.2 */
CMRV_API void cmrv_did_aggregate_destroy(cmrv_did_aggregate* aggregate);

/** \brief The overall ATT and SE, the element count and the elements' critical value. Any pointer may
 *  be NULL. \since 0.2 */
CMRV_API cmrv_status cmrv_did_aggregate_overall(cmrv_context* ctx, const cmrv_did_aggregate* aggregate, double* att,
                                                double* se, size_t* element_count, double* critical_value);

/** \brief Copies an element column: "key" (cohort, event time or period), "att", "se"; as
 *  cmrv_did_result_cells(). \since 0.2 */
CMRV_API cmrv_status cmrv_did_aggregate_elements(cmrv_context* ctx, const cmrv_did_aggregate* aggregate,
                                                 const char* name, double* out, size_t capacity, size_t stride);

/** \brief Two-way fixed effects: coefficients and cluster-robust SEs of "treated" then each covariate in
 *  the order added (\p capacity at least 1 + covariates), with the options' drop_incomplete_units.
 *  \since 0.2 */
CMRV_API cmrv_status cmrv_did_twfe(cmrv_context* ctx, const cmrv_did_options* options, const cmrv_did_panel* panel,
                                   double* coef, double* se, size_t capacity);

/** \brief The canonical 2×2 between periods \p pre and \p post, with the options' control_group.
 *  Either output may be NULL. \since 0.2 */
CMRV_API cmrv_status cmrv_did_two_by_two(cmrv_context* ctx, const cmrv_did_options* options,
                                         const cmrv_did_panel* panel, int64_t pre, int64_t post, double* att,
                                         double* se);

/** \brief The Goodman-Bacon decomposition as JSON: {"twfe": β, "comparisons": [{"type", "treated",
 *  "control", "estimate", "weight"}]}. Caller owns *out_json; release with cmrv_free(). \since 0.2 */
CMRV_API cmrv_status cmrv_did_bacon_json(cmrv_context* ctx, const cmrv_did_options* options,
                                         const cmrv_did_panel* panel, char** out_json);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* CARBONMRV_H */
