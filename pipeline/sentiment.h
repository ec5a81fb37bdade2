// Sentence sentiment: the VADER rules (Hutto & Gilbert, ICWSM 2014, as in
// vaderSentiment 3.3) applied to our tokens, plus a switchable CX layer.
//
// VADER part: lexicon valence, boosters and dampeners (decayed by distance:
// x1, x0.95, x0.9), ALL-CAPS emphasis (+-0.733) only in mixed-case sentences,
// negation (x-0.74) by a negation word or any "n't" in the three preceding
// words (not after "without doubt"), "no" before a word, "least" ("at
// least" and "very least" excepted), "never so/this" (x1.25), the first "but"
// (x0.5 before it, x1.5 after), "kind of" / "sort of", special idioms
// ("yeah right", "to die for"), '!' (+0.292 each, at most 4) and '?' (2-3:
// +0.18 each, more: +0.96) emphasis away from zero, compound = s / sqrt(s^2 +
// 15), and pos/neu/neg shares. Emoticons are lexicon words; emoji are scored
// through lexicon entries (VADER 3.3 replaces emoji by their CLDR names; the
// CX layer holds entries for the common ones instead). Punctuation tokens are
// not words for VADER; they only count for emphasis.
// CX layer (on by default): multi-word customer-care expressions from
// lexicons/cx_valence.tsv ("on hold", "no one called back", "no problem") are
// matched first and scored as one word, single-word CX entries override
// VADER's, and a wait in a waiting context adds -0.5 per 15 minutes (at most
// -3) on the duration's unit word.
// Explainability: pass a SentimentTrace to learn each word's base valence and
// every rule that changed it. Without one (the default) nothing is recorded.
#pragma once

#include <string>
#include <vector>

#include "pipeline/lexicon.h"
#include "pipeline/record.h"
#include "pipeline/segment.h"

namespace cxmap {

struct SentimentOptions {
  bool cx_layer = true;
};

// One rule that changed a word's valence (or the sentence sum).
struct SentimentRule {
  std::string rule;    // booster, dampener, caps, negation, no, never so, least, idiom, kind of, but, '!', '?'
  std::string detail;  // for a person: "+0.293 from 'very' at distance 1"
  double before = 0, after = 0;
};

// One VADER word: a token, or a CX phrase scored as one word.
struct SentimentTraceWord {
  std::string text;    // as written (a phrase: its folded words)
  std::string source;  // where the base valence came from: vader, cx, cx phrase, cx wait; "" when none
  std::string role;    // for a word with no valence that acts on others: booster, dampener, negation
  double base = 0;     // lexicon valence
  double valence = 0;  // after every rule: what enters the sum
  std::vector<SentimentRule> rules;
};

struct SentimentTrace {
  std::vector<SentimentTraceWord> words;
  std::vector<SentimentRule> sentence_rules;  // '!' and '?' emphasis on the sum
  double sum = 0;       // of the word valences, before emphasis
  double emphasis = 0;  // added away from zero
  Sentiment result;
};

// An empty or all-punctuation sentence is neutral: {0, 0, 1, 0}. When trace
// is given it is overwritten with the explanation of this sentence.
Sentiment score_sentence(const std::vector<Token>& tokens, const ValenceLexicon& lexicon,
                         const SentimentOptions& options = {}, SentimentTrace* trace = nullptr);

// Valence the CX layer gives a wait of this many minutes (<= 0).
double wait_valence(double minutes);

}  // namespace cxmap
