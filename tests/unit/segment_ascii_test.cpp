// Focus: the word-break fast path in tokenize() against ICU's word
// iterator (tokenize_icu). Both must give identical token vectors (text,
// folded, stem, offsets, kind) for every sentence: every line of the text
// corpora under tests/data and examples/, a table of tricky cases, and
// seeded random strings over the characters whose word-break rules differ.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/normalize.h"
#include "pipeline/segment.h"
#include "test_support.h"

using namespace cxmap;

namespace {

std::string describe(const std::vector<Token>& tokens) {
  std::ostringstream o;
  for (const Token& t : tokens)
    o << '[' << t.text << '|' << t.folded << '|' << t.stem << '|' << t.start << '-' << t.end << '|'
      << token_kind_name(t.kind) << "] ";
  return o.str();
}

bool same(const std::vector<Token>& a, const std::vector<Token>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].text != b[i].text || a[i].folded != b[i].folded || a[i].stem != b[i].stem ||
        a[i].start != b[i].start || a[i].end != b[i].end || a[i].kind != b[i].kind)
      return false;
  return true;
}

// Compares the two paths on one sentence; reports at most a few mismatches.
struct Differ {
  std::size_t compared = 0, ascii = 0, mismatches = 0;
  void check(std::string_view sentence) {
    ++compared;
    bool is_ascii = true;
    for (unsigned char c : sentence) is_ascii &= c < 0x80;
    ascii += is_ascii;
    auto fast = tokenize(sentence);
    auto icu = tokenize_icu(sentence);
    if (same(fast, icu)) return;
    if (++mismatches <= 10) {
      INFO("sentence: \"" << std::string(sentence) << "\"");
      INFO("tokenize:     " << describe(fast));
      INFO("tokenize_icu: " << describe(icu));
      CHECK(false);
    }
  }
  // Every sentence of the normalised text, and the whole text as one sentence.
  void check_text(std::string_view raw) {
    NormalizedText norm = normalize_text(raw);
    for (const SentenceSpan& s : split_sentences(norm.text))
      check(std::string_view(norm.text).substr(s.start, s.end - s.start));
    if (!norm.text.empty()) check(norm.text);
  }
};

}  // namespace

TEST_CASE("the word-break fast path gives ICU's tokens", "[unit][segment]") {
  Differ d;

  SECTION("tricky cases") {
    const char* cases[] = {
        "I don't know, they can't help.", "It's 'quoted' and it's 'tis", "rock'n'roll o'clock isn't",
        "won't've y'all'd", "Well-known, self-service, re-opened -- twice - no.", "3.50 and $3.50 and 1,000 and 1,000.50",
        "1.2.3 and 10,5 and 1;2 and 1'000 and 3.a and a.3", "e.g. i.e. U.S.A. a.b.c. Mr. Smith", "a11 a1.5 1.5a 1a1 24h 10am B2B mp3",
        "Thanks :) but :-( and ;) and :D :P :'( and <3 </3 ^_^ -_- xD", "thanks:) great;) ok:D sad:(",
        "(: (-: ): D: o_O T_T >_< :// :((", "See https://example.com/a-b?c=1&d=2#x or http://x.co/",
        "Mail foo@bar.com or foo.bar@baz.co.uk, @handle and a@ and @", "[EMAIL] [PHONE]. <NAME> {{CARD}}, [ACCOUNT_ID]!",
        "[email] [E] [] <> {} [EMAIL]...", "WHY IS THIS SO HARD??? I AM DONE!!!", "What?! Really?!? No!!! ... ok...",
        "tab\tseparated\tvalues", "hard\nwrapped line", "  leading and trailing spaces  ", "multiple    spaces   here",
        "snake_case __init__ _x x_ 1_000", "ctrl\x01char and del\x7f", "#1 50% *** +1 -1 ~2 ^3 `code` |pipe| \\back",
        "a:b 1:2 10:30am 9:00", "\"double\" quotes and ''two'' and '''", "x'", "'x", "'", ".", ",", "a", "1", "", " ",
        "a.", "a'", "1.", "1,", "a..b", "1..2", "a''b", "1,,2", "a.'b", "1.,2", "a@b.c.", "..a..", "''a''",
        "Order #12345 arrived 2024-05-01 at 3pm; cost 19.99 (incl. VAT)", "I've been waiting 45 mins!!!!",
        "Caf\xC3\xA9 is non-ASCII \xE2\x80\x99 so ICU runs", "emoji \xF0\x9F\x98\xA1 here",
    };
    for (const char* c : cases) d.check(c);
    CHECK(d.mismatches == 0);
  }

  SECTION("every line of the corpora under tests/data and examples/") {
    namespace fs = std::filesystem;
    std::size_t files = 0;
    for (const char* root : {CXMAP_TEST_DATA, CXMAP_SOURCE_DIR "/examples"}) {
      for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        ++files;
        std::string line;
        while (std::getline(in, line)) d.check_text(line);
      }
    }
    CHECK(files > 50);
    CHECK(d.compared > 5000);
    CHECK(d.ascii > d.compared / 2);  // the fast path is exercised, not only ICU
    CHECK(d.mismatches == 0);
  }

  SECTION("seeded random strings over the word-break classes") {
    // Letters (upper, lower, '@'), digits, the joiners . ' , ; and the
    // characters next to them in the rules (: _ - / space tab newline).
    const std::string alphabet = "aAzZeEsxXDP@019..'',,;;::__--//  \t\n!?()[]<>{}#$%&*+=^`|~\"";
    const std::vector<std::string> words = {"don't", "3.50", "1,000", ":)", ":-(", "[EMAIL]", "http://a.b/c", "a@b.c",
                                            "NO",    "ing"};
    for (const std::string& s : test::random_texts(20261103, 20000, 24, alphabet, words)) d.check(s);
    CHECK(d.compared == 20000);
    CHECK(d.mismatches == 0);
  }

  SECTION("seeded random strings with non-ASCII characters") {
    // The non-ASCII kinds the fast path reads (accented letters, other
    // scripts' letters and digits, ’ and its kin, '£', lone emoji) beside
    // ones it leaves to ICU (emoji with a modifier or selector, a ZWJ
    // sequence, CJK and Thai, a combining accent, a middle dot, a no-break
    // space, Hebrew, Katakana), next to ASCII letters, digits and joiners.
    const std::string alphabet = "aAzZe019..'',,;  :-!?\"";
    const std::vector<std::string> words = {
        "don\u2019t", "\u2019", "\u2018", "\u00a35", "\u00e9", "caf\u00e9", "na\u00efve", "STRA\u00dfE", "\u00c9COLE",
        "\u0661\u0662", "\u0391\u03b8", "\u0416\u0436", "\u00bd", "\u2013", "\u2026", "\u201cok\u201d", "\U0001F60A",
        "\U0001F44D\U0001F3FD", "\u2764\uFE0F", "\U0001F469\u200D\U0001F4BB", "\u65e5\u672c", "\u0e44\u0e17\u0e22",
        "e\u0301", "l\u00b7l", "a\u00a0b", "\u05d0\u05d1", "\u30ab\u30bf", "\u066c", "1\u2019000"};
    for (const std::string& s : test::random_texts(20261123, 20000, 24, alphabet, words)) d.check(s);
    CHECK(d.compared == 20000);
    CHECK(d.mismatches == 0);
  }
}
