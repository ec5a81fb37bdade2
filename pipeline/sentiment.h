// Sentence sentiment: the VADER rules (Hutto & Gilbert, ICWSM 2014, as in
// vaderSentiment 3.3) applied to our tokens, plus a switchable CX layer.
//
// VADER part: lexicon valence, boosters and dampeners (decayed by distance),
// ALL-CAPS emphasis in mixed-case sentences, negation in the three preceding
// words, "no", "least", "never so", "but", "kind of", idioms, '!' and '?'
// emphasis, compound = s / sqrt(s^2 + 15), and pos/neu/neg shares. Punctuation
// tokens are not words for VADER; they only count for emphasis.
// CX layer (on by default): multi-word customer-care expressions from
// lexicons/cx_valence.tsv ("on hold", "no one called back", "no problem") are
// matched first and scored as one word, single-word CX entries override
// VADER's, and a wait in a waiting context adds -0.5 per 15 minutes (at most
// -3) on the duration's unit word.
#pragma once

#include <vector>

#include "pipeline/lexicon.h"
#include "pipeline/record.h"
#include "pipeline/segment.h"

namespace cxmap {

struct SentimentOptions {
  bool cx_layer = true;
};

// An empty or all-punctuation sentence is neutral: {0, 0, 1, 0}.
Sentiment score_sentence(const std::vector<Token>& tokens, const ValenceLexicon& lexicon,
                         const SentimentOptions& options = {});

// Valence the CX layer gives a wait of this many minutes (<= 0).
double wait_valence(double minutes);

}  // namespace cxmap
