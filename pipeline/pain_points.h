// Pain points: what in a sentence shows the customer's effort or loss.
//
// long_wait (value in minutes, only when the duration sits in a waiting
// context: hold, wait, queue, took, "for ... before", "after ...", "... later"),
// transfer (value = times or agents when stated, else 1), repeat_explanation,
// dead_end (self-service failed), no_response, churn_risk. Durations are read
// from tokens ("45 mins", "an hour and a half", "half an hour", "three days",
// "a couple of hours", "2hrs"); the rest are RE2 patterns over the folded
// sentence. Pure functions; the patterns are compiled once.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "pipeline/record.h"
#include "pipeline/segment.h"

namespace cxmap {

struct Duration {
  double minutes = 0;
  std::size_t first = 0, last = 0;  // token indexes (inclusive)
};

// Every duration expression in the tokens, left to right.
std::vector<Duration> find_durations(const std::vector<Token>& tokens);

// The longest duration that is in a waiting context, if any.
std::optional<Duration> find_wait(const std::vector<Token>& tokens);

// All pain points of one sentence; folded = fold_case(sentence).
std::vector<PainPoint> detect_pain_points(const std::vector<Token>& tokens, std::string_view folded);

}  // namespace cxmap
