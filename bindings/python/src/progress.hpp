// A Python progress callable as the core's progress callback (batch::Options::progress,
// AttGtOptions::progress).
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <functional>
#include <optional>

namespace cmrv::py {

/// `progress(done, total)` runs with the GIL. A false return cancels; so does an exception (Ctrl-C too:
/// signals are checked at each call), which is kept in `raised` for the caller to throw once the core
/// has returned. None: no callback.
inline std::function<bool(std::uint64_t, std::uint64_t)> ProgressOf(
    const pybind11::object& progress, std::optional<pybind11::error_already_set>& raised) {
  if (progress.is_none()) return nullptr;
  return [&progress, &raised](std::uint64_t done, std::uint64_t total) {
    pybind11::gil_scoped_acquire gil;
    try {
      if (PyErr_CheckSignals() != 0) throw pybind11::error_already_set();
      const pybind11::object r = progress(done, total);
      return r.is_none() || pybind11::cast<bool>(r);
    } catch (pybind11::error_already_set& e) {
      raised.emplace(std::move(e));
      return false;
    }
  };
}

}  // namespace cmrv::py
