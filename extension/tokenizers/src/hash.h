// Open-addressing hash tables tuned for tokenizer vocabularies (built once, read many times).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace ember::tokenizers {

inline uint64_t hash_bytes(const void* data, size_t n) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xC2B2AE3D27D4EB4Full);
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    h = (h ^ (w * 0xFF51AFD7ED558CCDull)) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  uint64_t w = 0;
  memcpy(&w, p, n);
  h ^= w;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 33;
  return h;
}

inline uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDull;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ull;
  x ^= x >> 33;
  return x;
}

// Maps byte strings (stored in an arena owned by the map) to int32 values.  Each slot holds the
// hash tag, the key's location and the value, so a look-up touches one slot and the key bytes.
class BytesMap {
 public:
  void reserve(size_t n) {
    size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    arena_.reserve(n * 8);
  }
  // Inserts or overwrites.  Returns true if newly inserted.
  bool insert(std::string_view key, int32_t value) {
    return insert_hashed(hash_bytes(key.data(), key.size()), key, value);
  }
  bool insert_hashed(uint64_t h, std::string_view key, int32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    size_t i = h & mask_;
    uint32_t tag = static_cast<uint32_t>(h >> 32) | 1u;  // never 0: 0 marks an empty slot
    for (;;) {
      Slot& s = slots_[i];
      if (s.tag == 0) {
        s.tag = tag;
        s.off = static_cast<uint32_t>(arena_.size());
        s.len = static_cast<uint32_t>(key.size());
        s.value = value;
        arena_.append(key.data(), key.size());
        ++size_;
        return true;
      }
      if (s.tag == tag && s.len == key.size() &&
          memcmp(arena_.data() + s.off, key.data(), key.size()) == 0) {
        s.value = value;
        return false;
      }
      i = (i + 1) & mask_;
    }
  }
  void prefetch(uint64_t h) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[h & mask_]);
  }
  // Returns the value or -1.
  int32_t find(const void* data, size_t n) const {
    return find_hashed(hash_bytes(data, n), data, n);
  }
  int32_t find_hashed(uint64_t h, const void* data, size_t n) const {
    if (slots_.empty()) return -1;
    size_t i = h & mask_;
    uint32_t tag = static_cast<uint32_t>(h >> 32) | 1u;
    for (;;) {
      const Slot& s = slots_[i];
      if (s.tag == 0) return -1;
      if (s.tag == tag && s.len == n && memcmp(arena_.data() + s.off, data, n) == 0) return s.value;
      i = (i + 1) & mask_;
    }
  }
  int32_t find(std::string_view k) const { return find(k.data(), k.size()); }
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint32_t tag = 0;
    uint32_t off = 0;
    uint32_t len = 0;
    int32_t value = 0;
  };
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    size_t cap = old.empty() ? 16 : old.size() * 2;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (const Slot& o : old) {
      if (o.tag == 0) continue;
      size_t i = hash_bytes(arena_.data() + o.off, o.len) & mask_;
      while (slots_[i].tag) i = (i + 1) & mask_;
      slots_[i] = o;
    }
  }
  std::vector<Slot> slots_;
  std::string arena_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// Maps a pair of token ids to (rank, merged id).
class PairMap {
 public:
  struct Value {
    int32_t rank;
    int32_t id;
  };
  void reserve(size_t n) {
    size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
  }
  // Keeps the first (lowest-rank) insertion for a pair.
  void insert(int32_t a, int32_t b, Value v) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    uint64_t k = key(a, b);
    size_t i = mix64(k) & mask_;
    while (slots_[i].key != kEmpty) {
      if (slots_[i].key == k) return;
      i = (i + 1) & mask_;
    }
    slots_[i].key = k;
    slots_[i].val = v;
    ++size_;
  }
  void prefetch(int32_t a, int32_t b) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[mix64(key(a, b)) & mask_]);
  }
  const Value* find(int32_t a, int32_t b) const {
    if (slots_.empty()) return nullptr;
    uint64_t k = key(a, b);
    size_t i = mix64(k) & mask_;
    while (slots_[i].key != kEmpty) {
      if (slots_[i].key == k) return &slots_[i].val;
      i = (i + 1) & mask_;
    }
    return nullptr;
  }
  size_t size() const { return size_; }

 private:
  static constexpr uint64_t kEmpty = ~0ull;
  struct Slot {
    uint64_t key = kEmpty;
    Value val{-1, -1};
  };
  static uint64_t key(int32_t a, int32_t b) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    size_t cap = old.empty() ? 16 : old.size() * 2;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (const Slot& o : old) {
      if (o.key == kEmpty) continue;
      size_t i = mix64(o.key) & mask_;
      while (slots_[i].key != kEmpty) i = (i + 1) & mask_;
      slots_[i] = o;
    }
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace ember::tokenizers
