// Batch options of the US fixtures: EPA hub 2021 factors (region US, 2023), energy-based method.
#pragma once

#include <vector>

#include "carbonmrv/batch/batch.hpp"

namespace cmrv_test {

inline cmrv::batch::Options UsBatchOptions(unsigned threads) {
  cmrv::batch::Options o;
  o.region = "US";
  o.year = 2023;
  o.method = "energy_ef";
  o.threads = threads;
  return o;
}

/// A result column as a plain std::vector, to compare with one.
template <typename T>
std::vector<T> Plain(const cmrv::batch::ResultColumn<T>& column) {
  return {column.begin(), column.end()};
}

}  // namespace cmrv_test
