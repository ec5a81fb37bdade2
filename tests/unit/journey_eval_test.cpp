// Focus: the journey classifier's figures on the hand-labelled dev set do not
// fall (bench/journey_eval prints them in full). Floors sit just under the
// measured values; raise them when the figures improve.
#include <catch2/catch.hpp>

#include "bench/journey_scoring.h"
#include "test_support.h"

using namespace cxmap;

TEST_CASE("journey dev set: macro-F1 and pain precision keep their floor", "[unit][journey][eval]") {
  std::vector<int> bad;
  auto rows = eval::read_labelled(std::string(CXMAP_TEST_DATA) + "/journey/journey_dev.tsv", &bad);
  CHECK(bad.empty());
  REQUIRE(rows.size() >= 420);
  Pipeline pipeline(test::resources_ptr());
  auto r = eval::evaluate(pipeline, rows);
  INFO("stage macro-F1 " << r.stage.macro_f1() << ", touchpoint macro-F1 " << r.touchpoint.macro_f1()
                         << ", pain precision " << r.pains.precision() << ", recall " << r.pains.recall());
  CHECK(r.stage.macro_f1() >= 0.85);        // measured 0.864
  CHECK(r.touchpoint.macro_f1() >= 0.89);   // measured 0.896
  CHECK(r.pains.precision() >= 0.94);       // measured 0.949 (waits only in a waiting context)
  CHECK(r.pains.recall() >= 0.97);          // measured 0.982
}

TEST_CASE("journey test set is well formed", "[unit][journey][eval]") {
  std::vector<int> bad;
  auto rows = eval::read_labelled(std::string(CXMAP_TEST_DATA) + "/journey/journey_test.tsv", &bad);
  CHECK(bad.empty());
  CHECK(rows.size() >= 100);
}
