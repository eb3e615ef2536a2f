// UTF-8 helpers, Unicode category flags and NFC normalization.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ember::tokenizers::unicode {

enum CatFlag : uint8_t {
  kLu = 1,
  kLl = 2,
  kLt = 4,
  kLm = 8,
  kLo = 16,
  kMark = 32,
  kNumber = 64,
  kSpace = 128,
  kLetter = kLu | kLl | kLt | kLm | kLo,
};

uint8_t category_flags(uint32_t cp);

// Decodes one code point at s[i] (i < n).  Returns the code point and sets *len to the number of
// bytes consumed.  Returns 0xFFFFFFFF for an invalid sequence; *len is then the length of the
// maximal invalid subpart (>= 1).
uint32_t decode_utf8(const unsigned char* s, size_t n, size_t i, size_t* len);

// Fast check for valid UTF-8.
bool is_valid_utf8(std::string_view s);
// Replaces each maximal invalid subpart with U+FFFD (WHATWG decoder semantics).
std::string repair_utf8(std::string_view s);
// Length of the longest prefix of s that is valid UTF-8 ending on a character boundary and such
// that the remaining suffix is a (possibly empty) *incomplete but so far valid* sequence.
// Invalid bytes inside s are not allowed (call after emitting replacements).
void append_utf8(std::string* out, uint32_t cp);

// NFC normalization of valid UTF-8.
std::string nfc(std::string_view s);
bool nfc_quick_unchanged(std::string_view s);

}  // namespace ember::tokenizers::unicode
