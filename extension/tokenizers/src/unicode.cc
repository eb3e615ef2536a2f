#include "unicode.h"

#include <algorithm>
#include <vector>

namespace ember::tokenizers::unicode {
namespace {
#include "unicode_tables.inc"

constexpr uint32_t kBad = 0xFFFFFFFFu;
constexpr uint32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr uint32_t kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount,
                   kSCount = kLCount * kNCount;

uint8_t ccc(uint32_t cp) {
  if (cp >= 0x110000) return 0;
  return kCccStage2[kCccStage1[cp >> 8] * 256 + (cp & 255)];
}

const DecompEntry* find_decomp(uint32_t cp) {
  const DecompEntry* b = kDecomp;
  const DecompEntry* e = kDecomp + sizeof(kDecomp) / sizeof(kDecomp[0]);
  const DecompEntry* it =
      std::lower_bound(b, e, cp, [](const DecompEntry& d, uint32_t c) { return d.cp < c; });
  return (it != e && it->cp == cp) ? it : nullptr;
}

void decompose(uint32_t cp, std::vector<uint32_t>* out) {
  if (cp >= kSBase && cp < kSBase + kSCount) {
    uint32_t s = cp - kSBase;
    out->push_back(kLBase + s / kNCount);
    out->push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount) out->push_back(kTBase + s % kTCount);
    return;
  }
  const DecompEntry* d = find_decomp(cp);
  if (!d) {
    out->push_back(cp);
    return;
  }
  decompose(d->first, out);
  if (d->second) decompose(d->second, out);
}

uint32_t compose_pair(uint32_t a, uint32_t b) {
  if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount)
    return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
  if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase &&
      b < kTBase + kTCount)
    return a + (b - kTBase);
  const CompEntry* bg = kComp;
  const CompEntry* e = kComp + sizeof(kComp) / sizeof(kComp[0]);
  const CompEntry* it = std::lower_bound(
      bg, e, std::make_pair(a, b), [](const CompEntry& c, std::pair<uint32_t, uint32_t> k) {
        return c.first < k.first || (c.first == k.first && c.second < k.second);
      });
  if (it != e && it->first == a && it->second == b) return it->composed;
  return kBad;
}
}  // namespace

uint8_t category_flags(uint32_t cp) {
  if (cp >= 0x110000) return 0;
  return kCatStage2[kCatStage1[cp >> 8] * 256 + (cp & 255)];
}

uint32_t decode_utf8(const unsigned char* s, size_t n, size_t i, size_t* len) {
  unsigned char c = s[i];
  if (c < 0x80) {
    *len = 1;
    return c;
  }
  uint32_t cp;
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    cp = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    cp = c & 0x07;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    *len = 1;
    return kBad;
  }
  size_t k = 1;
  for (; k <= need; ++k) {
    if (i + k >= n) {
      *len = k;
      return kBad;
    }
    unsigned char b = s[i + k];
    if (b < lo || b > hi) {
      *len = k;
      return kBad;
    }
    lo = 0x80;
    hi = 0xBF;
    cp = (cp << 6) | (b & 0x3F);
  }
  *len = need + 1;
  return cp;
}

bool is_valid_utf8(std::string_view sv) {
  const unsigned char* s = reinterpret_cast<const unsigned char*>(sv.data());
  size_t n = sv.size(), i = 0;
  while (i < n) {
    // ASCII fast path, 8 bytes at a time.
    while (i + 8 <= n) {
      uint64_t w;
      __builtin_memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    if (decode_utf8(s, n, i, &len) == kBad) return false;
    i += len;
  }
  return true;
}

void append_utf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string repair_utf8(std::string_view sv) {
  const unsigned char* s = reinterpret_cast<const unsigned char*>(sv.data());
  size_t n = sv.size(), i = 0;
  std::string out;
  out.reserve(n + 8);
  while (i < n) {
    size_t len;
    uint32_t cp = decode_utf8(s, n, i, &len);
    if (cp == kBad) {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(sv.data() + i, len);
    }
    i += len;
  }
  return out;
}

bool nfc_quick_unchanged(std::string_view sv) {
  const unsigned char* s = reinterpret_cast<const unsigned char*>(sv.data());
  size_t n = sv.size(), i = 0;
  // kNfcQuickMin is U+0300: everything below it encodes in at most two bytes, lead <= 0xCB.
  static_assert(kNfcQuickMin == 0x300, "update the fast path");
  for (; i < n; ++i)
    if (s[i] >= 0xCC) return false;
  return true;
}

std::string nfc(std::string_view sv) {
  if (nfc_quick_unchanged(sv)) return std::string(sv);
  const unsigned char* s = reinterpret_cast<const unsigned char*>(sv.data());
  size_t n = sv.size(), i = 0;
  std::vector<uint32_t> cps;
  cps.reserve(n);
  while (i < n) {
    size_t len;
    uint32_t cp = decode_utf8(s, n, i, &len);
    if (cp == kBad) cp = 0xFFFD;
    decompose(cp, &cps);
    i += len;
  }
  // Canonical ordering: stable sort runs of non-starters by combining class.
  for (size_t a = 0; a < cps.size();) {
    if (ccc(cps[a]) == 0) {
      ++a;
      continue;
    }
    size_t b = a;
    while (b < cps.size() && ccc(cps[b]) != 0) ++b;
    if (b - a > 1)
      std::stable_sort(cps.begin() + a, cps.begin() + b,
                       [](uint32_t x, uint32_t y) { return ccc(x) < ccc(y); });
    a = b;
  }
  // Canonical composition.
  if (!cps.empty()) {
    size_t starter = 0;
    bool have_starter = ccc(cps[0]) == 0;
    size_t w = 1;
    int last_ccc = have_starter ? 0 : 256;
    for (size_t r = 1; r < cps.size(); ++r) {
      uint32_t c = cps[r];
      int cc = ccc(c);
      if (have_starter) {
        bool blocked = (w - 1 != starter) && (last_ccc == 0 || last_ccc >= cc);
        if (!blocked) {
          uint32_t comp = compose_pair(cps[starter], c);
          if (comp != kBad) {
            cps[starter] = comp;
            continue;
          }
        }
      }
      if (cc == 0) {
        starter = w;
        have_starter = true;
      }
      last_ccc = cc;
      cps[w++] = c;
    }
    cps.resize(w);
  }
  std::string out;
  out.reserve(n);
  for (uint32_t c : cps) append_utf8(&out, c);
  return out;
}

}  // namespace ember::tokenizers::unicode
