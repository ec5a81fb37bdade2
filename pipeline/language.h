// Language identification, deliberately small: it only has to keep
// non-English text away from the English sentiment and emotion lexicons and
// give the store a `lang:xx` facet.
//
// 1. Script (ICU uscript) decides for non-Latin text: Han -> zh (ja when kana
//    appear), kana -> ja, Hangul -> ko, Cyrillic -> ru (uk with Ukrainian
//    letters), Arabic -> ar (fa with Persian letters), Greek -> el, Hebrew -> he,
//    Thai -> th, Devanagari -> hi, any other script -> und. A CJK character
//    counts as two letters, since it carries about a word.
// 2. Latin text is decided by a vote of stopwords (words that belong to one
//    language only among en, es, fr, de, it, pt, nl) plus half a vote for
//    letters only one of them uses (ñ, ß, ã, ...; a whole vote for ¿ and ¡).
//    English wins when it leads, and also against another language when it
//    has two votes and at least half the winner's (support text quotes
//    product names and short foreign phrases); any other language needs two votes and a
//    lead of half again over the runner-up.
// 3. Without enough evidence the answer is the caller's fallback: "und"
//    (unsure) at the level of a whole feedback, the feedback's language for
//    one of its sentences.
// Never looks at anything but the tokens; never fails.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/segment.h"

namespace cxmap {

// Languages voted on by stopwords, in this order.
inline constexpr std::array<std::string_view, 7> kStopwordLanguages = {"en", "es", "fr", "de",
                                                                       "it", "pt", "nl"};

// Evidence gathered over many sentences without copying their tokens.
class LanguageEvidence {
 public:
  void add(const std::vector<Token>& tokens);
  std::string decide(std::string_view fallback = "en") const;

 private:
  enum Script { zh, ja, ko, ru, uk, ar, fa, el, he, th, hi, other, n_scripts };
  int letters_ = 0, latin_ = 0;
  std::array<int, n_scripts> scripts_{};
  std::array<double, kStopwordLanguages.size()> votes_{};
};

std::string detect_language(const std::vector<Token>& tokens, std::string_view fallback = "en");
std::string detect_language(std::string_view text, std::string_view fallback = "en");

}  // namespace cxmap
