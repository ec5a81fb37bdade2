// Focus: dominant emotion per sentence, negation and boosters.
#include <catch2/catch.hpp>

#include "pipeline/emotion.h"
#include "test_support.h"

using namespace cxmap;

namespace {
EmotionResult emo(const std::string& s) { return detect_emotions(tokenize(s), test::resources().emotions); }
}  // namespace

TEST_CASE("emotion labels follow DESIGN.md order", "[unit][emotion]") {
  const auto& l = emotion_labels();
  REQUIRE(l.size() == 12);
  CHECK(l.front() == "frustrated");
  CHECK(l[10] == "delighted");
  CHECK(l.back() == "neutral");
}

TEST_CASE("dominant emotion table", "[unit][emotion]") {
  for (const auto& row : test::read_table("emotions.tsv")) {
    REQUIRE(row.fields.size() == 2);
    INFO("emotions.tsv:" << row.line << ": " << row.fields[0]);
    CHECK(emo(row.fields[0]).dominant == row.fields[1]);
  }
}

TEST_CASE("negation turns positive emotions into disappointment", "[unit][emotion]") {
  auto r = emo("I am not happy at all.");
  CHECK(r.dominant == "disappointed");
  for (const auto& [label, w] : r.weights) {
    CHECK(label != "satisfied");
    CHECK(label != "delighted");
  }
}

TEST_CASE("boosters raise weight and weights are sorted", "[unit][emotion]") {
  auto plain = emo("I am frustrated.");
  auto boosted = emo("I am really frustrated.");
  REQUIRE(!plain.weights.empty());
  REQUIRE(!boosted.weights.empty());
  CHECK(boosted.weights[0].second > plain.weights[0].second);
  auto mixed = emo("Thank you, but I am still confused and worried and fed up.");
  for (std::size_t i = 1; i < mixed.weights.size(); ++i) CHECK(mixed.weights[i - 1].second >= mixed.weights[i].second);
  CHECK(mixed.weights.size() >= 3);
}

TEST_CASE("the emotion lexicon is large enough and covers every emotion", "[unit][emotion]") {
  const auto& lex = test::resources().emotions;
  CHECK(lex.size() >= 300);
  for (std::size_t i = 0; i + 1 < emotion_labels().size(); ++i) {
    // every emotion must be reachable from at least its own name's stem
    const auto& label = emotion_labels()[i];
    INFO(label);
    CHECK(lex.find_stem(stem_word(label)) != nullptr);
  }
}
