// Focus: valence and emotion lexicons and their TSV parsers.
#include <catch2/catch.hpp>

#include "pipeline/lexicon.h"

using namespace cxmap;

TEST_CASE("parse_valence_tsv reads terms, phrases and comments", "[unit][lexicon]") {
  auto t = parse_valence_tsv("# header\n\non hold\t-1.5\nGREAT\t3.1\r\n", "test.tsv");
  REQUIRE(t.ok());
  REQUIRE(t->size() == 2);
  ValenceLexicon lex;
  lex.add_all(*t, ValenceLayer::cx);
  REQUIRE(lex.find("on hold", true));
  CHECK(*lex.find("on hold", true) == Approx(-1.5));
  CHECK(*lex.find("great", true) == Approx(3.1));
  CHECK(lex.find("great", false) == nullptr);  // cx layer off
  CHECK(lex.max_cx_phrase_words() == 2);
}

TEST_CASE("parse_valence_tsv errors name origin and line", "[unit][lexicon]") {
  auto bad = parse_valence_tsv("good\t1.9\nbad\tterrible\n", "cx_valence.tsv");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("cx_valence.tsv:2") != std::string::npos);
  auto fields = parse_valence_tsv("# c\nonly-one-field\n", "x.tsv");
  REQUIRE_FALSE(fields.ok());
  CHECK(fields.error().message.find("x.tsv:2") != std::string::npos);
  auto range = parse_valence_tsv("huge\t9\n", "x.tsv");
  REQUIRE_FALSE(range.ok());
  CHECK(range.error().kind == ErrorKind::config);
}

TEST_CASE("cx layer overrides base layer", "[unit][lexicon]") {
  ValenceLexicon lex;
  lex.add("kindly", 2.2, ValenceLayer::base);
  lex.add("Kindly", 0, ValenceLayer::cx);
  CHECK(*lex.find("kindly", false) == Approx(2.2));
  CHECK(*lex.find("kindly", true) == Approx(0));
  CHECK(lex.size(ValenceLayer::base) == 1);
}

TEST_CASE("parse_vader_lexicon and parse_afinn", "[unit][lexicon]") {
  auto v = parse_vader_lexicon(":)\t2.0\t1.18\t[2, 2, 1, 1, 1, 1, 4, 3, 4, 1]\nfed up\t-1.8\t1.2\t[]\n", "vader");
  REQUIRE(v.ok());
  REQUIRE(v->size() == 2);
  CHECK((*v)[0].term == ":)");
  CHECK((*v)[1].valence == Approx(-1.8));
  auto bad = parse_vader_lexicon("ok\t1\nbroken\tNaNx\n", "vader_lexicon.txt");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("vader_lexicon.txt:2") != std::string::npos);
  auto a = parse_afinn("abandon\t-2\ngood\t3\n", "afinn");
  REQUIRE(a.ok());
  CHECK((*a)[1].valence == Approx(2.4));
  CHECK_FALSE(parse_afinn("x\t2.5\n", "afinn").ok());
}

TEST_CASE("emotion lexicon matches phrases and stems", "[unit][lexicon]") {
  auto e = parse_emotion_tsv("fed up\tfrustrated\t2\nfrustrated\tfrustrated\t1.5\n", "emo.tsv");
  REQUIRE(e.ok());
  CHECK(e->find("fed up") != nullptr);
  CHECK(e->find_stem("frustrat") != nullptr);
  CHECK(e->max_phrase_words() == 2);
  auto bad = parse_emotion_tsv("ok\tsatisfied\t1\nx\thungry\t1\n", "emo.tsv");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("emo.tsv:2") != std::string::npos);
  CHECK(bad.error().message.find("hungry") != std::string::npos);
}

TEST_CASE("write_valence_tsv round-trips through parse_valence_tsv", "[unit][lexicon]") {
  ValenceTable t{{"good", 1.9}, {"can't stand", -2.0}, {":(", -1.9}};
  std::string text = write_valence_tsv(t, "a header\nsecond line");
  CHECK(text.rfind("# a header\n# second line\n", 0) == 0);
  auto back = parse_valence_tsv(text, "round-trip");
  REQUIRE(back.ok());
  REQUIRE(back->size() == 3);
  CHECK((*back)[1].term == "can't stand");
  CHECK((*back)[2].valence == Approx(-1.9));
}

namespace {
std::string word_n(int i) {
  std::string w = "w";
  w += std::to_string(i);  // (not "w" + ...: GCC 12 warns falsely on that under -O2)
  return w;
}
}  // namespace

TEST_CASE("FlatMap finds every key it holds, and none it does not, across growth", "[unit][lexicon]") {
  FlatMap<int> m;
  CHECK(m.find("absent") == nullptr);
  for (int i = 0; i < 5000; ++i) m[word_n(i)] = i;
  m[""] = -1;
  CHECK(m.size() == 5001);
  for (int i = 0; i < 5000; ++i) {
    const int* v = m.find(word_n(i));
    REQUIRE(v != nullptr);
    CHECK(*v == i);
  }
  CHECK(*m.find("") == -1);
  CHECK(m.find("w5000") == nullptr);
  CHECK(m.find("w1 ") == nullptr);
  m["w7"] = 70;  // existing key: no new entry
  CHECK(m.size() == 5001);
  CHECK(*m.find("w7") == 70);
}

TEST_CASE("one valence lookup gives both layers and the phrases a word starts", "[unit][lexicon]") {
  ValenceLexicon lex;
  lex.add("hold", -0.1, ValenceLayer::base);
  lex.add("on hold for ages", -2, ValenceLayer::cx);
  lex.add("hold", -0.5, ValenceLayer::cx);
  lex.add("on", 0.2, ValenceLayer::base);
  const ValenceWord* w = lex.lookup("hold");
  REQUIRE(w != nullptr);
  CHECK(w->has_base);
  CHECK(w->has_cx);
  CHECK(w->base == -0.1);
  CHECK(w->cx == -0.5);
  CHECK(*lex.find("hold", true) == -0.5);
  CHECK(*lex.find("hold", false) == -0.1);
  CHECK(lex.lookup("on")->cx_phrase_words == 4);
  CHECK(lex.find_layer("on", ValenceLayer::cx) == nullptr);
  CHECK(*lex.find_layer("on hold for ages", ValenceLayer::cx) == -2);
  CHECK(lex.size(ValenceLayer::base) == 2);
  CHECK(lex.size(ValenceLayer::cx) == 2);
}

TEST_CASE("the VADER importer drops entries VADER itself can never match", "[unit][lexicon]") {
  // VADER lowercases a token before looking it up: ":P" (1.4) is dead there,
  // and folding it would overwrite the live ":p" (1.0).
  auto table = parse_vader_lexicon(":p\t1.0\t0.5\t[1]\n:P\t1.4\t0.5\t[1]\ngood\t1.9\t0.9\t[2]\n", "t.txt");
  REQUIRE(table);
  REQUIRE(table->size() == 2);
  CHECK((*table)[0].term == ":p");
  CHECK((*table)[0].valence == Approx(1.0));
  CHECK((*table)[1].term == "good");
}
