// Focus: sentence spans and tokens (contractions, emoticons, emoji, offsets).
#include <catch2/catch.hpp>

#include "pipeline/flat_map.h"
#include "pipeline/segment.h"

using namespace cxmap;

namespace {
std::vector<std::string> sentences(const std::string& text) {
  std::vector<std::string> out;
  for (auto s : split_sentences(text)) out.push_back(text.substr(s.start, s.end - s.start));
  return out;
}
std::vector<std::string> texts(const std::vector<Token>& t, bool skip_punct = false) {
  std::vector<std::string> out;
  for (const auto& x : t)
    if (!skip_punct || x.kind != TokenKind::punct) out.push_back(x.text);
  return out;
}
}  // namespace

TEST_CASE("sentences split on end punctuation", "[unit][segment]") {
  auto s = sentences("I called yesterday. Nobody answered! Why? Mr. Smith said so.");
  REQUIRE(s.size() == 4);
  CHECK(s[0] == "I called yesterday.");
  CHECK(s[1] == "Nobody answered!");
  CHECK(s[2] == "Why?");
  CHECK(s[3] == "Mr. Smith said so.");
}

TEST_CASE("sentences split on line breaks and blank lines", "[unit][segment]") {
  auto s = sentences("- the app crashed\n- the refund is late\n\nRegards\nAnna");
  REQUIRE(s.size() == 4);
  CHECK(s[0] == "- the app crashed");
  CHECK(s[1] == "- the refund is late");
  CHECK(s[2] == "Regards");
  CHECK(s[3] == "Anna");
  // a hard-wrapped continuation stays in its sentence
  auto w = sentences("I have been trying to get somebody on the phone for three days and\nnobody answers. Second one.");
  REQUIRE(w.size() == 2);
  CHECK(w[1] == "Second one.");
}

TEST_CASE("sentence spans are byte offsets into the text", "[unit][segment]") {
  std::string text = "Caf\xC3\xA9 was closed.  Staff were rude.";
  auto spans = split_sentences(text);
  REQUIRE(spans.size() == 2);
  CHECK(text.substr(spans[1].start, spans[1].end - spans[1].start) == "Staff were rude.");
  CHECK(split_sentences("").empty());
  CHECK(split_sentences("   \n  ").empty());
}

TEST_CASE("words keep contractions and fold typographic apostrophes", "[unit][segment]") {
  auto t = tokenize("I don't know, they can\xE2\x80\x99t help.");
  auto w = texts(t, true);
  REQUIRE(w.size() == 6);
  CHECK(w[1] == "don't");
  CHECK(t[5].text == "can\xE2\x80\x99t");
  CHECK(t[5].folded == "can't");
  CHECK(t[0].kind == TokenKind::word);
  CHECK(t.back().kind == TokenKind::punct);
}

TEST_CASE("emoticons and placeholders are single tokens", "[unit][segment]") {
  auto t = tokenize("thanks :) but :-( and :D <3 mail [EMAIL] now");
  std::vector<std::string> emo;
  for (const auto& x : t)
    if (x.kind == TokenKind::emoticon) emo.push_back(x.text);
  CHECK(emo == std::vector<std::string>{":)", ":-(", ":D", "<3"});
  bool placeholder = false;
  for (const auto& x : t) placeholder |= x.kind == TokenKind::placeholder && x.text == "[EMAIL]";
  CHECK(placeholder);
  auto glued = tokenize("great:)");
  REQUIRE(glued.size() == 2);
  CHECK(glued[1].kind == TokenKind::emoticon);
}

TEST_CASE("each emoji is one token, punctuation one per character", "[unit][segment]") {
  auto t = tokenize("Love it\xF0\x9F\x98\x8D\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD!!!");
  int emoji = 0, bang = 0;
  for (const auto& x : t) {
    emoji += x.kind == TokenKind::emoji;
    bang += x.kind == TokenKind::punct && x.text == "!";
  }
  CHECK(emoji == 2);  // heart eyes, thumbs up with skin tone
  CHECK(bang == 3);
  // ZWJ family sequence stays one token
  auto z = tokenize("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7");
  REQUIRE(z.size() == 1);
  CHECK(z[0].kind == TokenKind::emoji);
}

TEST_CASE("tokens carry folded text, stems, kinds and offsets", "[unit][segment]") {
  std::string s = "WAITED 45 Minutes";
  auto t = tokenize(s);
  REQUIRE(t.size() == 3);
  CHECK(t[0].folded == "waited");
  CHECK(t[0].stem == "wait");
  CHECK(t[1].kind == TokenKind::number);
  CHECK(t[2].stem == "minut");
  for (const auto& x : t) CHECK(s.substr(x.start, x.end - x.start) == x.text);
  CHECK(is_all_caps("WAITED"));
  CHECK_FALSE(is_all_caps("Waited"));
  CHECK_FALSE(is_all_caps(":)"));
  CHECK(phrase_key("Couldn\xE2\x80\x99t  GET through") == "couldn't get through");
}

TEST_CASE("tokens carry the hashes of their folded form and stem", "[unit][segment]") {
  // The taggers look tokens up by these hashes instead of hashing again, so
  // a wrong one would be a silent miss in every lexicon.
  const std::vector<Token> tokens = tokenize("Waiting FOREVER for 45 mins, don\xE2\x80\x99t you think? :)");
  std::size_t words = 0;
  for (const Token& t : tokens) {
    INFO(t.text);
    CHECK(folded_hash_of(t) == flat_hash(t.folded));
    CHECK(stem_hash_of(t) == flat_hash(t.stem));
    if (t.kind == TokenKind::word || t.kind == TokenKind::number) {
      CHECK(t.folded_hash == flat_hash(t.folded));
      CHECK(t.stem_hash == flat_hash(t.stem));
      ++words;
    }
  }
  CHECK(words == 8);  // waiting forever for 45 mins don't you think
  Token made_by_hand;
  made_by_hand.folded = "wait";
  made_by_hand.stem = "wait";
  CHECK(folded_hash_of(made_by_hand) == flat_hash("wait"));
  CHECK(stem_hash_of(made_by_hand) == flat_hash("wait"));
}

TEST_CASE("sentences end after a word that only ends like an abbreviation", "[unit][segment]") {
  // ICU's filter matched its exceptions ("pp.", "Q.") against the end of
  // any word, so these were one sentence each; common in support text.
  auto count = [](std::string_view text) { return split_sentences(text).size(); };
  CHECK(count("I could not log in to the app. Then I called them.") == 2);
  CHECK(count("I read the FAQ. It did not help.") == 2);
  CHECK(count("I used WhatsApp. Nobody answered.") == 2);
  CHECK(count("Whatsapp. Nobody answered.") == 2);
  // Whole abbreviations still hold the sentence together, after a bracket too.
  CHECK(count("Mr. Smith called at 9 a.m. and left.") == 1);
  CHECK(count("They said (Mrs. Jones agreed) it was fine.") == 1);
  CHECK(count("The U.S. Bank branch closed.") == 1);
  CHECK(count("Ask for Prof.  Smith, twice spaced.") == 1);
  // The reference path over ICU's iterator gives the same spans.
  for (const char* text : {"I read the FAQ. It did not help.", "Mr. Smith called at 9 a.m. and left.",
                           "They said (Mrs. Jones agreed) it was fine."})
    CHECK(split_sentences(text).size() == split_sentences_icu(text).size());
}
