// Segmentation over ICU BreakIterators reading UTF-8 directly through UText,
// so boundaries are byte offsets and no text is converted to UTF-16.
#include "pipeline/segment.h"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ures.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <memory>
#include <unordered_map>

#include "pipeline/flat_map.h"
#include "pipeline/normalize.h"
#include "pipeline/word_facts.h"

namespace cxmap {

const char* token_kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::word: return "word";
    case TokenKind::number: return "number";
    case TokenKind::punct: return "punct";
    case TokenKind::emoji: return "emoji";
    case TokenKind::emoticon: return "emoticon";
    case TokenKind::placeholder: return "placeholder";
  }
  return "word";
}

namespace {

// Prototypes are built once; each thread clones its own (BreakIterator is
// not thread-safe, cloning is much cheaper than creating).
icu::BreakIterator* thread_iterator(bool sentence) {
  // The plain English rules: abbreviations are handled by
  // suppressed_break(), on whole words, not by ICU's "ss=standard" filter.
  static const std::unique_ptr<icu::BreakIterator> sentence_proto = [] {
    UErrorCode st = U_ZERO_ERROR;
    return std::unique_ptr<icu::BreakIterator>(
        icu::BreakIterator::createSentenceInstance(icu::Locale::getEnglish(), st));
  }();
  static const std::unique_ptr<icu::BreakIterator> word_proto = [] {
    UErrorCode st = U_ZERO_ERROR;
    return std::unique_ptr<icu::BreakIterator>(
        icu::BreakIterator::createWordInstance(icu::Locale::getEnglish(), st));
  }();
  thread_local std::unique_ptr<icu::BreakIterator> s(sentence_proto ? sentence_proto->clone() : nullptr);
  thread_local std::unique_ptr<icu::BreakIterator> w(word_proto ? word_proto->clone() : nullptr);
  return sentence ? s.get() : w.get();
}

// Runs `it` over text and calls f(start, end, rule_status) per segment.
template <typename F>
void for_each_segment(icu::BreakIterator* it, std::string_view text, F&& f) {
  if (!it || text.empty()) return;
  UErrorCode st = U_ZERO_ERROR;
  UText ut = UTEXT_INITIALIZER;
  utext_openUTF8(&ut, text.data(), static_cast<int64_t>(text.size()), &st);
  if (U_FAILURE(st)) return;
  it->setText(&ut, st);
  if (U_SUCCESS(st)) {
    int32_t start = it->first();
    for (int32_t end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next())
      f(static_cast<std::size_t>(start), static_cast<std::size_t>(end), it->getRuleStatus());
  }
  utext_close(&ut);
}

constexpr bool is_space_byte(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void trim(std::string_view text, std::size_t& s, std::size_t& e) {
  while (s < e && is_space_byte(text[s])) ++s;
  while (e > s && is_space_byte(text[e - 1])) --e;
}

// --- emoticons and placeholders -------------------------------------------

bool in(char c, std::string_view set) { return set.find(c) != std::string_view::npos; }

constexpr std::string_view kFixedEmoticons[] = {
    "<3", "</3", "<33", "<333", "^^", "^_^", "^.^", "-_-", "-.-", "o_o", "O_O", "o.O", "O.o",
    ">_<", "T_T", ";_;", "xD", "XD", "xP", "XP", ":')", ":'(", ":'-(", ":'-)", "D:", "D;"};
constexpr std::string_view kWesternEyes = ":;=", kReversedMouths = ")(][";

// The bytes an emoticon can start with: most chunks are words, and this
// rejects them before any comparison.
constexpr std::array<bool, 256> emoticon_starts() {
  std::array<bool, 256> t{};
  for (auto f : kFixedEmoticons) t[static_cast<unsigned char>(f[0])] = true;
  for (char c : kWesternEyes) t[static_cast<unsigned char>(c)] = true;
  for (char c : kReversedMouths) t[static_cast<unsigned char>(c)] = true;
  return t;
}

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_emoticon(std::string_view t) {
  static constexpr std::array<bool, 256> starts = emoticon_starts();
  if (t.size() < 2 || t.size() > 5 || !starts[static_cast<unsigned char>(t[0])]) return false;
  // Every emoticon of letters alone is two letters ("xD"); a longer word is
  // none, and most chunks are words.
  if (t.size() > 2 && std::all_of(t.begin(), t.end(), is_ascii_letter)) return false;
  for (auto f : kFixedEmoticons)
    if (t == f) return true;
  // Western: eyes [nose] mouth+, e.g. :) :-( ;D =] :// :((
  std::size_t i = 0;
  if (in(t[0], kWesternEyes)) {
    i = 1;
    if (i < t.size() && in(t[i], "-'^o")) ++i;
    if (i >= t.size()) return false;
    std::size_t m = i;
    while (i < t.size() && in(t[i], ")(][DPpOo/\\|*$@3SsXx}{<>")) ++i;
    return i == t.size() && i > m && !(t.size() - m > 1 && t[m] == '/' && t[m + 1] == '/');
  }
  // Reversed: mouth [nose] eyes, e.g. (: (-:
  if (in(t[0], kReversedMouths)) {
    i = 1;
    if (i < t.size() && t[i] == '-') ++i;
    return i + 1 == t.size() && in(t[i], ":;=");
  }
  return false;
}

bool is_upper_ascii(char c) { return c >= 'A' && c <= 'Z'; }

bool is_placeholder(std::string_view t) {
  if (t.size() < 3) return false;
  char open = t.front(), close = t.back();
  if (!((open == '[' && close == ']') || (open == '<' && close == '>') || (open == '{' && close == '}')))
    return false;
  std::string_view inner = t.substr(1, t.size() - 2);
  if (open == '{' && inner.size() >= 2 && inner.front() == '{' && inner.back() == '}')
    inner = inner.substr(1, inner.size() - 2);
  if (inner.empty() || !is_upper_ascii(inner[0])) return false;
  for (char c : inner)
    if (!(is_upper_ascii(c) || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

struct Special {
  std::size_t start, end;
  TokenKind kind;
};

// Byte classes for find_specials: is_space_byte; a byte a placeholder or an
// emoticon starts with; ':' and ';', the eyes a glued emoticon starts with.
enum : unsigned char { kSpecialSpace = 1, kSpecialStart = 2, kSpecialEyes = 4 };

constexpr std::array<unsigned char, 256> special_byte_classes() {
  std::array<unsigned char, 256> t{};
  const std::array<bool, 256> starts = emoticon_starts();
  for (std::size_t b = 0; b < 256; ++b) {
    if (is_space_byte(static_cast<char>(b))) t[b] |= kSpecialSpace;
    if (starts[b]) t[b] |= kSpecialStart;
  }
  for (char c : {'[', '<', '{'}) t[static_cast<unsigned char>(c)] |= kSpecialStart;
  for (char c : {':', ';'}) t[static_cast<unsigned char>(c)] |= kSpecialEyes;
  return t;
}

// Whitespace-separated chunks that are emoticons or placeholders, and
// emoticons glued to the end of a word ("thanks:)").
void find_specials(std::string_view s, std::vector<Special>& out) {
  static constexpr std::array<unsigned char, 256> bytes = special_byte_classes();
  out.clear();
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (bytes[static_cast<unsigned char>(s[i])] & kSpecialSpace)) ++i;
    std::size_t j = i;
    while (j < s.size() && !(bytes[static_cast<unsigned char>(s[j])] & kSpecialSpace)) ++j;
    // Most chunks are words: one that neither starts like a placeholder or
    // an emoticon nor has ':' or ';' where a glued emoticon would start
    // (below) is none.
    const std::size_t size = j - i;
    if (size > 0 && !(bytes[static_cast<unsigned char>(s[i])] & kSpecialStart) &&
        !(size > 3 && (bytes[static_cast<unsigned char>(s[j - 2])] & kSpecialEyes)) &&
        !(size > 4 && (bytes[static_cast<unsigned char>(s[j - 3])] & kSpecialEyes))) {
      i = j;
      continue;
    }
    if (j > i) {
      std::string_view chunk = s.substr(i, j - i);
      // allow trailing sentence punctuation after a placeholder: "[EMAIL]."
      std::size_t k = chunk.size();
      while (k > 0 && in(chunk[k - 1], ".,;!?") && chunk.size() > 3) --k;
      if (is_placeholder(chunk.substr(0, k))) {
        out.push_back({i, i + k, TokenKind::placeholder});
      } else if (is_emoticon(chunk)) {
        out.push_back({i, j, TokenKind::emoticon});
      } else {
        for (std::size_t len : {3u, 2u}) {
          if (chunk.size() > len + 1) {
            std::string_view tail = chunk.substr(chunk.size() - len);
            char before = chunk[chunk.size() - len - 1];
            bool letter = (before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z');
            if (letter && (tail[0] == ':' || tail[0] == ';') && is_emoticon(tail)) {
              out.push_back({j - len, j, TokenKind::emoticon});
              break;
            }
          }
        }
      }
    }
    i = j;
  }
}

// Folds case and maps typographic apostrophes to '.
std::string fold_token(std::string_view text) {
  bool ascii = true;
  for (unsigned char c : text) ascii &= c < 0x80;
  if (ascii) {
    std::string s(text);
    for (char& c : s)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
  }
  std::string f = fold_case(text);
  std::string out;
  out.reserve(f.size());
  for (std::size_t i = 0; i < f.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(f[i]);
    if (c == 0xE2 && i + 2 < f.size() && static_cast<unsigned char>(f[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(f[i + 2]) == 0x99 || static_cast<unsigned char>(f[i + 2]) == 0x98)) {
      out += '\'';
      i += 2;
    } else if (c == 0xCA && i + 1 < f.size() && static_cast<unsigned char>(f[i + 1]) == 0xBC) {
      out += '\'';  // U+02BC
      i += 1;
    } else {
      out += f[i];
    }
  }
  return out;
}

UChar32 first_code_point(std::string_view s) {
  int32_t i = 0;
  UChar32 c = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, static_cast<int32_t>(s.size()), c);
  return c;
}

bool is_emoji_cp(UChar32 c) {
  if (c < 0x80) return false;
  return u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) ||
         u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR);
}

struct Stemmer {
  sb_stemmer* s = sb_stemmer_new("english", "UTF_8");
  ~Stemmer() {
    if (s) sb_stemmer_delete(s);
  }
};

// The folded form and stem of a word as written, cached per thread: text
// repeats a lot, so most tokens cost one lookup instead of a fold and a
// stem-cache lookup. The stem is computed on first need (numbers never
// need one).
struct WordForms {
  std::string folded, stem;
  std::uint64_t folded_hash = 0, stem_hash = 0;
  std::uint8_t facts = 0;
  bool stemmed = false;
};

}  // namespace

std::string stem_word(std::string_view folded) {
  thread_local Stemmer st;
  if (!st.s || folded.empty()) return std::string(folded);
  // Words repeat a lot: a per-thread cache (cleared when it grows large)
  // saves most Snowball calls.
  thread_local FlatMap<std::string> cache;
  if (const std::string* s = cache.find(folded)) return *s;
  if (cache.size() > 100000) cache.clear();
  const sb_symbol* r = sb_stemmer_stem(st.s, reinterpret_cast<const sb_symbol*>(folded.data()),
                                       static_cast<int>(folded.size()));
  if (!r) return std::string(folded);
  std::string stem(reinterpret_cast<const char*>(r), static_cast<std::size_t>(sb_stemmer_length(st.s)));
  cache[folded] = stem;
  return stem;
}

bool is_all_caps(std::string_view text) {
  bool upper = false;
  // ASCII words (most) are read byte by byte; the first other byte hands
  // the rest of the word to the code-point loop below.
  std::size_t ascii = 0;
  for (; ascii < text.size(); ++ascii) {
    const char c = text[ascii];
    if (static_cast<unsigned char>(c) >= 0x80) break;
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') upper = true;
  }
  if (ascii == text.size()) return upper;
  text.remove_prefix(ascii);
  int32_t i = 0, n = static_cast<int32_t>(text.size());
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  while (i < n) {
    UChar32 c = 0;
    U8_NEXT(p, i, n, c);
    if (c < 0) continue;
    if (c < 0x80) {
      if (c >= 'a' && c <= 'z') return false;
      if (c >= 'A' && c <= 'Z') upper = true;
    } else if (u_isULowercase(c)) {
      return false;
    } else if (u_isUUppercase(c)) {
      upper = true;
    }
  }
  return upper;
}

namespace {

// The class, in both fast paths' tables, of a character they leave to ICU.
// No other class has this bit (see over_classes).
constexpr unsigned char kUnhandledClass = 0x80;

// For the fast paths below: runs run(n, cls, off) over the text's n
// characters, where cls(k) is the class of character k and off(k) its byte
// offset (off(n) = the text's size). ASCII text (most) is read byte by byte
// through the table; other text is decoded first, into a class per code
// point from non_ascii (given a negative value for an ill-formed sequence).
// False, without running, when a character's class is kUnhandledClass.
template <typename Table, typename NonAscii, typename Run>
bool over_classes(std::string_view text, const Table& ascii, NonAscii&& non_ascii, Run&& run) {
  static_assert(std::tuple_size_v<Table> == 256, "every byte has a class");
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const auto n = static_cast<int32_t>(text.size());
  // kUnhandledClass is the one class with the high bit, and every byte from
  // 0x80 has it: OR-ing the classes answers "all plain?" without a branch
  // per byte.
  unsigned char seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) seen |= ascii[p[i]];
  if (!(seen & kUnhandledClass)) {
    run(text.size(), [&](std::size_t k) -> unsigned char { return ascii[p[k]]; }, [](std::size_t k) { return k; });
    return true;
  }
  thread_local std::vector<unsigned char> cls;
  thread_local std::vector<std::uint32_t> off;
  cls.resize(text.size());
  off.resize(text.size() + 1);
  std::size_t m = 0;
  for (int32_t i = 0; i < n; ++m) {
    off[m] = static_cast<std::uint32_t>(i);
    unsigned char c;
    if (p[i] < 0x80) {
      c = ascii[p[i++]];
    } else {
      UChar32 cp = 0;
      U8_NEXT(p, i, n, cp);
      c = non_ascii(cp);
    }
    if (c == kUnhandledClass) return false;
    cls[m] = c;
  }
  off[m] = static_cast<std::uint32_t>(n);
  run(m, [&](std::size_t k) { return cls[k]; }, [&](std::size_t k) { return static_cast<std::size_t>(off[k]); });
  return true;
}

// --- Sentence breaks without ICU ------------------------------------------
//
// For a block of text, the breaks that ICU's English sentence iterator
// gives, without running it. The rules
// (UAX #29 as in ICU's sent.txt) only act after a terminator ('.' and its
// kin are ATerm, '!' and '?' STerm):
//   SB6  ATerm x Numeric ("3.5")
//   SB7  (Upper|Lower) ATerm x Upper ("U.S")
//   SB8  ATerm Close* Sp* x (not a letter, paragraph break or terminator)* Lower
//   SB8a (STerm|ATerm) Close* Sp* x (SContinue|STerm|ATerm)
//   SB11 (STerm|ATerm) Close* Sp* / (a break after the spaces)
// and nowhere else. Each character's class is ICU's own (the Sentence_Break
// property). A block with a character of a class these rules do not cover
// here (Extend and Format, which the full rules skip over; separators;
// controls other than tab) goes to ICU. A line break inside a block is a
// space, as it is for ICU (split_sentences_impl joins hard-wrapped lines).
// Abbreviations are handled apart, after either path: a break after a word
// that is one of ICU's English exceptions ("Mr.", "U.S.", "a.m.", ... read
// from ICU's data) is removed (suppressed_break). ICU's own
// "ss=standard" filter matches an exception against the end of the text,
// whole word or not, so "app." (for "pp.") and "FAQ." (for "Q.") glued two
// sentences; this matches whole words only. The differential test ("the
// sentence fast path gives ICU's sentences",
// tests/unit/sentence_ascii_test.cpp) holds the two paths to the same spans.

enum : unsigned char { kSbOther = 0, kSbATerm, kSbSTerm, kSbClose, kSbSp, kSbLower, kSbUpper, kSbNumeric,
                       kSbSContinue, kSbOLetter, kSbUnhandled = kUnhandledClass };

unsigned char sentence_class(UChar32 c) {
  if (c == '\n') return kSbSp;  // inside a block: a joined line break, a space to ICU
  if (c < 0x20 && c != '\t') return kSbUnhandled;
  switch (u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK)) {
    case U_SB_ATERM: return kSbATerm;
    case U_SB_STERM: return kSbSTerm;
    case U_SB_CLOSE: return kSbClose;
    case U_SB_SP: return kSbSp;
    case U_SB_LOWER: return kSbLower;
    case U_SB_UPPER: return kSbUpper;
    case U_SB_NUMERIC: return kSbNumeric;
    case U_SB_SCONTINUE: return kSbSContinue;
    case U_SB_OLETTER: return kSbOLetter;
    case U_SB_OTHER: return kSbOther;
    default: return kSbUnhandled;  // Extend, Format, Sep, CR, LF
  }
}

// Indexed by byte; every byte from 0x80 starts a multi-byte character and
// is unhandled here (over_classes decodes those).
const std::array<unsigned char, 256>& ascii_sentence_classes() {
  static const std::array<unsigned char, 256> t = [] {
    std::array<unsigned char, 256> c{};
    for (int b = 0; b < 256; ++b)
      c[static_cast<std::size_t>(b)] = b < 0x80 ? sentence_class(b) : static_cast<unsigned char>(kSbUnhandled);
    return c;
  }();
  return t;
}

// ICU's English sentence-break exceptions ("Mr.", "Ph.D.", "a.m.", ...),
// read from ICU's data; empty when it cannot be read.
const FlatMap<bool>& sentence_exceptions() {
  static const FlatMap<bool> x = [] {
    FlatMap<bool> e;
    UErrorCode st = U_ZERO_ERROR;
    UResourceBundle* bundle = ures_openDirect(U_ICUDATA_NAME "-brkitr", "en", &st);
    UResourceBundle* all = ures_getByKey(bundle, "exceptions", nullptr, &st);
    UResourceBundle* list = ures_getByKey(all, "SentenceBreak", nullptr, &st);
    for (int32_t i = 0; U_SUCCESS(st) && i < ures_getSize(list); ++i) {
      int32_t len = 0;
      const UChar* u = ures_getStringByIndex(list, i, &len, &st);
      if (U_FAILURE(st)) break;
      std::string word;
      icu::UnicodeString(u, len).toUTF8String(word);
      e[word] = true;
    }
    ures_close(list);
    ures_close(all);
    ures_close(bundle);
    return e;
  }();
  return x;
}

bool is_break_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// True when the break at byte `at` of `block` follows an abbreviation: the
// word before it (after the spaces; without opening brackets and quotes)
// is one of the exceptions. "Mr. Smith" and "(Dr. Who)" stay one sentence;
// "the app. Then" and "the FAQ. It" are two.
bool suppressed_break(std::string_view block, std::size_t at) {
  while (at > 0 && is_break_space(block[at - 1])) --at;
  if (at == 0 || block[at - 1] != '.') return false;  // every exception ends in '.'
  std::size_t start = at;
  while (start > 0 && !is_break_space(block[start - 1])) --start;
  std::string_view word = block.substr(start, at - start);
  while (!word.empty() && (word[0] == '(' || word[0] == '[' || word[0] == '{' || word[0] == '"' || word[0] == '\''))
    word.remove_prefix(1);
  return sentence_exceptions().find(word) != nullptr;
}

// The rules over n characters: cls(k) is the class of character k and
// off(k) its byte offset in the block (off(n) = the block's size).
template <typename Class, typename Offset>
void sentence_breaks_over(std::size_t n, Class&& cls, Offset&& off, std::vector<std::size_t>& breaks) {
  auto at = [&](std::size_t k) -> unsigned char { return k < n ? cls(k) : static_cast<unsigned char>(kSbUnhandled); };
  auto not_letter = [](unsigned char c) {
    return c != kSbLower && c != kSbUpper && c != kSbOLetter && c != kSbATerm && c != kSbSTerm;
  };
  std::size_t k = 0;
  while (k < n) {
    const unsigned char c = cls(k);
    if (c != kSbATerm && c != kSbSTerm) {
      ++k;
      continue;
    }
    if (c == kSbATerm) {
      if (at(k + 1) == kSbNumeric) {  // SB6
        ++k;
        continue;
      }
      if (k > 0 && (cls(k - 1) == kSbUpper || cls(k - 1) == kSbLower) && at(k + 1) == kSbUpper) {  // SB7
        ++k;
        continue;
      }
    }
    std::size_t j = k + 1;
    while (j < n && cls(j) == kSbClose) ++j;
    while (j < n && cls(j) == kSbSp) ++j;
    if (j == n) break;  // the block ends the sentence
    const unsigned char next = cls(j);
    if (next == kSbSContinue || next == kSbATerm || next == kSbSTerm) {  // SB8a
      k = j;
      continue;
    }
    if (c == kSbATerm) {  // SB8
      std::size_t l = j;
      while (l < n && not_letter(cls(l))) ++l;
      if (at(l) == kSbLower) {
        k = l;
        continue;
      }
    }
    breaks.push_back(off(j));
    k = j;
  }
}

// The byte offsets in `block` where ICU's sentence iterator would break
// (before abbreviations are looked at), or false when the block is not for
// this fast path.
bool fast_sentence_breaks(std::string_view block, std::vector<std::size_t>& breaks) {
  breaks.clear();
  return over_classes(
      block, ascii_sentence_classes(),
      [](UChar32 cp) { return cp < 0 ? static_cast<unsigned char>(kSbUnhandled) : sentence_class(cp); },
      [&](std::size_t n, auto&& cls, auto&& off) { sentence_breaks_over(n, cls, off, breaks); });
}

std::vector<SentenceSpan> split_sentences_impl(std::string_view text, bool fast_path) {
  std::vector<SentenceSpan> out;
  // 1. Blocks: cut at every line break unless the next line is a
  //    hard-wrapped continuation of a long line.
  std::vector<std::pair<std::size_t, std::size_t>> blocks;
  std::size_t block_start = 0, line_start = 0;
  while (line_start <= text.size()) {
    std::size_t nl = text.find('\n', line_start);
    std::size_t line_end = nl == std::string_view::npos ? text.size() : nl;
    if (nl == std::string_view::npos) {
      blocks.emplace_back(block_start, line_end);
      break;
    }
    std::size_t next = nl + 1;
    bool join = false;
    std::size_t ls = line_start, le = line_end;
    trim(text, ls, le);
    if (le - ls >= 60 && next < text.size()) {
      char last = text[le - 1];
      char first = text[next];
      join = !in(last, ".!?:;") && first >= 'a' && first <= 'z';
    }
    if (!join) {
      blocks.emplace_back(block_start, line_end);
      block_start = next;
    }
    line_start = next;
  }
  // 2. Sentence breaks inside each block.
  icu::BreakIterator* it = thread_iterator(true);
  thread_local std::vector<std::size_t> breaks;
  for (auto [bs, be] : blocks) {
    std::size_t s0 = bs, e0 = be;
    trim(text, s0, e0);
    if (s0 >= e0) continue;
    std::string_view block = text.substr(s0, e0 - s0);
    if (!fast_path || !fast_sentence_breaks(block, breaks)) {
      // ICU ends a sentence at every line break; a joined (hard-wrapped)
      // block is scanned with its line breaks as spaces, which keeps byte
      // offsets.
      std::string unwrapped;
      std::string_view scanned = block;
      if (block.find('\n') != std::string_view::npos) {
        unwrapped.assign(block);
        std::replace(unwrapped.begin(), unwrapped.end(), '\n', ' ');
        scanned = unwrapped;
      }
      breaks.clear();
      for_each_segment(it, scanned, [&](std::size_t, std::size_t e, int32_t) {
        if (e < block.size()) breaks.push_back(e);
      });
    }
    // One sentence per break that does not follow an abbreviation.
    std::size_t from = 0;
    breaks.push_back(block.size());
    for (std::size_t to : breaks) {
      if (to < block.size() && suppressed_break(block, to)) continue;
      std::size_t a = s0 + from, b = s0 + to;
      trim(text, a, b);
      if (a < b) out.push_back({a, b});
      from = to;
    }
  }
  return out;
}

}  // namespace

std::vector<SentenceSpan> split_sentences(std::string_view text) { return split_sentences_impl(text, true); }

std::vector<SentenceSpan> split_sentences_icu(std::string_view text) { return split_sentences_impl(text, false); }

namespace {

struct WordSegment {
  std::size_t start, end;
  int32_t status;  // UBRK_WORD_NONE, UBRK_WORD_NUMBER or UBRK_WORD_LETTER
};

// --- Word breaks without ICU ----------------------------------------------
//
// For ASCII text, the boundaries and rule statuses that ICU's English word
// iterator (UAX #29 with CLDR's root tailoring) gives, without ICU. Classes:
// letters are A-Z, a-z and '@' (CLDR adds '@' to ALetter so that e-mail
// addresses stay one word; ':' is not MidLetter in root); digits; '.' and
// '\'' join letters to letters (WB6/7) and digits to digits (WB11/12); ','
// and ';' join digits to digits only; a run of spaces is one segment (WB3d);
// every other character is a segment of its own. A word's status is that of
// its last character, as ICU's state table gives it: "a11" and "1,000" are
// numbers, "24h" and "B2B" are letters. '_' (ExtendNumLet, whose statuses
// depend on its neighbours), control characters other than '\n' and '\t',
// and most non-ASCII characters are not handled (non_ascii_word_class says
// which are): the function returns false and the caller asks ICU. The
// differential test ("the word-break fast path gives ICU's tokens",
// tests/unit/segment_ascii_test.cpp) holds the two to the same tokens.

enum : unsigned char { kOther = 0, kLetter, kDigit, kMidNumLet, kMidNum, kSpace, kUnhandled = kUnhandledClass };

constexpr std::array<unsigned char, 256> ascii_word_classes() {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@') t[c] = kLetter;
    else if (c >= '0' && c <= '9') t[c] = kDigit;
    else if (c == '.' || c == '\'') t[c] = kMidNumLet;
    else if (c == ',' || c == ';') t[c] = kMidNum;
    else if (c == ' ') t[c] = kSpace;
    else if (c == '\n' || c == '\t') t[c] = kOther;
    else if (c < 0x20 || c >= 0x7F || c == '_') t[c] = kUnhandled;
    else t[c] = kOther;
  }
  return t;
}

// The class of a non-ASCII code point, for the few kinds whose word-break
// rules the fast path shares with ASCII: letters (ALetter) and digits
// (Numeric) of the scripts ICU breaks by rule, ’ and its kin (MidNumLet),
// MidNum, and Other characters such as '£' or a lone emoji, which are a
// segment each. Everything else goes to ICU: scripts it breaks with a
// dictionary (Thai and its kin, CJK), Extend, Format and ZWJ (which attach
// to the character before: emoji modifiers, combining marks), regional
// indicators, Hebrew, Katakana, MidLetter, ExtendNumLet and the spaces and
// line breaks beyond ASCII.
unsigned char non_ascii_word_class(UChar32 c) {
  if (c < 0 || (c >= 0x3000 && !(c >= 0x1F300 && c <= 0x1FAFF))) return kUnhandled;
  if (u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT) return kUnhandled;
  switch (u_getIntPropertyValue(c, UCHAR_WORD_BREAK)) {
    case U_WB_ALETTER: return kLetter;
    case U_WB_NUMERIC: return kDigit;
    case U_WB_MIDNUMLET: return kMidNumLet;
    case U_WB_MIDNUM: return kMidNum;
    case U_WB_OTHER: return u_isUWhiteSpace(c) ? static_cast<unsigned char>(kUnhandled) : static_cast<unsigned char>(kOther);
    default: return kUnhandled;
  }
}

// The segmentation over n characters: cls(k) is the class of character k
// and off(k) its byte offset (off(n) = the sentence's size).
template <typename Class, typename Offset>
void word_segments_over(std::size_t n, Class&& cls, Offset&& off, std::vector<WordSegment>& out) {
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = cls(i);
    std::size_t j = i + 1;
    int32_t status = UBRK_WORD_NONE;
    if (c == kLetter || c == kDigit) {
      unsigned char last = c;
      while (j < n) {
        const unsigned char d = cls(j);
        if (d == kLetter || d == kDigit) {
          last = d;
          ++j;
          continue;
        }
        if (j + 1 < n && (d == kMidNumLet || d == kMidNum)) {
          const unsigned char after = cls(j + 1);
          if ((last == kLetter && d == kMidNumLet && after == kLetter) ||
              (last == kDigit && after == kDigit)) {
            last = after;
            j += 2;
            continue;
          }
        }
        break;
      }
      status = last == kLetter ? UBRK_WORD_LETTER : UBRK_WORD_NUMBER;
    } else if (c == kSpace) {
      while (j < n && cls(j) == kSpace) ++j;
    }
    out.push_back({off(i), off(j), status});
    i = j;
  }
}

// The word segments of s, or false when a character is not for the fast
// path.
bool fast_word_segments(std::string_view s, std::vector<WordSegment>& out) {
  static constexpr std::array<unsigned char, 256> ascii = ascii_word_classes();
  out.clear();
  return over_classes(s, ascii, non_ascii_word_class,
                      [&](std::size_t n, auto&& cls, auto&& off) { word_segments_over(n, cls, off, out); });
}

std::vector<Token> tokenize_impl(std::string_view sentence, bool fast_path) {
  std::vector<Token> out;
  out.reserve(sentence.size() / 3 + 2);  // about one token per 4-5 bytes: no regrowth moves
  thread_local std::vector<Special> specials;
  find_specials(sentence, specials);
  thread_local FlatMap<WordForms> forms;
  std::size_t sp = 0;  // next special
  std::size_t skip_until = 0;
  auto on_segment = [&](std::size_t s, std::size_t e, int32_t status) {
    if (s < skip_until) return;
    while (sp < specials.size() && specials[sp].end <= s) ++sp;
    if (sp < specials.size() && specials[sp].start <= s) {
      const Special& x = specials[sp];
      Token& t = out.emplace_back();
      t.text.assign(sentence.substr(x.start, x.end - x.start));
      t.folded = x.kind == TokenKind::placeholder ? t.text : fold_token(t.text);
      t.stem = t.folded;
      t.start = x.start;
      t.end = x.end;
      t.kind = x.kind;
      skip_until = x.end;
      ++sp;
      return;
    }
    std::string_view seg = sentence.substr(s, e - s);
    if (status >= UBRK_WORD_NUMBER) {
      const TokenKind kind = status < UBRK_WORD_NUMBER_LIMIT ? TokenKind::number : TokenKind::word;
      WordForms* f = forms.find(seg);
      if (!f) {
        if (forms.size() > 100000) forms.clear();  // bounded: a long run meets many numbers and names
        f = &forms[seg];
        f->folded = fold_token(seg);
        f->folded_hash = flat_hash(f->folded);
        f->facts = word_facts(seg, f->folded);
      }
      if (kind == TokenKind::word && !f->stemmed) {
        f->stem = stem_word(f->folded);
        f->stem_hash = flat_hash(f->stem);
        f->stemmed = true;
      }
      Token& t = out.emplace_back(seg, f->folded, kind == TokenKind::word ? f->stem : f->folded, s, e, kind);
      t.folded_hash = f->folded_hash;
      t.stem_hash = kind == TokenKind::word ? f->stem_hash : f->folded_hash;
      t.facts = f->facts;
      return;
    }
    if (is_space_byte(seg[0])) return;
    const unsigned char b0 = static_cast<unsigned char>(seg[0]);
    UChar32 c = b0 < 0x80 ? b0 : first_code_point(seg);
    if (c >= 0x80 && u_isWhitespace(c)) return;
    Token& t = out.emplace_back();
    t.text.assign(seg);
    t.folded = t.text;
    t.stem = t.text;
    t.start = s;
    t.end = e;
    t.kind = is_emoji_cp(c) ? TokenKind::emoji : TokenKind::punct;
    // (in ASCII, ICU's letters and decimal digits are exactly these)
    const bool alnum = c < 0x80 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                                : u_isalpha(c) || u_isdigit(c);
    if (t.kind == TokenKind::punct && alnum) {
      // letters ICU does not classify (e.g. unassigned scripts): treat as words
      t.kind = TokenKind::word;
      t.folded = fold_token(seg);
      t.stem = t.folded;
    }
  };
  thread_local std::vector<WordSegment> segments;
  if (fast_path && fast_word_segments(sentence, segments)) {
    for (const WordSegment& g : segments) on_segment(g.start, g.end, g.status);
  } else {
    for_each_segment(thread_iterator(false), sentence, on_segment);
  }
  return out;
}

}  // namespace

std::vector<Token> tokenize(std::string_view sentence) { return tokenize_impl(sentence, true); }

std::vector<Token> tokenize_icu(std::string_view sentence) { return tokenize_impl(sentence, false); }

std::uint64_t folded_hash_of(const Token& t) { return t.folded_hash ? t.folded_hash : flat_hash(t.folded); }

std::uint64_t stem_hash_of(const Token& t) { return t.stem_hash ? t.stem_hash : flat_hash(t.stem); }

std::string phrase_key(std::string_view phrase) {
  std::string key;
  for (const Token& t : tokenize(phrase)) {
    if (t.kind == TokenKind::punct) continue;
    if (!key.empty()) key += ' ';
    key += t.folded;
  }
  return key;
}

}  // namespace cxmap
