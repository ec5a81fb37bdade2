// Focus: each VADER rule, one at a time, through the scorer's trace
// (tests/data/unit/sentiment_rules.tsv): the rule fires on the right word,
// by the right word, and changes the value by its documented amount or
// factor. Then the trace must agree with the score it explains.
#include <catch2/catch.hpp>

#include <cmath>

#include "pipeline/sentiment.h"
#include "test_support.h"

using namespace cxmap;

namespace {

SentimentTrace trace_of(const std::string& s, bool cx = false) {
  SentimentTrace t;
  score_sentence(tokenize(s), test::resources().valence, SentimentOptions{cx}, &t);
  return t;
}

// The rules named `rule` whose detail contains `detail`, on word `word`
// ("-": the sentence-level rules).
std::vector<SentimentRule> find_rules(const SentimentTrace& t, const std::string& word, const std::string& rule,
                                      const std::string& detail) {
  std::vector<SentimentRule> out;
  auto scan = [&](const std::vector<SentimentRule>& rules) {
    for (const SentimentRule& r : rules)
      if (r.rule == rule && r.detail.find(detail) != std::string::npos) out.push_back(r);
  };
  if (word == "-") scan(t.sentence_rules);
  for (const SentimentTraceWord& w : t.words)
    if (word != "-" && (w.text == word || w.text.find(word) == 0)) scan(w.rules);
  return out;
}

}  // namespace

TEST_CASE("each VADER rule changes the valence by its documented amount", "[unit][sentiment]") {
  for (const auto& row : test::read_table("sentiment_rules.tsv")) {
    REQUIRE(row.fields.size() == 6);
    const std::string& sentence = row.fields[0];
    const std::string& word = row.fields[1];
    const std::string& rule = row.fields[2];
    const std::string& detail = row.fields[3];
    const std::string& op = row.fields[4];
    const double amount = std::stod(row.fields[5]);
    INFO("sentiment_rules.tsv:" << row.line << ": " << sentence << " [" << word << " " << rule << "]");
    const SentimentTrace t = trace_of(sentence);
    auto rules = find_rules(t, word, rule, detail);
    if (op == "none") {
      CHECK(rules.empty());
      continue;
    }
    REQUIRE(rules.size() >= 1);
    const SentimentRule& r = rules.front();
    INFO(r.detail << ": " << r.before << " -> " << r.after);
    if (op == "add") CHECK(r.after - r.before == Approx(amount).margin(1e-9));
    else if (op == "mul") CHECK(r.after == Approx(r.before * amount).margin(1e-9));
    else if (op == "set") CHECK(r.after == Approx(amount).margin(1e-9));
    else FAIL("unknown op " << op);
  }
}

TEST_CASE("the trace explains the score: word valences, sum, emphasis, compound", "[unit][sentiment]") {
  for (const char* s : {"The agent was NOT very helpful!!", "The wait was long but the agent was kind of nice??",
                        "I was put on hold for 45 minutes and no one called back.", "Great service :) 😀",
                        "It was the least helpful call ever."}) {
    for (bool cx : {true, false}) {
      INFO(s << " cx=" << cx);
      SentimentTrace t;
      const Sentiment plain = score_sentence(tokenize(s), test::resources().valence, SentimentOptions{cx});
      const Sentiment traced = score_sentence(tokenize(s), test::resources().valence, SentimentOptions{cx}, &t);
      CHECK(plain.compound == traced.compound);  // tracing never changes the result
      CHECK(plain.pos == traced.pos);
      CHECK(t.result.compound == traced.compound);
      double sum = 0;
      for (const SentimentTraceWord& w : t.words) {
        sum += w.valence;
        // each word's rules chain: the first starts at the base, each starts where the last ended
        if (!w.rules.empty() && w.rules.front().rule != "but") CHECK(w.rules.front().before == Approx(w.base));
        for (std::size_t k = 1; k < w.rules.size(); ++k)
          CHECK(w.rules[k].before == Approx(w.rules[k - 1].after).margin(1e-9));
        if (!w.rules.empty()) CHECK(w.rules.back().after == Approx(w.valence).margin(1e-9));
      }
      CHECK(sum == Approx(t.sum).margin(1e-9));
      const double s2 = t.sum + (t.sum > 0 ? t.emphasis : t.sum < 0 ? -t.emphasis : 0);
      CHECK(traced.compound == Approx(s2 / std::sqrt(s2 * s2 + 15)).margin(1e-9));
    }
  }
}

TEST_CASE("the trace names the source of each base valence", "[unit][sentiment]") {
  auto t = trace_of("I was put on hold for 45 minutes.", true);
  bool phrase = false, wait = false;
  for (const auto& w : t.words) {
    phrase |= w.source == "cx phrase";
    wait |= w.source == "cx wait";
  }
  CHECK(phrase);
  CHECK(wait);
  auto v = trace_of("The agent was helpful.", false);
  REQUIRE(v.words.size() == 4);
  CHECK(v.words[3].source == "vader");
  CHECK(v.words[3].base > 0);
  CHECK(v.words[0].source.empty());
  auto b = trace_of("The agent was very helpful.", false);
  CHECK(b.words[3].role == "booster");
}
