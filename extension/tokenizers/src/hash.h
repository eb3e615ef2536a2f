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
  h = (h ^ (w * 0xFF51AFD7ED558CCDull)) * 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 32;
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

// Maps byte strings (stored in an arena owned by the map) to int32 values.
class BytesMap {
 public:
  void reserve(size_t n) {
    size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    entries_.reserve(n);
  }
  // Inserts or overwrites.  Returns true if newly inserted.
  bool insert(std::string_view key, int32_t value) {
    if ((entries_.size() + 1) * 2 > slots_.size()) grow();
    uint64_t h = hash_bytes(key.data(), key.size());
    size_t i = h & mask_;
    uint32_t tag = static_cast<uint32_t>(h >> 32);
    for (;;) {
      Slot& s = slots_[i];
      if (s.entry == 0) {
        Entry e{static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(key.size()), value};
        arena_.append(key.data(), key.size());
        entries_.push_back(e);
        s.entry = static_cast<uint32_t>(entries_.size());
        s.tag = tag;
        return true;
      }
      if (s.tag == tag) {
        Entry& e = entries_[s.entry - 1];
        if (e.len == key.size() && memcmp(arena_.data() + e.off, key.data(), key.size()) == 0) {
          e.value = value;
          return false;
        }
      }
      i = (i + 1) & mask_;
    }
  }
  // Returns the value or -1.
  int32_t find(const void* data, size_t n) const {
    if (slots_.empty()) return -1;
    uint64_t h = hash_bytes(data, n);
    size_t i = h & mask_;
    uint32_t tag = static_cast<uint32_t>(h >> 32);
    for (;;) {
      const Slot& s = slots_[i];
      if (s.entry == 0) return -1;
      if (s.tag == tag) {
        const Entry& e = entries_[s.entry - 1];
        if (e.len == n && memcmp(arena_.data() + e.off, data, n) == 0) return e.value;
      }
      i = (i + 1) & mask_;
    }
  }
  int32_t find(std::string_view k) const { return find(k.data(), k.size()); }
  size_t size() const { return entries_.size(); }

 private:
  struct Slot {
    uint32_t entry = 0;  // 1-based index into entries_
    uint32_t tag = 0;
  };
  struct Entry {
    uint32_t off, len;
    int32_t value;
  };
  void grow() {
    size_t cap = slots_.empty() ? 16 : slots_.size() * 2;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (size_t k = 0; k < entries_.size(); ++k) {
      const Entry& e = entries_[k];
      uint64_t h = hash_bytes(arena_.data() + e.off, e.len);
      size_t i = h & mask_;
      while (slots_[i].entry) i = (i + 1) & mask_;
      slots_[i].entry = static_cast<uint32_t>(k + 1);
      slots_[i].tag = static_cast<uint32_t>(h >> 32);
    }
  }
  std::vector<Slot> slots_;
  std::vector<Entry> entries_;
  std::string arena_;
  size_t mask_ = 0;
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
    keys_.assign(cap, kEmpty);
    vals_.assign(cap, Value{-1, -1});
    mask_ = cap - 1;
  }
  // Keeps the first (lowest-rank) insertion for a pair.
  void insert(int32_t a, int32_t b, Value v) {
    if ((size_ + 1) * 2 > keys_.size()) grow();
    uint64_t k = key(a, b);
    size_t i = mix64(k) & mask_;
    while (keys_[i] != kEmpty) {
      if (keys_[i] == k) return;
      i = (i + 1) & mask_;
    }
    keys_[i] = k;
    vals_[i] = v;
    ++size_;
  }
  const Value* find(int32_t a, int32_t b) const {
    if (keys_.empty()) return nullptr;
    uint64_t k = key(a, b);
    size_t i = mix64(k) & mask_;
    while (keys_[i] != kEmpty) {
      if (keys_[i] == k) return &vals_[i];
      i = (i + 1) & mask_;
    }
    return nullptr;
  }
  size_t size() const { return size_; }

 private:
  static constexpr uint64_t kEmpty = ~0ull;
  static uint64_t key(int32_t a, int32_t b) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
  }
  void grow() {
    std::vector<uint64_t> ok = std::move(keys_);
    std::vector<Value> ov = std::move(vals_);
    size_t cap = ok.empty() ? 16 : ok.size() * 2;
    keys_.assign(cap, kEmpty);
    vals_.assign(cap, Value{-1, -1});
    mask_ = cap - 1;
    for (size_t j = 0; j < ok.size(); ++j) {
      if (ok[j] == kEmpty) continue;
      size_t i = mix64(ok[j]) & mask_;
      while (keys_[i] != kEmpty) i = (i + 1) & mask_;
      keys_[i] = ok[j];
      vals_[i] = ov[j];
    }
  }
  std::vector<uint64_t> keys_;
  std::vector<Value> vals_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace ember::tokenizers
