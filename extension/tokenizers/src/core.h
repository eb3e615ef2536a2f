// The one tokenizer implementation behind every supported file format.  Loaders fill in a
// CoreTokenizer; encode/decode are format independent.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ember/tokenizers/tokenizer.h"
#include "hash.h"
#include "pretokenize.h"

namespace ember::tokenizers {

struct NormalizerStep {
  enum Kind { kNfc, kPrepend, kReplace, kCollapseSpaces } kind;
  std::string a, b;         // kPrepend: a = text;  kReplace: a -> b
  bool first_only = false;  // kPrepend: only at the start of the whole input
};

struct PreTokenizerStep {
  enum Kind { kSplitRegex, kSplitString, kByteLevelPrefix, kMetaspace, kDigits } kind;
  enum Behavior { kIsolated, kRemoved, kMergedWithPrevious, kMergedWithNext, kContiguous };
  SplitPattern pattern = SplitPattern::kNone;
  std::string str;  // kSplitString: the delimiter; kMetaspace: replacement
  Behavior behavior = kIsolated;
  bool flag = false;  // kDigits: individual digits; kMetaspace: split
  int prepend = 0;    // kMetaspace: 0 never, 1 always, 2 first
};

// Dual-array "byte <-> printable unicode char" mapping of GPT-2 byte-level BPE.
const std::vector<uint32_t>& byte_to_unicode();
// Converts a byte-level spelled token to raw bytes.  Returns false if it has other characters.
bool byte_level_to_bytes(std::string_view token, std::string* out);
std::string bytes_to_byte_level(std::string_view bytes);

class CoreTokenizer : public Tokenizer {
 public:
  enum class Mode {
    kByteLevel,  // symbols start as bytes (GPT-2 / tiktoken / Llama 3 / Qwen)
    kChars,      // symbols start as characters, optional byte fallback (SentencePiece-style BPE)
    kUnigram,    // SentencePiece unigram (Viterbi)
  };

  CoreTokenizer();

  // ---- Tokenizer interface
  Result<std::vector<TokenId>> encode(std::string_view text,
                                      const EncodeOptions& options) const override;
  using Tokenizer::encode;
  Result<std::string> decode(const std::vector<TokenId>& ids, bool skip_special) const override;
  Result<std::string> token_bytes(TokenId id) const override;
  Result<std::string> id_to_token(TokenId id) const override;
  TokenId token_to_id(std::string_view token) const override;
  TokenId spelling_id(const char* p, size_t n) const { return spelling_to_id_.find(p, n); }
  size_t vocab_size() const override { return present_.size(); }
  TokenId bos_id() const override { return bos_; }
  TokenId eos_id() const override { return eos_; }
  TokenId unk_id() const override { return unk_; }
  bool default_add_bos() const override { return default_add_bos_; }
  bool is_special(TokenId id) const override {
    return id >= 0 && static_cast<size_t>(id) < special_.size() && special_[id];
  }
  std::vector<TokenId> special_ids() const override;
  Format format() const override { return format_; }
  std::string description() const override { return description_; }

  // ---- Building (used by the loaders)
  // Sets the token table: spelling[id] is the token as written in the file, decoded[id] the
  // bytes it decodes to.  Missing ids may be left empty with present[id] = false.
  void set_vocab(size_t n);
  void set_token(TokenId id, std::string_view spelling, std::string_view decoded);
  // A byte-level model token: stored as its bytes only; its spelling (GPT-2 byte-to-unicode
  // form) is derived on demand, and look-ups by spelling go through the bytes.
  void set_token_bytes(TokenId id, std::string_view bytes);
  // The decoded bytes of a token set so far (valid during loading).
  std::string_view decoded_view(TokenId id) const {
    if (id < 0 || static_cast<size_t>(id) >= present_.size() || !present_[id]) return {};
    const StrSpan& d = dec_span_[id];
    return d.off & 0x80000000u ? std::string_view(tok_arena_.data() + (d.off & 0x7FFFFFFFu), d.len)
                               : std::string_view(dec_arena_.data() + d.off, d.len);
  }
  TokenId piece_id(const char* p, size_t n) const { return piece_to_id_.find(p, n); }
  TokenId piece_id_hashed(uint64_t h, const char* p, size_t n) const {
    return piece_to_id_.find_hashed(h, p, n);
  }
  void prefetch_piece(uint64_t h) const { piece_to_id_.prefetch(h); }
  bool add_piece_hashed(uint64_t h, std::string_view key, TokenId id) {
    return piece_to_id_.insert_hashed(h, key, id);
  }
  bool is_byte_token(TokenId id, std::string_view bytes) const {
    return id >= 0 && static_cast<size_t>(id) < present_.size() && present_[id] &&
           tok_span_[id].len == kDerivedSpelling && decoded_view(id) == bytes;
  }
  void reserve_spellings(size_t n) { spelling_to_id_.reserve(n); }
  // Model-piece lookup used by encode: key is raw bytes (byte-level) or UTF-8 text (chars).
  bool add_piece(std::string_view key, TokenId id) { return piece_to_id_.insert(key, id); }
  void set_special(TokenId id) {
    if (id >= 0 && static_cast<size_t>(id) < special_.size()) special_[id] = 1;
  }
  void add_merge(TokenId a, TokenId b, int32_t rank, TokenId merged) {
    merges_.insert(a, b, PairMap::Value{rank, merged});
  }
  void prefetch_merge(TokenId a, TokenId b) const { merges_.prefetch(a, b); }
  void reserve_pieces(size_t n) { piece_to_id_.reserve(n); }
  void reserve_merges(size_t n) { merges_.reserve(n); }
  void add_added_token(std::string_view content, TokenId id, bool special);
  // Call once everything is set; validates and builds derived tables.
  Result<bool> finalize();

  Mode mode = Mode::kByteLevel;
  bool rank_by_concat = false;  // tiktoken: rank of a pair = rank of its concatenation
  bool ignore_merges = false;   // whole pre-token looked up first (Llama 3, tiktoken)
  bool byte_fallback = false;
  bool fuse_unk = false;
  std::vector<NormalizerStep> normalizers;
  std::vector<PreTokenizerStep> pretokenizers;
  std::vector<float> scores;  // unigram piece scores
  float unk_score = 0;
  int strip_leading_spaces = 0;  // decoder Strip / Metaspace prefix removal
  TokenId bos_ = kNoToken, eos_ = kNoToken, unk_ = kNoToken;
  bool default_add_bos_ = false;
  Format format_ = Format::kAuto;
  std::string description_;
  // SentencePiece options
  // SentencePiece: normalize the whole input first, then match user-defined pieces on the
  // normalized text (HF tokenizer.json matches added tokens on the raw text instead).
  bool normalize_first = false;
  std::vector<int32_t> piece_rank;  // rank_by_concat: merge priority of a piece (default: id)

 protected:
  int decode_strip_leading_spaces() const override { return strip_leading_spaces; }

 private:
  void normalize(std::string* buf, bool first_segment) const;
  void encode_segment(std::string_view seg, bool first_segment, std::vector<TokenId>* out) const;
  void encode_piece(std::string_view piece, std::vector<TokenId>* out) const;
  void bpe_byte_level(std::string_view piece, std::vector<TokenId>* out) const;
  void bpe_chars(std::string_view piece, std::vector<TokenId>* out) const;
  void unigram(std::string_view piece, std::vector<TokenId>* out) const;
  void merge_symbols(std::string_view piece, std::vector<int32_t>* ids,
                     std::vector<uint32_t>* bounds, std::vector<TokenId>* out) const;
  int32_t pair_rank(std::string_view piece, const std::vector<int32_t>& ids,
                    const std::vector<uint32_t>& starts, size_t l, size_t r, size_t rend,
                    int32_t* merged) const;

  struct StrSpan {
    uint32_t off = 0, len = 0;
  };
  uint64_t serial_;  // identifies this instance in the per-thread piece cache
  static constexpr uint32_t kDerivedSpelling = 0xFFFFFFFFu;  // tok_span_.len marker
  std::vector<StrSpan> tok_span_, dec_span_;
  std::string tok_arena_;
  std::string dec_arena_;
  std::vector<uint8_t> present_;
  std::vector<uint8_t> special_;
  BytesMap spelling_to_id_;
  BytesMap piece_to_id_;
  PairMap merges_;
  int32_t byte_ids_[256];

 public:
  size_t max_piece_len_ = 0;

 private:
  // Added-token trie.
  struct TrieNode {
    int32_t token = -1;
    bool special = false;
  };
  std::vector<TrieNode> trie_;
  std::unordered_map<uint64_t, int32_t> trie_edges_;
  bool trie_first_[256] = {};
};

}  // namespace ember::tokenizers
