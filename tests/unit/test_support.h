// Shared helpers for the pipeline unit tests: the resources built by the
// cxmap_share target (loaded once), and a reader for table-driven TSV cases.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
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

}  // namespace cxmap::test
