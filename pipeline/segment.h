// Segmentation: normalised text -> sentence spans -> tokens.
//
// Sentences come from ICU's English sentence BreakIterator, and blocks are
// also cut at blank lines and at line breaks, so list items and chat lines
// never merge (a hard-wrapped continuation line, one that starts in lower
// case after a long line with no end punctuation, is kept with its
// sentence). No sentence ends after an abbreviation: a word that is one of
// ICU's English exceptions ("Mr.", "U.S.", "a.m."). ICU's own filter for
// them matches the end of any word, so "the app. Then" and "the FAQ. It"
// were one sentence; whole words only here. Most blocks are split without
// running ICU, by the same rules (UAX #29 over ICU's character classes),
// giving the same spans.
// Tokens come from ICU's word BreakIterator, or for sentences of ASCII and
// the common non-ASCII kinds (accented letters, ’, '£', lone emoji) from a
// fast path that gives the same tokens; a word's
// folded form and stem are cached per thread by its text as written. Words
// keep inner apostrophes (’ folds to '), emoticons such as ":)" or "<3" and
// redaction placeholders such as "[EMAIL]" stay one token, each emoji
// (including ZWJ sequences) is one token, and punctuation is one token per
// character so "!!!" counts three. Iterators are cached per thread.
// Offsets are byte offsets; the input must be valid UTF-8 (normalize first).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cxmap {

enum class TokenKind { word, number, punct, emoji, emoticon, placeholder };

const char* token_kind_name(TokenKind kind);

struct Token {
  Token() = default;
  // Builds the strings in place: cheaper than assigning them one by one.
  Token(std::string_view text_, std::string_view folded_, std::string_view stem_, std::size_t start_,
        std::size_t end_, TokenKind kind_)
      : text(text_), folded(folded_), stem(stem_), start(start_), end(end_), kind(kind_) {}

  std::string text;    // as written
  std::string folded;  // case-folded, ’ -> '
  std::string stem;    // Snowball English stem of folded (words only; else = folded)
  std::size_t start = 0, end = 0;  // byte offsets in the sentence
  TokenKind kind = TokenKind::word;
  // The word's facts (word_facts.h), also found once per distinct word by
  // tokenize(); 0 when not computed. Read them through facts_of() and its
  // kin. (Beside the kind, in what would be padding.)
  std::uint8_t facts = 0;
  // flat_hash(folded) and flat_hash(stem) for words and numbers, computed
  // once per distinct word by tokenize() (the taggers look each token up in
  // several lexicons); 0 when not computed. Read them through folded_hash_of() and
  // stem_hash_of().
  std::uint64_t folded_hash = 0, stem_hash = 0;
};

// The token's folded_hash, or flat_hash(folded) when tokenize() did not set it.
std::uint64_t folded_hash_of(const Token& t);
// The same for the stem.
std::uint64_t stem_hash_of(const Token& t);

struct SentenceSpan {
  std::size_t start = 0, end = 0;  // byte offsets in the text, trimmed
};

std::vector<SentenceSpan> split_sentences(std::string_view text);
// split_sentences() with ICU's sentence iterator for every block.
// split_sentences() splits most blocks itself and must give exactly these
// spans; this is the reference the differential test holds it to.
std::vector<SentenceSpan> split_sentences_icu(std::string_view text);
std::vector<Token> tokenize(std::string_view sentence);

// tokenize() with ICU's word iterator for every sentence. tokenize() splits
// most sentences itself (several times faster) and must give exactly
// these tokens; this is the reference the differential test holds it to.
std::vector<Token> tokenize_icu(std::string_view sentence);

// Snowball English stem of one folded word (thread-cached stemmer).
std::string stem_word(std::string_view folded);

// Key under which a lexicon phrase or cue is stored and looked up: the
// folded text of its non-punctuation tokens joined with ' '.
std::string phrase_key(std::string_view phrase);

// True when the word is written in capitals only (Python's str.isupper()).
bool is_all_caps(std::string_view text);

}  // namespace cxmap
