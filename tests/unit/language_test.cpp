// Focus: the tiny language detector.
#include <catch2/catch.hpp>

#include "pipeline/language.h"

using namespace cxmap;

TEST_CASE("language by stopwords for en, es, fr, de", "[unit][language]") {
  CHECK(detect_language("The agent was helpful and the refund arrived.") == "en");
  CHECK(detect_language("El agente fue muy amable y el reembolso llegó por fin.") == "es");
  CHECK(detect_language("Le service client est très lent et je suis pas content.") == "fr");
  CHECK(detect_language("Ich bin sehr unzufrieden und die Lieferung ist nicht angekommen.") == "de");
}

TEST_CASE("language by script and fallback", "[unit][language]") {
  CHECK(detect_language("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xD0\xBC\xD0\xB8\xD1\x80") == "ru");
  CHECK(detect_language("\xE4\xBD\xA0\xE5\xA5\xBD\xE4\xB8\x96\xE7\x95\x8C") == "zh");
  CHECK(detect_language("Refund ok") == "en");
  CHECK(detect_language("12345 !!!") == "en");
  CHECK(detect_language("xyz", "fr") == "fr");
}
