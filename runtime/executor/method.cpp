#include "runtime/executor/method.h"

#include <cstdio>
#include <cstring>

#include "runtime/backend/backend.h"
#include "runtime/platform/platform.h"
#include "schema/program_generated.h"

namespace ember {

namespace fbs = ember_schema;

// ---- MethodMeta ---------------------------------------------------------------------------

namespace {

// The FlatBuffers verifier checks the alignment of a vector's 4-byte length prefix but not of
// its elements: vectors of 8-byte values are checked here before they are read.
template <typename T>
bool aligned(const flatbuffers::Vector<T>* v) {
  return v == nullptr || reinterpret_cast<uintptr_t>(v->data()) % alignof(T) == 0;
}

// Checks a serialized tensor's dtype and shape and computes its byte size without overflow.
Status tensor_info(const fbs::Tensor* t, TensorInfo* info) {
  if (t == nullptr) return EMBER_ERROR(InvalidProgram, "missing tensor description");
  int dtype = static_cast<int>(t->dtype());
  if (!is_valid_scalar_type(dtype)) return EMBER_ERROR(InvalidProgram, "invalid dtype %d", dtype);
  size_t dim = t->sizes() ? t->sizes()->size() : 0;
  if (dim > static_cast<size_t>(kMaxDims))
    return EMBER_ERROR(InvalidProgram, "tensor has %zu dims (max %d)", dim, kMaxDims);
  if (!aligned(t->sizes())) return EMBER_ERROR(InvalidProgram, "tensor sizes misaligned");
  // The product of the non-zero sizes is bounded too (not just the byte count, which a zero
  // size makes 0), so kernels' stride and index arithmetic cannot overflow.
  uint64_t span = element_size(static_cast<ScalarType>(dtype));
  bool empty = false;
  for (size_t i = 0; i < dim; ++i) {
    int64_t s = t->sizes()->Get(static_cast<flatbuffers::uoffset_t>(i));
    if (s < 0) return EMBER_ERROR(InvalidProgram, "negative tensor size %lld", (long long)s);
    if (s == 0) {
      empty = true;
      continue;
    }
    if (span > (uint64_t(1) << 48) / static_cast<uint64_t>(s))
      return EMBER_ERROR(InvalidProgram, "tensor too large (size %lld in dim %zu)", (long long)s, i);
    span *= static_cast<uint64_t>(s);
  }
  info->dtype = static_cast<ScalarType>(dtype);
  info->dim = static_cast<int>(dim);
  info->sizes = dim ? t->sizes()->data() : nullptr;
  info->nbytes = empty ? 0 : static_cast<size_t>(span);
  return Status();
}

Result<TensorInfo> io_info(const fbs::Method* m, const flatbuffers::Vector<int32_t>* idx, size_t i,
                           const char* what) {
  if (idx == nullptr || i >= idx->size())
    return EMBER_ERROR(InvalidArgument, "%s index %zu out of range", what, i);
  int32_t v = idx->Get(static_cast<flatbuffers::uoffset_t>(i));
  if (m->values() == nullptr || v < 0 || static_cast<size_t>(v) >= m->values()->size())
    return EMBER_ERROR(InvalidProgram, "%s %zu refers to value %d out of range", what, i, v);
  const fbs::Value* val = m->values()->Get(v);
  if (val == nullptr || val->kind_type() != fbs::ValueKind::Tensor)
    return EMBER_ERROR(InvalidProgram, "%s %zu is not a tensor", what, i);
  TensorInfo info;
  EMBER_CHECK_OK(tensor_info(val->kind_as_Tensor(), &info));
  return info;
}

template <typename V>
size_t vec_size(const V* v) {
  return v ? v->size() : 0;
}

}  // namespace

const char* MethodMeta::name() const { return m_->name()->c_str(); }
size_t MethodMeta::num_inputs() const { return vec_size(m_->inputs()); }
size_t MethodMeta::num_outputs() const { return vec_size(m_->outputs()); }
Result<TensorInfo> MethodMeta::input_info(size_t i) const { return io_info(m_, m_->inputs(), i, "input"); }
Result<TensorInfo> MethodMeta::output_info(size_t i) const {
  return io_info(m_, m_->outputs(), i, "output");
}
size_t MethodMeta::num_arenas() const { return vec_size(m_->arena_sizes()); }
size_t MethodMeta::arena_size(size_t i) const {
  return i < num_arenas() ? static_cast<size_t>(m_->arena_sizes()->Get(static_cast<flatbuffers::uoffset_t>(i)))
                          : 0;
}
size_t MethodMeta::scratch_size() const { return static_cast<size_t>(m_->scratch_size()); }
size_t MethodMeta::num_instructions() const { return vec_size(m_->instructions()); }

size_t MethodMeta::method_allocator_bytes() const {
  size_t n = 256;
  size_t nvalues = vec_size(m_->values());
  n += nvalues * (sizeof(EValue) + 16) + num_inputs() * sizeof(bool) + 64;
  for (size_t i = 0; i < nvalues; ++i) {
    const fbs::Value* v = m_->values()->Get(static_cast<flatbuffers::uoffset_t>(i));
    const fbs::TensorList* l = v ? v->kind_as_TensorList() : nullptr;
    if (l && l->items()) n += l->items()->size() * sizeof(Tensor*) + 16;
  }
  size_t ninstr = num_instructions();
  n += ninstr * (sizeof(Method) + 64);
  for (size_t i = 0; i < ninstr; ++i) {
    const fbs::Instruction* ins = m_->instructions()->Get(static_cast<flatbuffers::uoffset_t>(i));
    const flatbuffers::Vector<int32_t>* args = nullptr;
    if (ins && ins->kind_as_KernelCall()) args = ins->kind_as_KernelCall()->args();
    if (ins && ins->kind_as_DelegateCall()) args = ins->kind_as_DelegateCall()->args();
    n += vec_size(args) * sizeof(EValue*) + 16;
  }
  return n;
}

// ---- Method -------------------------------------------------------------------------------

Method& Method::operator=(Method&& o) noexcept {
  if (this != &o) {
    destroy_backends();
    memcpy(static_cast<void*>(this), static_cast<const void*>(&o), sizeof(Method));
    o.instructions_ = nullptr;
    o.num_instructions_ = 0;
  }
  return *this;
}

Method::~Method() { destroy_backends(); }

void Method::destroy_backends() {
  for (size_t i = 0; i < num_instructions_; ++i) {
    Instruction& ins = instructions_[i];
    if (ins.backend && ins.backend_handle && ins.backend->destroy) ins.backend->destroy(ins.backend_handle);
    ins.backend_handle = nullptr;
  }
}

namespace {

Status parse_value(const Program& program, const fbs::Value* v, size_t index, const MemoryManager& mm,
                   EValue* out) {
  if (v == nullptr) return EMBER_ERROR(InvalidProgram, "value %zu is missing", index);
  // The verifier accepts a union whose type is set but whose table is absent.
  if (v->kind_type() != fbs::ValueKind::NONE && v->kind() == nullptr)
    return EMBER_ERROR(InvalidProgram, "value %zu: kind %d has no payload", index, static_cast<int>(v->kind_type()));
  switch (v->kind_type()) {
    case fbs::ValueKind::NONE:
    case fbs::ValueKind::NoneValue: *out = EValue(); return Status();
    case fbs::ValueKind::Int: *out = EValue::make_int(v->kind_as_Int()->v()); return Status();
    case fbs::ValueKind::Double: *out = EValue::make_double(v->kind_as_Double()->v()); return Status();
    case fbs::ValueKind::Bool: *out = EValue::make_bool(v->kind_as_Bool()->v()); return Status();
    case fbs::ValueKind::IntList: {
      auto* l = v->kind_as_IntList()->v();
      if (!aligned(l)) return EMBER_ERROR(InvalidProgram, "value %zu: int list misaligned", index);
      *out = EValue::make_int_list(l ? l->data() : nullptr, vec_size(l));
      return Status();
    }
    case fbs::ValueKind::DoubleList: {
      auto* l = v->kind_as_DoubleList()->v();
      if (!aligned(l)) return EMBER_ERROR(InvalidProgram, "value %zu: double list misaligned", index);
      *out = EValue::make_double_list(l ? l->data() : nullptr, vec_size(l));
      return Status();
    }
    case fbs::ValueKind::BoolList: {
      auto* l = v->kind_as_BoolList()->v();
      *out = EValue::make_bool_list(l ? reinterpret_cast<const uint8_t*>(l->data()) : nullptr, vec_size(l));
      return Status();
    }
    case fbs::ValueKind::String: {
      auto* s = v->kind_as_String()->v();
      *out = EValue::make_string(s ? s->c_str() : "", s ? s->size() : 0);
      return Status();
    }
    case fbs::ValueKind::TensorList: return Status();  // second pass
    case fbs::ValueKind::Tensor: {
      const fbs::Tensor* t = v->kind_as_Tensor();
      TensorInfo info;
      Status st = tensor_info(t, &info);
      if (!st.ok()) return EMBER_ERROR(InvalidProgram, "value %zu: %s", index, st.message());
      void* data = nullptr;
      switch (t->storage()) {
        case fbs::TensorStorage::Arena: {
          int32_t a = t->arena_id();
          if (a < 0 || static_cast<size_t>(a) >= mm.num_arenas)
            return EMBER_ERROR(InvalidProgram, "value %zu: arena %d out of range (%zu arenas)", index, a,
                               mm.num_arenas);
          uint64_t off = t->offset();
          size_t cap = mm.arena_sizes[a];
          if (off > cap || info.nbytes > cap - off)
            return EMBER_ERROR(InvalidProgram, "value %zu: [%llu, +%zu) outside arena %d (%zu bytes)", index,
                               (unsigned long long)off, info.nbytes, a, cap);
          if (off % element_size(info.dtype) != 0)
            return EMBER_ERROR(InvalidProgram, "value %zu: arena offset %llu misaligned for %s", index,
                               (unsigned long long)off, scalar_type_name(info.dtype));
          data = mm.arenas[a] + off;
          break;
        }
        case fbs::TensorStorage::Constant: {
          size_t nbytes = 0;
          if (t->constant_id() < 0)
            return EMBER_ERROR(InvalidProgram, "value %zu: constant id %d out of range (%zu constants)", index,
                               t->constant_id(), program.num_constants());
          Result<const uint8_t*> c = program.constant(static_cast<size_t>(t->constant_id()), &nbytes);
          if (!c.ok()) return EMBER_ERROR(InvalidProgram, "value %zu: %s", index, c.status().message());
          if (nbytes != info.nbytes)
            return EMBER_ERROR(InvalidProgram, "value %zu: constant %d holds %zu bytes, tensor needs %zu", index,
                               t->constant_id(), nbytes, info.nbytes);
          // Kernels read bool tensors as C++ bool, for which any byte but 0 or 1 is undefined.
          if (info.dtype == ScalarType::Bool)
            for (size_t b = 0; b < nbytes; ++b)
              if ((*c)[b] > 1)
                return EMBER_ERROR(InvalidProgram, "value %zu: bool constant %d holds byte %u at %zu", index,
                                   t->constant_id(), (*c)[b], b);
          // Kernels only write their outputs; a program naming a constant as one writes to a
          // private copy-on-write page (see ProgramData::map_file), never to the file.
          data = const_cast<uint8_t*>(*c);
          break;
        }
        case fbs::TensorStorage::Input: data = nullptr; break;
        default: return EMBER_ERROR(InvalidProgram, "value %zu: invalid tensor storage", index);
      }
      *out = EValue::make_tensor(Tensor(info.dtype, info.dim, info.sizes, data));
      return Status();
    }
  }
  return EMBER_ERROR(InvalidProgram, "value %zu has unknown kind %d", index, static_cast<int>(v->kind_type()));
}

Result<const flatbuffers::Vector<int32_t>*> check_indices(const flatbuffers::Vector<int32_t>* idx, size_t limit,
                                                          const char* what) {
  if (idx == nullptr) return idx;
  for (flatbuffers::uoffset_t i = 0; i < idx->size(); ++i) {
    int32_t v = idx->Get(i);
    if (v < 0 || static_cast<size_t>(v) >= limit)
      return EMBER_ERROR(InvalidProgram, "%s entry %u refers to value %d of %zu", what, i, v, limit);
  }
  return idx;
}

}  // namespace

Result<Method> Method::load(const Program& program, const char* name, const MemoryManager& mm) {
  Result<MethodMeta> meta = program.method_meta(name);
  if (!meta.ok()) return meta.status();
  const fbs::Method* m = nullptr;
  for (const fbs::Method* cand : *program.flatbuffer()->methods()) {
    if (strcmp(cand->name()->c_str(), name) == 0) {
      m = cand;
      break;
    }
  }
  if (mm.method_allocator == nullptr) return EMBER_ERROR(InvalidArgument, "no method allocator given");
  MethodMeta mmeta = *meta;
  if (mm.num_arenas < mmeta.num_arenas())
    return EMBER_ERROR(InvalidArgument, "method '%s' needs %zu arenas, caller gave %zu", name, mmeta.num_arenas(),
                       mm.num_arenas);
  for (size_t i = 0; i < mmeta.num_arenas(); ++i)
    if (mm.arena_sizes[i] < mmeta.arena_size(i) || mm.arenas[i] == nullptr)
      return EMBER_ERROR(InvalidArgument, "arena %zu: method needs %zu bytes, caller gave %zu", i,
                         mmeta.arena_size(i), mm.arena_sizes[i]);

  Method method;
  method.program_ = &program;
  method.meta_ = mmeta;
  method.scratch_ = mm.scratch;
  MemoryAllocator& alloc = *mm.method_allocator;

  // Values.
  size_t nvalues = vec_size(m->values());
  method.values_ = alloc.allocate_array<EValue>(nvalues);
  if (method.values_ == nullptr) return EMBER_ERROR(OutOfMemory, "method allocator too small for %zu values", nvalues);
  for (size_t i = 0; i < nvalues; ++i) new (&method.values_[i]) EValue();
  method.num_values_ = nvalues;
  for (size_t i = 0; i < nvalues; ++i)
    EMBER_CHECK_OK(parse_value(program, m->values()->Get(static_cast<flatbuffers::uoffset_t>(i)), i, mm,
                               &method.values_[i]));
  for (size_t i = 0; i < nvalues; ++i) {
    const fbs::Value* v = m->values()->Get(static_cast<flatbuffers::uoffset_t>(i));
    if (v->kind_type() != fbs::ValueKind::TensorList) continue;
    auto* items = v->kind_as_TensorList()->items();  // payload checked by parse_value
    size_t n = vec_size(items);
    Tensor** list = alloc.allocate_array<Tensor*>(n);
    if (list == nullptr) return EMBER_ERROR(OutOfMemory, "method allocator too small for tensor lists");
    for (size_t j = 0; j < n; ++j) {
      int32_t idx = items->Get(static_cast<flatbuffers::uoffset_t>(j));
      if (idx == -1) {
        list[j] = nullptr;
        continue;
      }
      if (idx < 0 || static_cast<size_t>(idx) >= nvalues || !method.values_[idx].is_tensor())
        return EMBER_ERROR(InvalidProgram, "tensor list %zu entry %zu refers to value %d, not a tensor", i, j, idx);
      list[j] = &method.values_[idx].tensor();
    }
    method.values_[i] = EValue::make_tensor_list(list, n);
  }

  // Inputs and outputs.
  auto ins = check_indices(m->inputs(), nvalues, "inputs");
  if (!ins.ok()) return ins.status();
  auto outs = check_indices(m->outputs(), nvalues, "outputs");
  if (!outs.ok()) return outs.status();
  method.num_inputs_ = vec_size(m->inputs());
  method.num_outputs_ = vec_size(m->outputs());
  method.inputs_ = method.num_inputs_ ? m->inputs()->data() : nullptr;
  method.outputs_ = method.num_outputs_ ? m->outputs()->data() : nullptr;
  for (size_t i = 0; i < method.num_inputs_; ++i)
    if (!method.values_[method.inputs_[i]].is_tensor() || method.values_[method.inputs_[i]].tensor().data() != nullptr)
      return EMBER_ERROR(InvalidProgram, "input %zu is not an input tensor", i);
  for (size_t i = 0; i < method.num_outputs_; ++i)
    if (!method.values_[method.outputs_[i]].is_tensor())
      return EMBER_ERROR(InvalidProgram, "output %zu is not a tensor", i);
  // Only method inputs may lack memory until set_input: any other input-storage tensor would
  // reach a kernel with null data. Inputs are marked with a placeholder pointer (linear time).
  for (size_t i = 0; i < method.num_inputs_; ++i) method.values_[method.inputs_[i]].tensor().set_data(&method);
  for (size_t v = 0; v < nvalues; ++v)
    if (method.values_[v].is_tensor() && method.values_[v].tensor().data() == nullptr)
      return EMBER_ERROR(InvalidProgram, "value %zu has input storage but is not a method input", v);
  for (size_t i = 0; i < method.num_inputs_; ++i) method.values_[method.inputs_[i]].tensor().set_data(nullptr);
  method.input_bound_ = alloc.allocate_array<bool>(method.num_inputs_);
  if (method.input_bound_ == nullptr) return EMBER_ERROR(OutOfMemory, "method allocator too small");
  for (size_t i = 0; i < method.num_inputs_; ++i) method.input_bound_[i] = false;

  // Instructions.
  size_t ninstr = vec_size(m->instructions());
  size_t nops = vec_size(m->operators());
  size_t ndelegates = vec_size(m->delegates());
  method.instructions_ = alloc.allocate_array<Instruction>(ninstr);
  if (method.instructions_ == nullptr) return EMBER_ERROR(OutOfMemory, "method allocator too small");
  for (size_t i = 0; i < ninstr; ++i) new (&method.instructions_[i]) Instruction();
  method.num_instructions_ = ninstr;
  for (size_t i = 0; i < ninstr; ++i) {
    const fbs::Instruction* ins_fb = m->instructions()->Get(static_cast<flatbuffers::uoffset_t>(i));
    Instruction& ins = method.instructions_[i];
    const flatbuffers::Vector<int32_t>* args = nullptr;
    if (ins_fb->kind() == nullptr) return EMBER_ERROR(InvalidProgram, "instruction %zu has no payload", i);
    if (ins_fb->kind_type() == fbs::InstructionKind::KernelCall) {
      const fbs::KernelCall* call = ins_fb->kind_as_KernelCall();
      int32_t op = call->op_index();
      if (op < 0 || static_cast<size_t>(op) >= nops)
        return EMBER_ERROR(InvalidProgram, "instruction %zu: operator %d out of range (%zu)", i, op, nops);
      const fbs::Operator* opd = m->operators()->Get(op);
      if (opd->name() == nullptr || opd->overload() == nullptr)
        return EMBER_ERROR(InvalidProgram, "operator %d has no name", op);
      char key[256];
      int len = snprintf(key, sizeof(key), "%s.%s", opd->name()->c_str(), opd->overload()->c_str());
      if (len < 0 || static_cast<size_t>(len) >= sizeof(key))
        return EMBER_ERROR(InvalidProgram, "operator %d name too long", op);
      const Kernel* k = find_kernel(key, static_cast<size_t>(len));
      if (k == nullptr)
        return EMBER_ERROR(NotFound, "no kernel registered for operator '%s' (instruction %zu); link the kernel "
                                     "library that provides it", key, i);
      ins.fn = k->fn;
      ins.index = op;
      args = call->args();
    } else if (ins_fb->kind_type() == fbs::InstructionKind::DelegateCall) {
      const fbs::DelegateCall* call = ins_fb->kind_as_DelegateCall();
      int32_t d = call->delegate_index();
      if (d < 0 || static_cast<size_t>(d) >= ndelegates)
        return EMBER_ERROR(InvalidProgram, "instruction %zu: delegate %d out of range (%zu)", i, d, ndelegates);
      const fbs::BackendDelegate* del = m->delegates()->Get(d);
      if (del->backend() == nullptr) return EMBER_ERROR(InvalidProgram, "delegate %d names no backend", d);
      const Backend* be = find_backend(del->backend()->c_str());
      if (be == nullptr || (be->is_available && !be->is_available()))
        return EMBER_ERROR(NotFound, "program needs backend '%s', which this runtime %s", del->backend()->c_str(),
                           be ? "cannot use on this machine" : "was built without");
      size_t blob_size = 0;
      Result<const uint8_t*> blob = program.segment(del->segment_index() < 0 ? SIZE_MAX : static_cast<size_t>(del->segment_index()), &blob_size);
      if (!blob.ok()) return blob.status();
      BackendInitContext context;
      if (mm.scratch != nullptr) {
        context.scratch = mm.scratch->base();
        context.scratch_size = mm.scratch->size();
      }
      Result<void*> handle = be->init(*blob, blob_size, context);
      if (!handle.ok())
        return EMBER_ERROR(InvalidProgram, "backend '%s' rejected its blob: %s", be->name, handle.status().message());
      ins.backend = be;
      ins.backend_handle = *handle;
      ins.index = d;
      args = call->args();
    } else {
      return EMBER_ERROR(InvalidProgram, "instruction %zu has an unknown kind", i);
    }
    auto checked = check_indices(args, nvalues, "instruction arguments");
    if (!checked.ok()) return checked.status();
    size_t nargs = vec_size(args);
    ins.args = alloc.allocate_array<EValue*>(nargs);
    if (ins.args == nullptr) return EMBER_ERROR(OutOfMemory, "method allocator too small for arguments");
    for (size_t j = 0; j < nargs; ++j) ins.args[j] = &method.values_[args->Get(static_cast<flatbuffers::uoffset_t>(j))];
    ins.num_args = static_cast<uint32_t>(nargs);
  }
  return method;
}

Status Method::set_input(size_t i, const Tensor& t) {
  if (i >= num_inputs_) return EMBER_ERROR(InvalidArgument, "input index %zu out of range (%zu inputs)", i, num_inputs_);
  Tensor& dst = values_[inputs_[i]].tensor();
  if (t.dtype() != dst.dtype())
    return EMBER_ERROR(InvalidArgument, "input %zu: expected dtype %s, got %s", i, scalar_type_name(dst.dtype()),
                       scalar_type_name(t.dtype()));
  if (!t.same_shape(dst)) {
    char want[128] = {0}, got[128] = {0};
    size_t w = 0, g = 0;
    for (int d = 0; d < dst.dim() && w < sizeof(want) - 24; ++d)
      w += snprintf(want + w, sizeof(want) - w, d ? ",%lld" : "%lld", (long long)dst.size(d));
    for (int d = 0; d < t.dim() && g < sizeof(got) - 24; ++d)
      g += snprintf(got + g, sizeof(got) - g, d ? ",%lld" : "%lld", (long long)t.size(d));
    return EMBER_ERROR(InvalidArgument, "input %zu: expected shape [%s], got [%s]", i, want, got);
  }
  if (t.data() == nullptr && t.numel() > 0) return EMBER_ERROR(InvalidArgument, "input %zu: null data", i);
  dst.set_data(t.data());
  input_bound_[i] = true;
  return Status();
}

Status Method::execute() {
  for (size_t i = 0; i < num_inputs_; ++i)
    if (!input_bound_[i]) return EMBER_ERROR(InvalidArgument, "input %zu was not set", i);
  for (size_t i = 0; i < num_instructions_; ++i) {
    Instruction& ins = instructions_[i];
    if (scratch_) scratch_->reset();
    const uint64_t start = instruction_ns_ ? platform::now_ns() : 0;
    if (ins.fn) {
      KernelContext ctx(scratch_);
      ins.fn(ctx, ins.args, ins.num_args);
      if (!ctx.ok()) {
        char name[160];
        instruction_name(i, name, sizeof(name));
        return EMBER_ERROR(KernelFailed, "instruction %zu (%s) failed: %s", i, name, ctx.status().message());
      }
    } else {
      Status st = ins.backend->execute(ins.backend_handle, ins.args, ins.num_args);
      if (!st.ok())
        return EMBER_ERROR(KernelFailed, "instruction %zu (delegate %s) failed: %s", i, ins.backend->name, st.message());
    }
    if (instruction_ns_) instruction_ns_[i] += platform::now_ns() - start;
  }
  return Status();
}

Status Method::set_instruction_times(uint64_t* ns, size_t n) {
  if (ns != nullptr && n != num_instructions_)
    return EMBER_ERROR(InvalidArgument, "profile buffer holds %zu entries, the method has %zu instructions", n,
                       num_instructions_);
  instruction_ns_ = ns;
  return Status();
}

void Method::instruction_name(size_t i, char* buf, size_t buf_size) const {
  if (buf_size == 0) return;
  buf[0] = '\0';
  if (i >= num_instructions_) return;
  const Instruction& ins = instructions_[i];
  const fbs::Program* p = program_->flatbuffer();
  for (const fbs::Method* m : *p->methods()) {
    if (strcmp(m->name()->c_str(), meta_.name()) != 0) continue;
    if (ins.fn) {
      const fbs::Operator* op = m->operators()->Get(ins.index);
      snprintf(buf, buf_size, "%s.%s", op->name()->c_str(), op->overload()->c_str());
    } else {
      snprintf(buf, buf_size, "delegate:%s", ins.backend->name);
    }
  }
}

}  // namespace ember
