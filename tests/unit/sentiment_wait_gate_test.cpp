// Focus: find_durations() returns at once when no word is a time unit
// (pipeline/pain_points.cpp, names_time_unit), which is what keeps the
// sentiment scorer's wait check cheap. That shortcut must let through every
// unit the parser reads, or a wait would silently lose its CX valence: for a
// broad list of unit-like words, written apart from and glued to a number,
// the trace shows a "cx wait" word exactly when find_wait() finds a wait, and
// the list reaches enough waits to show the units are covered.
#include <catch2/catch.hpp>

#include <string>

#include "pipeline/pain_points.h"
#include "pipeline/sentiment.h"
#include "test_support.h"

using namespace cxmap;

TEST_CASE("the wait gate lets every duration unit through", "[unit][sentiment]") {
  const char* units[] = {"second", "seconds", "sec",   "secs",    "s",       "ms",        "minute",   "minutes",
                         "min",    "mins",    "mn",    "mnt",     "m",       "hour",      "hours",    "hr",
                         "hrs",    "h",       "hs",    "day",     "days",    "d",         "week",     "weeks",
                         "wk",     "wks",     "w",     "month",   "months",  "mo",        "mos",      "mth",
                         "year",   "years",   "yr",    "yrs",     "y",       "fortnight", "fortnights", "decade",
                         "decades", "moment", "moments", "night", "nights", "weekend",   "weekends", "business"};
  std::size_t waits = 0;
  for (const char* u : units) {
    for (const std::string& s : {std::string("I waited 7 ").append(u).append(" for a reply."),
                                 std::string("I waited 7").append(u).append(" for a reply."),
                                 std::string("I waited seven ").append(u).append(" on hold."),
                                 std::string("On hold for 1.5").append(u).append("!")}) {
      INFO(s);
      const std::vector<Token> tokens = tokenize(s);
      const bool wait = find_wait(tokens).has_value();
      // With a reference date the shortcut is off; no sentence here says
      // "since", so both must read the same durations.
      CHECK(find_durations(tokens).size() == find_durations(tokens, "2026-11-02").size());
      SentimentTrace trace;
      score_sentence(tokens, test::resources().valence, SentimentOptions{true}, &trace);
      bool traced = false;
      for (const SentimentTraceWord& w : trace.words) traced |= w.source == "cx wait";
      CHECK(traced == wait);
      waits += wait;
    }
  }
  CHECK(waits >= 30);  // the list does reach the units find_durations() reads
}
