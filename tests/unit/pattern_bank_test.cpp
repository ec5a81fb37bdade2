// Focus: a PatternBank finds exactly the patterns RE2::PartialMatch finds,
// one by one, through its set and through its pattern-by-pattern fallback.
#include "pipeline/pattern_bank.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

using cxmap::PatternBank;

namespace {

// Patterns of the kinds the journey model and the pain-point detector use:
// anchors, word boundaries, bounded gaps, alternations, non-ASCII.
const std::vector<std::string> kPatterns = {
    R"(^(how|where|what|can|is|do)\b.*\?$)",
    R"(^(how|where) (do|can) (i|we|you)\b)",
    R"(\b(searched|looked|checked|read)\b.{0,30}\b(faq|website|help|app)\b)",
    R"(\btransferr?(?:ed|ing)? (?:me\b|us\b|(?:\w+ )?(?:times|twice)\b))",
    R"((?:n't|n’t|\bnot|\bnever|\bno)\s*(?:help|work|answer))",
    R"(\bno (?:reply|response|answer)\b)",
    R"(\b(?:called|phoned|rang)\b(?:\s+[\w']+){0,3}?\s+(?:two|three|\d+)\s+times\b)",
    R"(\bhold\b)",
    R"(£\d+)",
    R"(x{3,})",
};

const std::vector<std::string> kWords = {"how", "do", "i", "reset", "my", "password", "?", "searched", "the", "faq",
                                         "website", "help", "transferred", "me", "twice", "times", "not", "n't", "no",
                                         "reply", "called", "phoned", "three", "2", "on", "hold", "£40", "xxxx",
                                         "didn’t", "work", "answer", "where", "can", "we", "."};

std::vector<char> one_by_one(const std::string& text) {
  std::vector<char> hit;
  RE2::Options o;
  o.set_log_errors(false);
  for (const std::string& p : kPatterns) hit.push_back(RE2::PartialMatch(text, RE2(p, o)) ? 1 : 0);
  return hit;
}

PatternBank bank_of(std::int64_t max_mem) {
  PatternBank bank(max_mem);
  for (std::size_t i = 0; i < kPatterns.size(); ++i) {
    std::string error;
    REQUIRE(bank.add(kPatterns[i], &error) == static_cast<int>(i));
  }
  bank.compile();
  return bank;
}

}  // namespace

TEST_CASE("a pattern bank finds what PartialMatch finds, pattern by pattern", "[pattern_bank]") {
  PatternBank with_set = bank_of(0);
  REQUIRE(with_set.has_set());
  PatternBank without_set = bank_of(1024);  // too little memory for the set: the fallback path
  REQUIRE_FALSE(without_set.has_set());
  std::mt19937 rng(42);
  int differing = 0, texts_with_hits = 0;
  std::vector<char> a, b;
  for (int i = 0; i < 5000; ++i) {
    std::string text;
    const int n = 1 + static_cast<int>(rng() % 14);
    for (int k = 0; k < n; ++k) {
      if (k) text += ' ';
      text += kWords[rng() % kWords.size()];
    }
    if (rng() % 4 == 0) text += "?";
    const std::vector<char> expected = one_by_one(text);
    with_set.matches(text, a);
    without_set.matches(text, b);
    if (a != expected || b != expected) {
      ++differing;
      if (differing <= 3) FAIL_CHECK("\"" << text << "\"");
    }
    for (char h : expected) texts_with_hits += h;
  }
  CHECK(differing == 0);
  CHECK(texts_with_hits > 1000);  // the texts reach the patterns
}

TEST_CASE("a pattern bank reports a bad pattern and an empty bank matches nothing", "[pattern_bank]") {
  PatternBank bank;
  std::string error;
  CHECK(bank.add("(unclosed", &error) == -1);
  CHECK_FALSE(error.empty());
  CHECK(bank.size() == 0);
  CHECK(bank.compile());
  std::vector<char> hit{1, 1};
  bank.matches("anything", hit);
  CHECK(hit.empty());
}
