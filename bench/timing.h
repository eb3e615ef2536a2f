// Timing helpers shared by the C++ benchmarks in bench/ (a wall clock in milliseconds and the
// median of samples).
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

namespace ember_bench {

inline double now_ms() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double, std::milli>(clock::now().time_since_epoch()).count();
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace ember_bench
