// Runs an exported program on an input filled with a constant and prints the first outputs.
//   ./classify model.ember
#include <cstdio>
#include <vector>

#include "extension/module/module.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s MODEL.ember\n", argv[0]);
    return 2;
  }
  ember::Module module(argv[1]);
  auto meta = module.method_meta("forward");
  if (!meta.ok()) {
    fprintf(stderr, "error: %s\n", meta.status().message());
    return 1;
  }
  // Caller-owned input memory, wrapped without a copy.
  ember::TensorInfo info = *meta->input_info(0);
  std::vector<float> data(info.nbytes / sizeof(float), 0.5f);
  ember::Tensor input(info.dtype, info.dim, info.sizes, data.data());
  auto outputs = module.forward({input});
  if (!outputs.ok()) {
    fprintf(stderr, "error: %s\n", outputs.status().message());
    return 1;
  }
  const ember::Tensor& out = (*outputs)[0];
  printf("output 0: %lld values:", static_cast<long long>(out.numel()));
  for (int64_t i = 0; i < out.numel() && i < 4; ++i) printf(" %.6f", out.data_as<float>()[i]);
  printf("\n");
  return 0;
}
