// Focus: the fast path in split_sentences() against ICU's sentence
// iterator for every block (split_sentences_icu). Both must give identical
// spans for every text: every line and every whole file of the corpora under
// tests/data and examples/, a table of tricky cases, seeded random strings
// over the characters the sentence-break rules look at, and seeded random
// runs of sentences with ICU's abbreviations (whole, in part, and inside
// longer words) where the suppressions act.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/normalize.h"
#include "pipeline/segment.h"
#include "test_support.h"

using namespace cxmap;

namespace {

std::string describe(std::string_view text, const std::vector<SentenceSpan>& spans) {
  std::ostringstream o;
  for (const SentenceSpan& s : spans) o << '[' << s.start << '-' << s.end << ' ' << text.substr(s.start, s.end - s.start) << "] ";
  return o.str();
}

bool same(const std::vector<SentenceSpan>& a, const std::vector<SentenceSpan>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].start != b[i].start || a[i].end != b[i].end) return false;
  return true;
}

struct Differ {
  std::size_t compared = 0, mismatches = 0;
  void check(std::string_view text) {
    ++compared;
    auto fast = split_sentences(text);
    auto icu = split_sentences_icu(text);
    if (same(fast, icu)) return;
    if (++mismatches <= 10) {
      INFO("text: \"" << std::string(text) << "\"");
      INFO("split_sentences:     " << describe(text, fast));
      INFO("split_sentences_icu: " << describe(text, icu));
      CHECK(false);
    }
  }
  // The raw text (split_sentences takes any UTF-8) and its normalised form.
  void check_text(std::string_view raw) {
    check(raw);
    check(normalize_text(raw).text);
  }
};

}  // namespace

TEST_CASE("the sentence fast path gives ICU's sentences", "[unit][segment]") {
  Differ d;

  SECTION("tricky cases") {
    const char* cases[] = {
        "I called yesterday. Nobody answered! Why? Mr. Smith said so.", "One sentence only", "One sentence only.",
        "Ends with a run!!!", "Ends with a run?!?", "Ends with dots...", "Quoted \"end.\"", "Bracketed (end.)",
        "Mixed end.)\"]!", "a. .", "a.. b", "a .", ". a", ".", "!", "?", "\"", "(.)", "a.'b", "e.g. this",
        "Mr. Smith", "U.S.A.", "3.50 is the price", "version 1.2", "no end punctuation (but brackets)",
        "it's 'quoted' fine", "Hello.\"World", "a\tb.", "a\vb.", "a\fb. c", "x\x01y", "x\x7fy. z",
        "Hi.) there", "Hi.( there", "Hi.{x}", "hard\nwrapped line that is long enough to be joined with the next one\nnext.",
        "- the app crashed\n- the refund is late\n\nRegards\nAnna", "Caf\xC3\xA9 ferm\xC3\xA9. Oui.", "", " ", "\n",
        "  padded sentence.  ", "a.b.c.", "wait...what", "What?!Really", "ok.ok", "OK. ok", "ok . Ok",
    };
    for (const char* c : cases) d.check(c);
    CHECK(d.mismatches == 0);
  }

  SECTION("every line and whole file of the corpora under tests/data and examples/") {
    namespace fs = std::filesystem;
    std::size_t files = 0;
    for (const char* root : {CXMAP_TEST_DATA, CXMAP_SOURCE_DIR "/examples"}) {
      for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream all;
        all << in.rdbuf();
        const std::string text = all.str();
        ++files;
        d.check_text(text);
        std::size_t at = 0;
        while (at < text.size()) {
          std::size_t nl = text.find('\n', at);
          if (nl == std::string::npos) nl = text.size();
          const std::string_view line = std::string_view(text).substr(at, nl - at);
          d.check_text(line);
          // TSV rows: each field alone, as the taggers see a text column
          for (std::size_t f = 0, tab; f <= line.size(); f = tab + 1) {
            tab = line.find('\t', f);
            if (tab == std::string_view::npos) tab = line.size();
            if (f > 0 || tab < line.size()) d.check_text(line.substr(f, tab - f));
          }
          at = nl + 1;
        }
      }
    }
    CHECK(files > 50);
    CHECK(d.compared > 10000);
    CHECK(d.mismatches == 0);
  }

  SECTION("seeded random strings over the sentence-break classes") {
    // Terminators, closers, spaces and line breaks, letters of both cases
    // (the abbreviation suppressions look at them), digits, and a few
    // abbreviations and non-ASCII terminators.
    const std::string alphabet = "aAbBeEgGiIsSmMrR019..!!?()?[]{}\"'  \t\n,;:-";
    const std::vector<std::string> words = {"Mr.",  "e.g.", "U.S.", "etc.", "No.", "Dr", "\xE2\x80\xA6", "\xE3\x80\x82",
                                            "\xC3\xA9", "\r\n", "...",  "?!"};
    for (const std::string& s : test::random_texts(20261122, 30000, 30, alphabet, words)) d.check(s);
    CHECK(d.compared == 30000);
    CHECK(d.mismatches == 0);
  }

  SECTION("seeded random runs of sentences with abbreviations") {
    // Words and abbreviations (exceptions of ICU's English list, prefixes of
    // the multi-part ones, and words that merely end like one), joined by
    // spaces, terminators, closers and continuations, so most texts hold
    // several sentences and many breaks follow a '.'.
    const std::vector<std::string> words = {
        "Mr.", "Mrs.", "Dr", "Ph.D.", "Ph.", "Hon.B.A.", "Hon.B.", "Lt.Cdr.", "U.S.", "U.S.A.", "a.m.", "p.m.",
        "pp.", "Whatsapp.", "I.", "USA.", "Go.", "vs.", "exec.", "etc.", "e.g.", "E.g.", "No.", "the", "The", "hold",
        "Hold", "it", "It", "we", "We", "called", "Called", "again", "3", "4.5", "x", "A", "ok", "OK", "Ok.",
        // non-ASCII: a closing quote, a currency sign, emoji (one with a
        // skin-tone modifier and one with a variation selector, which are
        // Extend), accented letters, a CJK sentence, an ellipsis, no-break
        // and line separators, a zero-width joiner
        "it\u2019s", "\u2019", "\u00a35", "\U0001F60A", "\U0001F44D\U0001F3FD", "\u2764\uFE0F", "Caf\u00e9",
        "\u00c9T\u00c9", "\u65e5\u672c\u3002", "\u2026", "a\u00a0b", "\u2028", "x\u200dy", "\u201cOk.\u201d"};
    const std::vector<std::string> joins = {" ", " ", " ", ". ", ". ", "! ", "? ", ", ", ".", ") ", "\" ", "...",
                                            " - ", ": ", ".) ", "?! ", " (", "; ", "\t", ".5"};
    std::mt19937 rng(20261123);
    std::uniform_int_distribution<std::size_t> length(1, 16), word(0, words.size() - 1), join(0, joins.size() - 1);
    for (int i = 0; i < 30000; ++i) {
      std::string s;
      for (std::size_t n = length(rng), k = 0; k < n; ++k) s += words[word(rng)] + joins[join(rng)];
      d.check(s);
    }
    CHECK(d.compared == 30000);
    CHECK(d.mismatches == 0);
  }
}
