// Focus: the strict front door of the search language (search/query_syntax)
// and spelling suggestions from the live vocabulary (search/spelling).
#include <catch2/catch.hpp>

#include "search/query_syntax.h"
#include "search/spelling.h"

using namespace cxmap;

namespace {

QueryError error_of(const std::string& q) {
  CheckedQuery c = check_query(q);
  INFO(q);
  REQUIRE(c.error);
  return *c.error;
}

}  // namespace

TEST_CASE("a well-formed query splits into typed tokens with their columns", "[search][syntax]") {
  CheckedQuery c = check_query("refund -\"on hold\" stage:contact (date:2026-09-01.. OR nps:..6) pass* NOT bot");
  REQUIRE_FALSE(c.error);
  REQUIRE(c.tokens.size() == 11);
  CHECK(c.tokens[0].kind == QueryTokenKind::word);
  CHECK(c.tokens[1].kind == QueryTokenKind::phrase);
  CHECK(c.tokens[1].sign == '-');
  CHECK(c.tokens[1].value == "on hold");
  CHECK(c.tokens[1].column == 8);
  CHECK(c.tokens[2].kind == QueryTokenKind::filter);
  CHECK(c.tokens[2].field == "stage");
  CHECK(c.tokens[2].value == "contact");
  CHECK(c.tokens[2].column == 19);
  CHECK(c.tokens[3].kind == QueryTokenKind::open);
  CHECK(c.tokens[4].kind == QueryTokenKind::range);
  CHECK(c.tokens[4].low == "2026-09-01");
  CHECK(c.tokens[4].high.empty());
  CHECK(c.tokens[5].value == "OR");
  CHECK(c.tokens[6].low.empty());
  CHECK(c.tokens[6].high == "6");
  CHECK(c.tokens[7].kind == QueryTokenKind::close);
  CHECK(c.tokens[8].value == "pass*");
  CHECK(c.tokens[9].value == "NOT");
  CHECK(c.tokens[10].value == "bot");
}

TEST_CASE("quoted filter values and plain colons are read as written", "[search][syntax]") {
  CheckedQuery c = check_query("source:\"nps survey\" at 10:30 re: refund");
  REQUIRE_FALSE(c.error);
  REQUIRE(c.tokens.size() == 5);
  CHECK(c.tokens[0].value == "nps survey");
  CHECK(c.tokens[2].kind == QueryTokenKind::word);  // "10:30" is no field
  CHECK(c.tokens[3].value == "re:");
}

TEST_CASE("query errors name the column and what was expected", "[search][syntax]") {
  struct Case {
    const char* query;
    std::size_t column;
    const char* expected;
  };
  const Case cases[] = {
      {"password AND", 10, "expected a term after AND"},
      {"AND refund", 1, "expected a term before AND"},
      {"refund OR OR cancel", 8, "expected a term after OR"},
      {"(refund OR cancel", 1, "expected ) to close this ("},
      {"refund)", 7, "unexpected )"},
      {"refund ()", 9, "expected a term between ( and )"},
      {"\"on hold", 1, "expected a closing \""},
      {"stge:contact", 1, "unknown field \"stge:\""},
      {"stage:", 7, "expected a value after stage:"},
      {"sentiment:bad", 11, "expected pos, neu or neg"},
      {"nps:9", 5, "expected a range after nps:"},
      {"nps:a..b", 5, "expected a number as the start"},
      {"date:2026-13-45..", 6, "expected a date YYYY-MM-DD"},
      {"date:2026-09-01..soon", 18, "as the end of the date: range"},
      {"score:..", 7, "expected at least one end"},
      {"*fund", 1, "wildcard * only at the end"},
      {"refund NOT", 8, "expected a term after NOT"},
  };
  for (const Case& c : cases) {
    QueryError e = error_of(c.query);
    INFO(c.query << " -> column " << e.column << ": " << e.message);
    CHECK(e.column == c.column);
    CHECK(e.message.find(c.expected) != std::string::npos);
  }
}

TEST_CASE("an unknown field lists the fields that exist", "[search][syntax]") {
  QueryError e = error_of("refund stge:contact");
  CHECK(e.column == 8);
  for (const char* name : {"stage", "touchpoint", "emotion", "channel", "pain", "date", "nps", "csat", "score"})
    CHECK(e.message.find(name) != std::string::npos);
}

TEST_CASE("the caret line points at the error column", "[search][syntax]") {
  const std::string q = "password AND";
  const std::string shown = point_at(q, error_of(q));
  CHECK(shown == "password AND\n         ^");
}

TEST_CASE("edit distance counts substitutions, insertions, deletions and swaps", "[search][spelling]") {
  CHECK(edit_distance("refund", "refund", 2) == 0);
  CHECK(edit_distance("refnd", "refund", 2) == 1);
  CHECK(edit_distance("refudn", "refund", 2) == 1);  // adjacent swap
  CHECK(edit_distance("rafund", "refund", 2) == 1);
  CHECK(edit_distance("rfnd", "refund", 2) == 2);
  CHECK(edit_distance("abc", "refund", 2) == 3);  // beyond the limit: limit + 1
}
