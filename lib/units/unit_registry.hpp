// Internal: the table of unit atoms and mass suffixes the parser combines.
#pragma once

#include <string_view>
#include <vector>

#include "carbonmrv/units/units.hpp"

namespace cmrv::internal {

/// One named unit. `num/den` base units per unit; `kind` as in Kind. Mass atoms (kind == mass of
/// fuel or material) accept a suffix that re-targets the mass to a gas, carbon, CO2e or product.
struct UnitAtom {
  std::string_view symbol;
  std::vector<std::string_view> aliases;
  double num;
  double den;
  Kind kind;
  std::string_view definition;
  std::string_view source;
};

struct MassSuffix {
  std::string_view canonical;
  std::vector<std::string_view> spellings;
  Axis axis;
};

/// Names that are known but refuse to parse because they mean different things in different
/// documents ("ton": metric, short or long?).
struct AmbiguousName {
  std::string_view name;
  std::string_view explanation;
};

const std::vector<UnitAtom>& UnitAtoms();
const std::vector<MassSuffix>& MassSuffixes();
const std::vector<AmbiguousName>& AmbiguousNames();

}  // namespace cmrv::internal
