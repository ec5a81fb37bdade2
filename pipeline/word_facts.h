// Word facts: what the taggers ask about a single word that depends on its
// text alone (written in capitals, holds "n't", names a time unit), as bits.
// tokenize() finds them once per distinct word, in the cache that already
// holds the word's folded form and stem, and copies them into each Token;
// the taggers read them through the *_of() helpers, which work the fact out
// from the token's text when tokenize() did not (a Token built by hand).
// Before this, the sentiment scorer and the wait finder asked these
// questions of every token of every sentence: about a tenth of the tagger
// pass's instructions.
#pragma once

#include <cstdint>
#include <string_view>

#include "pipeline/segment.h"

namespace cxmap {

enum WordFact : std::uint8_t {
  kFactsKnown = 1,     // the other bits were computed
  kFactAllCaps = 2,    // the text as written: is_all_caps()
  kFactHasNt = 4,      // the folded form holds "n't" (VADER's negation test)
  kFactHasSpace = 8,   // the folded form holds a space
  kFactTimeUnit = 16,  // the folded form, leading digits and '.' removed, is a time unit ("45min", "hours")
};

// The facts of a word: `text` as written and its `folded` form.
std::uint8_t word_facts(std::string_view text, std::string_view folded);

// True when the word holds "n't" anywhere, as VADER asks.
bool has_nt(std::string_view word);

// Minutes in one time unit ("min", "hours", "week"...), or 0 when the word
// is none.
double unit_minutes(std::string_view unit);

// The token's facts, from tokenize() or worked out now.
inline std::uint8_t facts_of(const Token& t) { return t.facts ? t.facts : word_facts(t.text, t.folded); }

inline bool all_caps_of(const Token& t) { return facts_of(t) & kFactAllCaps; }
inline bool has_nt_of(const Token& t) { return facts_of(t) & kFactHasNt; }
inline bool has_space_of(const Token& t) { return facts_of(t) & kFactHasSpace; }
inline bool names_time_unit_of(const Token& t) { return facts_of(t) & kFactTimeUnit; }

}  // namespace cxmap
