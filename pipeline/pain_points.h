// Pain points: what in a sentence shows the customer's effort or loss.
//
// long_wait (value in minutes, only when the duration sits in a waiting
// context: a waiting word in the same clause (hold, wait, queue, in line,
// hung on, get through), what something took ("it took three days"; not "I
// took two weeks off"), or an answer that did not come ("for ... before
// anyone answered", "after three days I got an answer", "... later they
// replied", "... late" of a callback, "since Monday" with no reply). A
// duration of something else is not a wait: "we spent two weeks in France",
// "a two-week trial", "it stopped working after four months"),
// transfer (value = times or agents when stated, else 1), repeat_explanation,
// dead_end (self-service failed), no_response, churn_risk. Durations are read
// from tokens ("45 mins", "an hour and a half", "half an hour", "three days",
// "a couple of hours", "2hrs", "1 hour and 20 minutes", and "since Monday"
// when a reference date is given); the rest are RE2 patterns over the folded sentence: broken_flow
// (a link, form, page or app that errors, crashes or loops), escalation
// (manager, supervisor, formal complaint, ombudsman), repeat_contact (the
// customer says they contacted several times; links across feedback add
// more, see db/journey_links.h). A money or number transfer is not a
// transfer pain. Pure functions; the patterns are compiled once.
//
// reference_date: the feedback's received_at (ISO-8601, "2026-09-10..."), or
// empty for none. With it, "since Monday" is the days from the last Monday
// before that date (a week when it is a Monday) and "since yesterday" one day;
// without it these give no duration.
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
std::vector<Duration> find_durations(const std::vector<Token>& tokens, std::string_view reference_date);

// The longest duration that is in a waiting context, if any.
std::optional<Duration> find_wait(const std::vector<Token>& tokens);
std::optional<Duration> find_wait(const std::vector<Token>& tokens, std::string_view reference_date);

// All pain points of one sentence; folded = fold_case(sentence).
// (Overloads rather than a default argument, so callers compiled against the
// two-argument form keep linking.)
std::vector<PainPoint> detect_pain_points(const std::vector<Token>& tokens, std::string_view folded);
std::vector<PainPoint> detect_pain_points(const std::vector<Token>& tokens, std::string_view folded,
                                          std::string_view reference_date);

// 0 = Sunday .. 6 = Saturday for "YYYY-MM-DD...", or -1 when not a date.
int weekday_of(std::string_view iso_date);

}  // namespace cxmap
