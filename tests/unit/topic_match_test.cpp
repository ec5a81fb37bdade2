// Focus: TopicMatcher::count's cue index against the plain definition of a
// match (every cue tried at every word: each cue word equals the token's
// folded form, or for a cue without '=' its stem). Both must give the same
// hit counts on every line of the corpora under tests/data and examples/, for
// the default topics and for a table with exact cues, shared first words and
// cues whose first word's stem differs from its folded form.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "pipeline/normalize.h"
#include "pipeline/topic.h"

using namespace cxmap;

namespace {

// The definition, written out: a reference, not the code under test.
std::vector<int> reference_hits(const std::vector<TopicDef>& topics, const std::vector<Token>& tokens) {
  std::vector<const Token*> w;
  for (const Token& t : tokens)
    if (t.kind != TokenKind::punct) w.push_back(&t);
  std::vector<int> hits(topics.size(), 0);
  for (std::size_t ti = 0; ti < topics.size(); ++ti)
    for (const std::string& text : topics[ti].cues) {
      const bool exact = !text.empty() && text.front() == '=';
      std::vector<Token> cue;
      for (Token& t : tokenize(exact ? text.substr(1) : text))
        if (t.kind != TokenKind::punct) cue.push_back(std::move(t));
      for (std::size_t k = 0; k + cue.size() <= w.size(); ++k) {
        bool ok = true;
        for (std::size_t m = 0; m < cue.size() && ok; ++m)
          ok = w[k + m]->folded == cue[m].folded || (!exact && w[k + m]->stem == cue[m].stem);
        if (ok) ++hits[ti];
      }
    }
  return hits;
}

}  // namespace

TEST_CASE("topic cue index counts what trying every cue at every word counts", "[unit][journey]") {
  const std::vector<TopicDef> custom = {
      {"access", {"=password", "passwords reset", "log in", "logging", "=log"}},
      {"billing", {"charged twice", "charges", "=charge", "bill", "billing error", "refunded"}},
      {"waits", {"waiting", "waited for hours", "wait", "on hold", "hold music"}},
  };
  for (const auto* topics : {&default_topics(), &custom}) {
    auto matcher = TopicMatcher::compile(*topics);
    REQUIRE(matcher);
    std::size_t sentences = 0, with_hits = 0, mismatches = 0;
    auto check = [&](std::string_view text) {
      const std::vector<Token> tokens = tokenize(text);
      std::vector<int> hits;
      matcher->count(tokens, hits);
      const std::vector<int> expected = reference_hits(*topics, tokens);
      ++sentences;
      bool any = false;
      for (int h : expected) any |= h > 0;
      with_hits += any;
      if (hits != expected && ++mismatches <= 5) {
        INFO("sentence: " << std::string(text));
        CHECK(hits == expected);
      }
    };
    for (const char* s : {"I was charged twice, charges everywhere, charge it", "Passwords reset, password reset",
                          "log in, logging in, logs, log", "waited for hours waiting on hold, hold music, wait"})
      check(s);
    namespace fs = std::filesystem;
    for (const char* root : {CXMAP_TEST_DATA, CXMAP_SOURCE_DIR "/examples"})
      for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::string line;
        while (std::getline(in, line)) {
          NormalizedText norm = normalize_text(line);
          for (const SentenceSpan& s : split_sentences(norm.text))
            check(std::string_view(norm.text).substr(s.start, s.end - s.start));
        }
      }
    CHECK(sentences > 5000);
    CHECK(with_hits > 500);  // the corpora exercise the cues, not only misses
    CHECK(mismatches == 0);
  }
}
