#pragma once

#include <memory>
#include <string_view>

#include "core.h"

namespace ember::tokenizers {

Result<std::unique_ptr<Tokenizer>> load_hf_json(std::string_view data, std::string_view config);
Result<std::unique_ptr<Tokenizer>> load_tiktoken(std::string_view data, std::string_view encoding);
Result<std::unique_ptr<Tokenizer>> load_gpt2(std::string_view encoder_json,
                                             std::string_view vocab_bpe);
Result<std::unique_ptr<Tokenizer>> load_sentencepiece(std::string_view data);

}  // namespace ember::tokenizers
