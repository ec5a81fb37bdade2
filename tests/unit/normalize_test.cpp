// Focus: normalize_text and fold_case (NFKC, invalid UTF-8, controls, spaces).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "pipeline/normalize.h"
#include "test_support.h"

using namespace cxmap;

TEST_CASE("normalize applies NFKC", "[unit][normalize]") {
  // fullwidth letters, ligature, superscript, compatibility forms
  CHECK(normalize_text("\xEF\xBC\xA8\xEF\xBD\x85\xEF\xBD\x8C\xEF\xBD\x8C\xEF\xBD\x8F").text == "Hello");
  CHECK(normalize_text("\xEF\xAC\x81nally").text == "finally");
  CHECK(normalize_text("x\xC2\xB2").text == "x2");
  // composed form of e + combining acute
  CHECK(normalize_text("caf\x65\xCC\x81").text == "caf\xC3\xA9");
  CHECK(normalize_text("plain ascii text").invalid_utf8 == 0);
}

TEST_CASE("normalize replaces and counts invalid UTF-8", "[unit][normalize]") {
  auto r = normalize_text("bad \xFF byte and \xC3 truncated and \xED\xA0\x80 surrogate");
  CHECK(r.invalid_utf8 >= 3);
  CHECK(r.text.find("\xEF\xBF\xBD") != std::string::npos);
  auto tail = normalize_text("ends with \xE2\x82");
  CHECK(tail.invalid_utf8 == 1);
  CHECK(tail.text == "ends with \xEF\xBF\xBD");
  auto overlong = normalize_text("\xC0\xAF");
  CHECK(overlong.invalid_utf8 == 2);
}

TEST_CASE("normalize converts CRLF and removes control characters", "[unit][normalize]") {
  CHECK(normalize_text("line one\r\nline two\rline three").text == "line one\nline two\nline three");
  CHECK(normalize_text("a\x01\x02" "b\x7F" "c").text == "abc");
  CHECK(normalize_text("keep\nnewline").text == "keep\nnewline");
}

TEST_CASE("normalize collapses horizontal space and trims", "[unit][normalize]") {
  CHECK(normalize_text("  too \t\t many   spaces  ").text == "too many spaces");
  CHECK(normalize_text("non\xC2\xA0" "breaking").text == "non breaking");
  CHECK(normalize_text("line  \n   next").text == "line\nnext");
  CHECK(normalize_text("para\n\n\n\n\nnext").text == "para\n\nnext");
  CHECK(normalize_text("\n\n  \n").text.empty());
  CHECK(normalize_text("").text.empty());
}

TEST_CASE("fold_case does full Unicode case folding", "[unit][normalize]") {
  CHECK(fold_case("HeLLo World") == "hello world");
  CHECK(fold_case("STRASSE") == "strasse");
  CHECK(fold_case("Stra\xC3\x9F" "e") == "strasse");       // ß -> ss
  CHECK(fold_case("\xCE\xA3\xCE\x91\xCE\xA3") == "\xCF\x83\xCE\xB1\xCF\x83");  // ΣΑΣ -> σασ
  CHECK(fold_case("\xC3\x89T\xC3\x89") == "\xC3\xA9t\xC3\xA9");
}

TEST_CASE("the three clean-up passes agree on ASCII text", "[unit][normalize]") {
  // ASCII text takes the byte path (runs copied whole); the same text after
  // an NFKC-stable non-ASCII letter takes the UTF-8 path, and after a
  // character NFKC changes the UTF-16 path. A blank line after the prefix
  // keeps the layout of the rest independent of it.
  const std::string alphabet = "ab. ,!\t\t  \r\n\n\x01\x7f\x0bZ9";
  const std::vector<std::string> words = {"hello", "  ", " \r\n ", "\n\n\n", "x y", "\t", "end."};
  std::size_t compared = 0, nonempty = 0;
  for (const std::string& text : test::random_texts(20261123, 20000, 40, alphabet, words)) {
    const std::string fast = normalize_text(text).text;
    for (const std::string& prefix : {std::string("\xC3\xA9"), std::string("\xEF\xAC\x81")}) {
      const std::string expected_prefix = prefix == "\xC3\xA9" ? prefix : "fi";
      const std::string expected = fast.empty() ? expected_prefix : expected_prefix + "\n\n" + fast;
      const std::string other = normalize_text(prefix + "\n\n" + text).text;
      INFO("text: \"" << text << "\"");
      REQUIRE(other == expected);
      ++compared;
    }
    nonempty += fast.empty() ? 0 : 1;
  }
  CHECK(compared == 40000);
  CHECK(nonempty > 15000);
}
