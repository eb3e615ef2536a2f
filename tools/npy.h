// Minimal, defensive NumPy .npy reader/writer (format versions 1-3, little-endian, C order).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/core/result.h"
#include "runtime/core/scalar_type.h"

namespace ember {
namespace tools {

struct NpyArray {
  ScalarType dtype = ScalarType::Float32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;  // 64-byte aligned copy not needed: kernels accept any aligned-to-8
};

Result<NpyArray> read_npy(const std::string& path);
Status write_npy(const std::string& path, ScalarType dtype, const int64_t* shape, int dim, const void* data,
                 size_t nbytes);

}  // namespace tools
}  // namespace ember
