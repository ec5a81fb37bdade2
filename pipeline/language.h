// Language identification, deliberately tiny: the dominant script decides
// for non-Latin text (Han -> zh, Cyrillic -> ru, ...); Latin text is scored
// by stopword hits for en, es, fr and de. With no evidence the answer is the
// fallback ("en" by default). It only has to keep non-English sentences away
// from the English sentiment and emotion lexicons.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/segment.h"

namespace cxmap {

// Evidence gathered over many sentences without copying their tokens.
class LanguageEvidence {
 public:
  void add(const std::vector<Token>& tokens);
  std::string decide(std::string_view fallback = "en") const;

 private:
  int letters_ = 0, latin_ = 0;
  int script_counts_[8] = {};  // zh ja(kana) ko ru ar el he other
  int votes_[4] = {};          // en es fr de
};

std::string detect_language(const std::vector<Token>& tokens, std::string_view fallback = "en");
std::string detect_language(std::string_view text, std::string_view fallback = "en");

}  // namespace cxmap
