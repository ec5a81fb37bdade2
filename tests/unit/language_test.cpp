// Focus: the small language detector (pipeline/language.h), on a table of
// texts in many languages and scripts (tests/data/unit/languages.tsv).
#include <catch2/catch.hpp>

#include "pipeline/language.h"
#include "test_support.h"

using namespace cxmap;

TEST_CASE("language table: scripts, stopwords, short and mixed texts", "[unit][language]") {
  int n = 0;
  for (const auto& row : test::read_table("languages.tsv")) {
    REQUIRE(row.fields.size() == 2);
    INFO("languages.tsv:" << row.line << ": " << row.fields[1]);
    CHECK(detect_language(row.fields[1], "und") == row.fields[0]);
    ++n;
  }
  CHECK(n >= 40);
}

TEST_CASE("language fallback and per-sentence use", "[unit][language]") {
  CHECK(detect_language("Refund ok") == "en");  // default fallback
  CHECK(detect_language("12345 !!!") == "en");
  CHECK(detect_language("xyz", "fr") == "fr");
  CHECK(detect_language("", "und") == "und");
  // A sentence without evidence keeps its feedback's language.
  CHECK(detect_language("Pedido 4471.", "es") == "es");
}

TEST_CASE("language evidence accumulates over sentences", "[unit][language]") {
  LanguageEvidence e;
  e.add(tokenize("Hola."));
  CHECK(e.decide("und") == "und");  // one greeting is not enough
  e.add(tokenize("Mi pedido no ha llegado y nadie me ayuda."));
  CHECK(e.decide("und") == "es");
  LanguageEvidence mixed;
  mixed.add(tokenize("The parcel is late."));
  mixed.add(tokenize("Muchas gracias."));
  CHECK(mixed.decide("und") == "en");
}
