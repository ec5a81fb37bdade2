// Focus: word facts (pipeline/word_facts.h). tokenize() finds them once per
// distinct word and copies them into every token; they must be exactly what
// the tests give when asked of the token's own text, for every token of
// seeded texts (first and repeated occurrences, words, numbers, emoticons,
// emoji), and a token built by hand must get them worked out. Also the
// chunks find_specials() skips without a closer look: emoticons glued to a
// word, and those that start a chunk, are still found.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "pipeline/segment.h"
#include "pipeline/word_facts.h"
#include "test_support.h"

using namespace cxmap;

TEST_CASE("word facts name capitals, n't, spaces and time units", "[unit][segment]") {
  CHECK(word_facts("DON'T", "don't") == (kFactsKnown | kFactAllCaps | kFactHasNt));
  CHECK(word_facts("can't", "can't") == (kFactsKnown | kFactHasNt));
  CHECK(word_facts("Hello", "hello") == kFactsKnown);
  CHECK(word_facts("45min", "45min") == (kFactsKnown | kFactTimeUnit));
  CHECK(word_facts("1.5h", "1.5h") == (kFactsKnown | kFactTimeUnit));
  CHECK(word_facts("HOURS", "hours") == (kFactsKnown | kFactAllCaps | kFactTimeUnit));
  CHECK(word_facts("45", "45") == kFactsKnown);
  CHECK(word_facts("no one", "no one") == (kFactsKnown | kFactHasSpace));
  CHECK(unit_minutes("week") == 10080);
  CHECK(unit_minutes("weekend") == 0);
}

TEST_CASE("tokenize() gives every token the facts of its own text", "[unit][segment]") {
  const std::string alphabet = "aAzZhHmM019.'' :;)(!?";
  const std::vector<std::string> words = {"don't", "DON'T", "45min", "1.5h", "hours", "HOURS", "Minutes", "week",
                                          ":)", "\U0001F60A", "caf\u00e9", "\u00c9COLE", "won\u2019t", "[EMAIL]"};
  std::size_t tokens = 0, caps = 0, nt = 0, units = 0;
  // Twice over: the second pass reads every word from tokenize()'s cache.
  for (int pass = 0; pass < 2; ++pass)
    for (const std::string& s : test::random_texts(20261123, 3000, 12, alphabet, words))
      for (const Token& t : tokenize(s)) {
        if (t.kind == TokenKind::punct) continue;
        INFO("sentence \"" << s << "\", token \"" << t.text << "\"");
        const std::uint8_t expected = word_facts(t.text, t.folded);
        CHECK(facts_of(t) == expected);
        if (t.kind == TokenKind::word || t.kind == TokenKind::number) CHECK(t.facts == expected);
        ++tokens;
        caps += all_caps_of(t);
        nt += has_nt_of(t);
        units += names_time_unit_of(t);
      }
  CHECK(tokens > 10000);
  CHECK(caps > 100);
  CHECK(nt > 100);
  CHECK(units > 100);

  Token by_hand;
  by_hand.text = "WON'T";
  by_hand.folded = "won't";
  CHECK(facts_of(by_hand) == (kFactsKnown | kFactAllCaps | kFactHasNt));
}

TEST_CASE("emoticons glued to a word or starting a chunk are found", "[unit][segment]") {
  struct Case {
    const char* text;
    std::vector<std::string> emoticons;
  };
  const Case cases[] = {
      {"ok:D fine", {":D"}},          {"ab:) x", {":)"}},          {"abc:-) y", {":-)"}},
      {"a:-) z", {}},                 {"wow;) and sad:( now", {";)", ":("}},
      {"xD and XD or D: fine", {"xD", "XD", "D:"}},                {"to do on it", {}},
      {"great:)!", {}},               {"(: and ): ok", {"(:", "):"}}, {"<3 and </3", {"<3", "</3"}},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    std::vector<std::string> found;
    for (const Token& t : tokenize(c.text))
      if (t.kind == TokenKind::emoticon) found.push_back(t.text);
    CHECK(found == c.emoticons);
  }
  std::vector<std::string> placeholders;
  for (const Token& t : tokenize("mail [EMAIL]. or <NAME>, and {{CARD}}!"))
    if (t.kind == TokenKind::placeholder) placeholders.push_back(t.text);
  CHECK(placeholders == std::vector<std::string>{"[EMAIL]", "<NAME>", "{{CARD}}"});
}
