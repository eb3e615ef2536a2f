#include "runtime/executor/program.h"

#include <cstring>

#include "schema/program_generated.h"

namespace ember {

namespace {
bool range_ok(uint64_t offset, uint64_t size, uint64_t limit) {
  return offset <= limit && size <= limit - offset;
}
}  // namespace

Result<Program> Program::load(ProgramData data) {
  const uint8_t* p = data.data();
  size_t n = data.size();
  if (p == nullptr || n < kProgramHeaderSize)
    return EMBER_ERROR(InvalidProgram, "file too small for a program header (%zu bytes)", n);
  ProgramHeader h;
  memcpy(&h, p, sizeof(h));
  if (memcmp(h.magic, kProgramMagic, 4) != 0)
    return EMBER_ERROR(InvalidProgram, "not an Ember program (bad magic)");
  if (h.format_version != kProgramFormatVersion)
    return EMBER_ERROR(InvalidProgram, "unsupported program format version %u (runtime reads %u)",
                       h.format_version, kProgramFormatVersion);
  if (h.header_size != kProgramHeaderSize)
    return EMBER_ERROR(InvalidProgram, "bad header size %llu", (unsigned long long)h.header_size);
  if (!range_ok(h.flatbuffer_offset, h.flatbuffer_size, n) || h.flatbuffer_offset < kProgramHeaderSize ||
      h.flatbuffer_offset % 8 != 0)
    return EMBER_ERROR(InvalidProgram, "flatbuffer range [%llu, +%llu) outside the file (%zu bytes)",
                       (unsigned long long)h.flatbuffer_offset, (unsigned long long)h.flatbuffer_size, n);
  if (!range_ok(h.segment_base, h.segment_size, n) || h.segment_base % kSegmentAlignment != 0)
    return EMBER_ERROR(InvalidProgram, "segment area [%llu, +%llu) outside the file (%zu bytes) or misaligned",
                       (unsigned long long)h.segment_base, (unsigned long long)h.segment_size, n);
  if (reinterpret_cast<uintptr_t>(p) % 8 != 0)
    return EMBER_ERROR(InvalidArgument, "program buffer must be 8-byte aligned");

  const uint8_t* fb = p + h.flatbuffer_offset;
  flatbuffers::Verifier::Options opts;
  opts.max_depth = 64;
  opts.max_tables = 10000000;
  flatbuffers::Verifier verifier(fb, h.flatbuffer_size, opts);
  if (!ember_schema::VerifyProgramBuffer(verifier))
    return EMBER_ERROR(InvalidProgram, "program flatbuffer failed verification (corrupt or truncated file)");

  Program prog;
  prog.fb_ = ember_schema::GetProgram(fb);
  prog.segments_ = p + h.segment_base;
  prog.segments_size_ = h.segment_size;

  // Segment and constant ranges must lie inside the segment area.
  if (auto* segs = prog.fb_->segments()) {
    for (flatbuffers::uoffset_t i = 0; i < segs->size(); ++i) {
      const auto* s = segs->Get(i);
      if (!range_ok(s->offset(), s->size(), h.segment_size) || s->offset() % kSegmentAlignment != 0)
        return EMBER_ERROR(InvalidProgram, "segment %u [%llu, +%llu) outside the segment area or misaligned", i,
                           (unsigned long long)s->offset(), (unsigned long long)s->size());
    }
  }
  if (auto* consts = prog.fb_->constants()) {
    size_t nseg = prog.fb_->segments() ? prog.fb_->segments()->size() : 0;
    for (flatbuffers::uoffset_t i = 0; i < consts->size(); ++i) {
      const auto* c = consts->Get(i);
      if (c->segment_index() < 0 || static_cast<size_t>(c->segment_index()) >= nseg)
        return EMBER_ERROR(InvalidProgram, "constant %u names segment %d of %zu", i, c->segment_index(), nseg);
      const auto* s = prog.fb_->segments()->Get(c->segment_index());
      if (!range_ok(c->offset(), c->size(), s->size()) || c->offset() % kSegmentAlignment != 0)
        return EMBER_ERROR(InvalidProgram, "constant %u [%llu, +%llu) outside its segment or misaligned", i,
                           (unsigned long long)c->offset(), (unsigned long long)c->size());
    }
  }
  if (prog.fb_->methods() == nullptr || prog.fb_->methods()->size() == 0)
    return EMBER_ERROR(InvalidProgram, "program has no methods");
  for (flatbuffers::uoffset_t i = 0; i < prog.fb_->methods()->size(); ++i) {
    if (prog.fb_->methods()->Get(i)->name() == nullptr)
      return EMBER_ERROR(InvalidProgram, "method %u has no name", i);
  }
  prog.data_ = static_cast<ProgramData&&>(data);
  return prog;
}

Result<Program> Program::load_file(const char* path, bool mmap) {
  Result<ProgramData> d = mmap ? ProgramData::map_file(path) : ProgramData::read_file(path);
  if (!d.ok()) return d.status();
  return load(static_cast<ProgramData&&>(d.get()));
}

size_t Program::num_methods() const { return fb_ ? fb_->methods()->size() : 0; }

Result<const char*> Program::method_name(size_t i) const {
  if (i >= num_methods()) return EMBER_ERROR(InvalidArgument, "method index %zu out of range", i);
  return fb_->methods()->Get(static_cast<flatbuffers::uoffset_t>(i))->name()->c_str();
}

Result<MethodMeta> Program::method_meta(const char* name) const {
  if (fb_ == nullptr) return EMBER_ERROR(InvalidArgument, "program not loaded");
  for (flatbuffers::uoffset_t i = 0; i < fb_->methods()->size(); ++i) {
    const auto* m = fb_->methods()->Get(i);
    if (strcmp(m->name()->c_str(), name) == 0) return MethodMeta(m);
  }
  return EMBER_ERROR(NotFound, "program has no method named '%s'", name);
}

size_t Program::num_constants() const { return fb_ && fb_->constants() ? fb_->constants()->size() : 0; }

Result<const uint8_t*> Program::segment(size_t index, size_t* nbytes) const {
  size_t nseg = fb_ && fb_->segments() ? fb_->segments()->size() : 0;
  if (index >= nseg) return EMBER_ERROR(InvalidProgram, "segment %zu out of range (%zu)", index, nseg);
  const auto* s = fb_->segments()->Get(static_cast<flatbuffers::uoffset_t>(index));
  *nbytes = s->size();
  return segments_ + s->offset();
}

Result<const uint8_t*> Program::constant(size_t id, size_t* nbytes) const {
  if (id >= num_constants())
    return EMBER_ERROR(InvalidProgram, "constant %zu out of range (%zu)", id, num_constants());
  const auto* c = fb_->constants()->Get(static_cast<flatbuffers::uoffset_t>(id));
  size_t seg_bytes = 0;
  Result<const uint8_t*> seg = segment(static_cast<size_t>(c->segment_index()), &seg_bytes);
  if (!seg.ok()) return seg.status();
  *nbytes = c->size();
  return *seg + c->offset();
}

const char* Program::metadata(const char* key) const {
  if (fb_ == nullptr || fb_->metadata() == nullptr) return nullptr;
  for (const auto* kv : *fb_->metadata())
    if (kv->key() && kv->value() && strcmp(kv->key()->c_str(), key) == 0) return kv->value()->c_str();
  return nullptr;
}

}  // namespace ember
