// Hand-written matchers for the pre-tokenizer split regexes used by GPT-2, cl100k/Llama 3,
// Qwen 2/3 and o200k.  Each reproduces the leftmost-first, backtracking semantics of the
// original regex exactly, using Unicode category tables.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace ember::tokenizers {

enum class SplitPattern {
  kNone,
  kGpt2,    // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
  kCl100k,  // cl100k_base and Llama 3 (digits in groups of up to 3)
  kQwen2,   // as cl100k but single digits
  kO200k,   // o200k_base
};

// Recognises a regex string from a tokenizer file; returns kNone if it is not supported.
SplitPattern pattern_from_regex(std::string_view regex);
const char* pattern_name(SplitPattern p);
const char* pattern_regex(SplitPattern p);

using Span = std::pair<uint32_t, uint32_t>;  // [begin, end) byte offsets

// Splits valid UTF-8 `text` into consecutive spans covering all of it.
void split_with_pattern(SplitPattern p, std::string_view text, std::vector<Span>* out);

}  // namespace ember::tokenizers
