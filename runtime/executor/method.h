// Method: a loaded, runnable method of a Program.
#pragma once

#include <cstddef>

#include "runtime/core/evalue.h"
#include "runtime/core/kernel.h"
#include "runtime/executor/memory.h"
#include "runtime/executor/program.h"

namespace ember {

struct Backend;

class Method {
 public:
  Method() = default;
  Method(Method&& o) noexcept { *this = static_cast<Method&&>(o); }
  Method& operator=(Method&& o) noexcept;
  Method(const Method&) = delete;
  Method& operator=(const Method&) = delete;
  ~Method();

  // Validates the method's value table and instructions, resolves kernels and backends,
  // and binds planned tensors to the caller's arenas. All memory comes from `mm`.
  static Result<Method> load(const Program& program, const char* name, const MemoryManager& mm);

  size_t num_inputs() const { return num_inputs_; }
  size_t num_outputs() const { return num_outputs_; }
  // Binds caller-owned memory to input i after checking dtype and shape; nothing is copied.
  Status set_input(size_t i, const Tensor& t);
  const Tensor& input(size_t i) const { return values_[inputs_[i]].tensor(); }
  const Tensor& output(size_t i) const { return values_[outputs_[i]].tensor(); }
  Status execute();
  const MethodMeta& meta() const { return meta_; }
  size_t num_instructions() const { return num_instructions_; }
  // Operator name of instruction i ("aten::convolution.default" or "delegate:<backend>").
  void instruction_name(size_t i, char* buf, size_t buf_size) const;
  // Per-instruction profiling into caller memory: while set, execute() adds the wall time of
  // instruction i to ns[i] (n must be num_instructions()). nullptr turns it off.
  Status set_instruction_times(uint64_t* ns, size_t n);

 private:
  struct Instruction {
    OpFunction fn = nullptr;
    const Backend* backend = nullptr;
    void* backend_handle = nullptr;
    EValue** args = nullptr;
    uint32_t num_args = 0;
    int32_t index = 0;  // operator or delegate index
  };
  void destroy_backends();

  const Program* program_ = nullptr;
  MethodMeta meta_;
  EValue* values_ = nullptr;
  size_t num_values_ = 0;
  const int32_t* inputs_ = nullptr;
  const int32_t* outputs_ = nullptr;
  size_t num_inputs_ = 0;
  size_t num_outputs_ = 0;
  bool* input_bound_ = nullptr;
  Instruction* instructions_ = nullptr;
  size_t num_instructions_ = 0;
  ScratchAllocator* scratch_ = nullptr;
  uint64_t* instruction_ns_ = nullptr;
};

}  // namespace ember
