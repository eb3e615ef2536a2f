#include "runtime/executor/program.h"

#include <cstring>

#include "schema/program_generated.h"

namespace ember {

namespace {
bool range_ok(uint64_t offset, uint64_t size, uint64_t limit) {
  return offset <= limit && size <= limit - offset;
}
// Upper bound on any planned buffer (arena, scratch), like the per-tensor bound in method.cpp:
// keeps callers' size arithmetic (rounding up to an alignment, summing) far from overflow.
constexpr uint64_t kMaxPlannedBytes = uint64_t(1) << 48;

// Well-formed UTF-8 (RFC 3629) without NUL: names are handed to callers (and Python) as text.
bool valid_name(const flatbuffers::String* s) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(s->data());
  size_t n = s->size();
  if (n == 0) return false;
  for (size_t i = 0; i < n;) {
    uint8_t c = p[i];
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n - i) return false;
    uint32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
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
  // Constants are used in place and a (hostile) program may name one as a kernel output: the
  // segment area must not overlap the verified FlatBuffer, or a write could corrupt it.
  if (h.segment_size != 0 && h.segment_base < h.flatbuffer_offset + h.flatbuffer_size)
    return EMBER_ERROR(InvalidProgram, "segment area at %llu overlaps the flatbuffer [%llu, +%llu)",
                       (unsigned long long)h.segment_base, (unsigned long long)h.flatbuffer_offset,
                       (unsigned long long)h.flatbuffer_size);
  // The writer pads the FlatBuffer to its 4-byte minimum alignment and starts the segment area
  // at the next 64-byte boundary after it; anything else is a damaged size field.
  if (h.flatbuffer_size % 4 != 0)
    return EMBER_ERROR(InvalidProgram, "flatbuffer size %llu is not a multiple of 4",
                       (unsigned long long)h.flatbuffer_size);
  if (h.segment_size != 0 && h.segment_base - (h.flatbuffer_offset + h.flatbuffer_size) >= kSegmentAlignment)
    return EMBER_ERROR(InvalidProgram, "segment area at %llu does not follow the flatbuffer [%llu, +%llu)",
                       (unsigned long long)h.segment_base, (unsigned long long)h.flatbuffer_offset,
                       (unsigned long long)h.flatbuffer_size);
  if (reinterpret_cast<uintptr_t>(p) % 8 != 0)
    return EMBER_ERROR(InvalidArgument, "program buffer must be 8-byte aligned");

  if (h.flatbuffer_size >= FLATBUFFERS_MAX_BUFFER_SIZE)
    return EMBER_ERROR(InvalidProgram, "flatbuffer size %llu too large", (unsigned long long)h.flatbuffer_size);

  const uint8_t* fb = p + h.flatbuffer_offset;
  flatbuffers::Verifier::Options opts;
  opts.max_depth = 64;
  opts.max_tables = 10000000;
  flatbuffers::Verifier verifier(fb, h.flatbuffer_size, opts);
  if (!ember_schema::VerifyProgramBuffer(verifier))
    return EMBER_ERROR(InvalidProgram, "program flatbuffer failed verification (corrupt or truncated file)");

  Program prog;
  prog.fb_ = ember_schema::GetProgram(fb);
  if (prog.fb_->version() != kProgramFormatVersion)
    return EMBER_ERROR(InvalidProgram, "unsupported program version %u in the flatbuffer (runtime reads %u)",
                       prog.fb_->version(), kProgramFormatVersion);
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
    const ember_schema::Method* m = prog.fb_->methods()->Get(i);
    if (m->name() == nullptr) return EMBER_ERROR(InvalidProgram, "method %u has no name", i);
    if (!valid_name(m->name())) return EMBER_ERROR(InvalidProgram, "method %u name is empty or not UTF-8", i);
    // Callers allocate these sizes (rounded up): bound them so that arithmetic cannot wrap.
    if (auto* arenas = m->arena_sizes()) {
      // The verifier aligns a vector's length prefix (4 bytes), not its 8-byte elements.
      if (reinterpret_cast<uintptr_t>(arenas->data()) % alignof(uint64_t) != 0)
        return EMBER_ERROR(InvalidProgram, "method '%s': arena sizes misaligned", m->name()->c_str());
      for (flatbuffers::uoffset_t a = 0; a < arenas->size(); ++a)
        if (arenas->Get(a) > kMaxPlannedBytes)
          return EMBER_ERROR(InvalidProgram, "method '%s': arena %u size %llu too large", m->name()->c_str(), a,
                             (unsigned long long)arenas->Get(a));
    }
    if (m->scratch_size() > kMaxPlannedBytes)
      return EMBER_ERROR(InvalidProgram, "method '%s': scratch size %llu too large", m->name()->c_str(),
                         (unsigned long long)m->scratch_size());
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
