// Script counting with ICU uscript, then stopword votes.
#include "pipeline/language.h"

#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <unordered_map>

namespace cxmap {

namespace {

// Index into LanguageEvidence::script_counts_, or -1 for Latin, -2 to ignore.
int script_slot(UChar32 c) {
  if (c < 0x80) return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? -1 : -2;
  UErrorCode st = U_ZERO_ERROR;
  UScriptCode sc = uscript_getScript(c, &st);
  if (U_FAILURE(st)) return -2;
  switch (sc) {
    case USCRIPT_LATIN: return -1;
    case USCRIPT_COMMON:
    case USCRIPT_INHERITED: return -2;
    case USCRIPT_HAN: return 0;
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA: return 1;
    case USCRIPT_HANGUL: return 2;
    case USCRIPT_CYRILLIC: return 3;
    case USCRIPT_ARABIC: return 4;
    case USCRIPT_GREEK: return 5;
    case USCRIPT_HEBREW: return 6;
    default: return 7;
  }
}

int stop_language(std::string_view w) {
  // 0 en, 1 es, 2 fr, 3 de; -1 none. Words shared across languages are left out.
  static const std::unordered_map<std::string_view, int> words = [] {
    std::unordered_map<std::string_view, int> m;
    for (auto x : {"the", "and", "is", "was", "to", "of", "it", "my", "i", "you", "that", "this", "with", "for",
                   "have", "not", "they", "be", "are", "but", "what", "when", "would", "been", "me", "your",
                   "we", "there", "at", "from", "will", "can", "did", "just", "after", "because"})
      m.emplace(x, 0);
    for (auto x : {"el", "los", "las", "y", "es", "que", "por", "con", "para", "una", "pero", "mi", "muy",
                   "del", "está", "fue", "lo", "su", "sin", "ha", "hay", "gracias", "cuando", "también"})
      m.emplace(x, 1);
    for (auto x : {"le", "les", "et", "est", "je", "une", "pour", "avec", "pas", "mais", "très", "été",
                   "mon", "ma", "nous", "vous", "ce", "qui", "dans", "merci", "sur", "ai", "au", "du"})
      m.emplace(x, 2);
    for (auto x : {"der", "die", "das", "und", "ist", "ich", "nicht", "mit", "ein", "eine", "sehr", "aber",
                   "zu", "mein", "wurde", "auch", "auf", "für", "es", "sie", "wir", "danke", "bei", "noch"})
      m.emplace(x, 3);
    return m;
  }();
  auto it = words.find(w);
  return it == words.end() ? -1 : it->second;
}

}  // namespace

void LanguageEvidence::add(const std::vector<Token>& tokens) {
  for (const Token& t : tokens) {
    if (t.kind != TokenKind::word) continue;
    int32_t i = 0, n = static_cast<int32_t>(t.text.size());
    const auto* p = reinterpret_cast<const uint8_t*>(t.text.data());
    while (i < n) {
      UChar32 c = 0;
      U8_NEXT(p, i, n, c);
      if (c < 0) continue;
      int slot = script_slot(c);
      if (slot == -2) continue;
      ++letters_;
      if (slot == -1) ++latin_;
      else ++script_counts_[slot];
    }
    int l = stop_language(t.folded);
    if (l >= 0) ++votes_[l];
  }
}

std::string LanguageEvidence::decide(std::string_view fallback) const {
  if (letters_ == 0) return std::string(fallback);
  static const char* script_codes[] = {"zh", "ja", "ko", "ru", "ar", "el", "he", "und"};
  int top = -1, top_n = latin_;
  for (int s = 0; s < 8; ++s)
    if (script_counts_[s] > top_n) {
      top = s;
      top_n = script_counts_[s];
    }
  if (top >= 0) {
    if (top == 0 && script_counts_[1] > 0) return "ja";  // kanji with kana
    return script_codes[top];
  }
  static const char* codes[] = {"en", "es", "fr", "de"};
  int best = -1, best_n = 0;
  for (int l = 0; l < 4; ++l)
    if (votes_[l] > best_n) {
      best = l;
      best_n = votes_[l];
    }
  if (best < 0) return std::string(fallback);
  // Another language must clearly beat English to win.
  if (best != 0 && best_n < 2) return std::string(fallback);
  if (best != 0 && votes_[0] * 2 >= best_n) return "en";
  return codes[best];
}

std::string detect_language(const std::vector<Token>& tokens, std::string_view fallback) {
  LanguageEvidence e;
  e.add(tokens);
  return e.decide(fallback);
}

std::string detect_language(std::string_view text, std::string_view fallback) {
  return detect_language(tokenize(text), fallback);
}

}  // namespace cxmap
