// Emotion: which of the CX emotions a sentence expresses, and how strongly.
//
// Terms and phrases of lexicons/cx_emotions.tsv are matched on folded tokens
// (longest phrase first), then single words on their Snowball stem. A
// negation in the three words before a hit flips a positive emotion into
// "disappointed" ("not happy") and suppresses a negative one ("not worried");
// a booster before it ("really", "so") raises the weight by 30%. A question
// about how/what/where adds a little "curious". The dominant emotion is the
// heaviest (ties by label order) when its weight reaches 0.5, else "neutral".
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "pipeline/lexicon.h"
#include "pipeline/segment.h"

namespace cxmap {

// The 11 emotions in DESIGN.md order, then "neutral".
const std::vector<std::string>& emotion_labels();

struct EmotionResult {
  std::string dominant = "neutral";
  std::vector<std::pair<std::string, double>> weights;  // weight desc, no "neutral"
};

// Why a sentence got its emotions (cxmap explain): each lexicon hit and what
// negation or a booster did to it.
struct EmotionHit {
  std::string text;     // the word or phrase as matched (folded)
  std::string match;    // word, phrase, or stem
  std::string emotion;  // from the lexicon
  double weight = 0;    // lexicon weight
  std::string effect;   // "", "x1.3 by 'really'", "negated by 'not': counts as disappointed", "negated by 'not': dropped"
  std::string counted;  // the emotion that received weight ("" when dropped)
  double counted_weight = 0;
};

struct EmotionTrace {
  std::vector<EmotionHit> hits;
  bool question_curious = false;  // a how/what/... question added 0.6 curious
};

// When trace is given it is overwritten with the explanation.
EmotionResult detect_emotions(const std::vector<Token>& tokens, const EmotionLexicon& lexicon,
                              EmotionTrace* trace = nullptr);

}  // namespace cxmap
