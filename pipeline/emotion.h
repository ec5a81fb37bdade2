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

EmotionResult detect_emotions(const std::vector<Token>& tokens, const EmotionLexicon& lexicon);

}  // namespace cxmap
