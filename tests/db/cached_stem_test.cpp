#include "db/cached_stem.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

using cxmap::CachedStem;

namespace {

// Words with English endings the stemmer rewrites ("-ing", "-ies", "-ational",
// ...), from a fixed seed.
std::vector<std::string> seeded_words(std::size_t n, unsigned seed) {
  static const char* const kEndings[] = {"", "s", "es", "ies", "ing", "ed", "ly", "ness", "ational", "fulness",
                                         "ization", "ement", "'s", "ment", "ousli", "e"};
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> letters(3, 9), letter(0, 25), ending(0, 15);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string w;
    for (int k = letters(rng); k > 0; --k) w += static_cast<char>('a' + letter(rng));
    out.push_back(w + kEndings[ending(rng)]);
  }
  return out;
}

}  // namespace

TEST_CASE("the cached stemmer gives Xapian's stems, repeats and all", "[index]") {
  Xapian::Stem plain("english");
  Xapian::Stem cached = CachedStem::make("english");
  // More distinct words than the cache holds, each asked for twice, so
  // answers come from the stemmer, from the cache and after a clear.
  std::vector<std::string> words = seeded_words(70000, 7);
  for (const char* w : {"calling", "called", "calls", "waiting", "waited", "refunds", "happily", "agreed", "", "a"})
    words.push_back(w);
  std::size_t differing = 0;
  for (int pass = 0; pass < 2; ++pass)
    for (const std::string& w : words)
      if (cached(w) != plain(w)) ++differing;
  CHECK(differing == 0);
  CHECK(cached("calling") == "call");
  CHECK(cached("refunds") == "refund");
  CHECK(cached.get_description().find("cached") != std::string::npos);
}

TEST_CASE("a TermGenerator with the cached stemmer makes the same terms", "[index]") {
  const std::string text = "I called three times, waited for 45 minutes and was transferred twice; calling again.";
  auto terms = [&](Xapian::Stem stem) {
    Xapian::Document doc;
    Xapian::TermGenerator tg;
    tg.set_stemmer(stem);
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    tg.set_document(doc);
    tg.index_text(text);
    tg.index_text(text);  // the second time from the cache ("called", "calling": Zcall 4 times)
    std::vector<std::string> out;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
      out.push_back(*t + "/" + std::to_string(t.get_wdf()));
    return out;
  };
  const auto expected = terms(Xapian::Stem("english"));
  CHECK(terms(CachedStem::make("english")) == expected);
  CHECK(std::find(expected.begin(), expected.end(), "Zcall/4") != expected.end());
}
