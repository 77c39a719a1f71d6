// Strided input columns of the C API: element i of a column whose elements are `stride` bytes apart
// (numpy's strides; stride 0 repeats element 0). memcpy, because a byte stride need not keep T aligned.
#pragma once

#include <cstddef>
#include <cstring>

namespace cmrv::capi {

template <typename T>
T At(const T* base, std::size_t stride, std::size_t i) {
  T v;
  std::memcpy(&v, reinterpret_cast<const unsigned char*>(base) + i * stride, sizeof v);
  return v;
}

}  // namespace cmrv::capi
