// libFuzzer target: the format loaders on arbitrary bytes, then encode/decode/stream on what loads.
// The first input byte picks the format hint so every loader is reached directly too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ember/tokenizers/tokenizer.h"

namespace et = ember::tokenizers;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const et::Format kHints[] = {et::Format::kAuto, et::Format::kHuggingFace,
                                      et::Format::kTiktoken, et::Format::kSentencePiece};
  et::LoadOptions opts;
  opts.format = kHints[data[0] % 4];
  if (data[0] & 4) opts.tiktoken_encoding = "r50k_base";
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  // The tail after a NUL (if any) is the text to encode.
  size_t nul = body.find('\0');
  std::string_view file = body.substr(0, nul);
  std::string_view text = nul == std::string_view::npos ? body.substr(0, 64) : body.substr(nul + 1);
  auto tok = et::load_from_memory(file, opts);
  if (!tok.ok()) return 0;
  const et::Tokenizer& t = **tok;
  auto ids = t.encode(text, true, true);
  if (!ids.ok()) return 0;
  auto dec = t.decode(*ids);
  (void)dec;
  std::vector<et::TokenId> odd = {0, 1, -1, static_cast<et::TokenId>(t.vocab_size())};
  (void)t.decode(odd);
  et::StreamDecoder sd = t.stream_decoder();
  for (et::TokenId id : *ids) (void)sd.step(id);
  (void)sd.flush();
  return 0;
}
