// Shared helpers for the pipeline unit tests: the resources built by the
// cxmap_share target (loaded once), a reader for table-driven TSV cases, and
// seeded random strings for differential tests.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <cstdint>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "lexicons/resources_loader.h"
#include "pipeline/resources.h"

namespace cxmap::test {

inline const Resources& resources() {
  static std::shared_ptr<const Resources> res = [] {
    auto r = load_resources(CXMAP_SHARE_DIR, std::string(CXMAP_SOURCE_DIR) + "/config/journey.json");
    if (!r) FAIL("cannot load resources from " CXMAP_SHARE_DIR ": " << r.error().message);
    return *r;
  }();
  return *res;
}

inline std::shared_ptr<const Resources> resources_ptr() {
  static std::shared_ptr<const Resources> res = [] {
    auto r = load_resources(CXMAP_SHARE_DIR, std::string(CXMAP_SOURCE_DIR) + "/config/journey.json");
    if (!r) FAIL("cannot load resources: " << r.error().message);
    return *r;
  }();
  return res;
}

struct Row {
  int line = 0;
  std::vector<std::string> fields;
};

// Rows of tests/data/unit/<name>; '#' lines and blank lines are skipped.
inline std::vector<Row> read_table(const std::string& name) {
  std::ifstream in(std::string(CXMAP_TEST_DATA) + "/unit/" + name);
  REQUIRE(in.good());
  std::vector<Row> rows;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    Row r;
    r.line = n;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, '\t')) r.fields.push_back(f);
    rows.push_back(std::move(r));
  }
  REQUIRE(!rows.empty());
  return rows;
}

// `count` seeded random strings of 1..max_pieces pieces, each piece one of
// `words` (one time in six) or else one character of `alphabet`: for the
// differential tests of the ASCII fast paths against ICU. The same seed
// gives the same strings.
inline std::vector<std::string> random_texts(std::uint32_t seed, int count, std::size_t max_pieces,
                                             const std::string& alphabet, const std::vector<std::string>& words) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> len(1, max_pieces), pick(0, alphabet.size() - 1),
      word(0, words.size() - 1), coin(0, 5);
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    std::string s;
    for (std::size_t n = len(rng), k = 0; k < n; ++k) {
      if (coin(rng) == 0) s += words[word(rng)];
      else s += alphabet[pick(rng)];
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace cxmap::test
