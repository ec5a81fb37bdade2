// Focus: the tagger's agreement with the hand-labelled customer-care dev set
// (tests/data/sentiment/cx_dev.tsv) must not fall. Scores each text as
// `cxmap tag` does (Pipeline::tag_text) and checks 3-class macro-F1 and
// accuracy against floors set just under the measured values. Raise the
// floors when the tagger improves; never lower them to make a change pass.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "pipeline/pipeline.h"
#include "report/metrics.h"
#include "test_support.h"

using namespace cxmap;

namespace {

std::vector<RatedText> read_rated(const std::string& name) {
  std::ifstream in(std::string(CXMAP_TEST_DATA) + "/sentiment/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  std::string error;
  auto rows = parse_rated_texts(ss.str(), &error);
  INFO(name << ": " << error);
  REQUIRE(!rows.empty());
  return rows;
}

}  // namespace

// Measured on cx_dev.tsv when the floors were last set: see lexicons/README.md.
constexpr double kMacroF1Floor = 0.87;
constexpr double kAccuracyFloor = 0.87;

TEST_CASE("customer-care dev set: macro-F1 does not fall", "[unit][sentiment][eval]") {
  const auto rows = read_rated("cx_dev.tsv");
  CHECK(rows.size() >= 420);
  Pipeline pipeline(test::resources_ptr());
  std::vector<double> ratings, scores;
  std::vector<Polarity> gold, predicted;
  for (const auto& r : rows) {
    const double c = pipeline.tag_text(r.text).sentiment.compound;
    ratings.push_back(r.rating);
    scores.push_back(c);
    gold.push_back(polarity_of_rating(r.rating));
    predicted.push_back(polarity_of_score(c));
  }
  const ClassificationFigures f = classification_figures(gold, predicted);
  const double r = pearson(ratings, scores);
  WARN("cx_dev.tsv: n " << f.n << ", Pearson r " << r << ", accuracy " << f.accuracy << ", macro-F1 "
                        << f.macro_f1 << "\n"
                        << format_figures(f));
  CHECK(f.macro_f1 >= kMacroF1Floor);
  CHECK(f.accuracy >= kAccuracyFloor);
  CHECK(r > 0.7);
}

TEST_CASE("evaluation sets are balanced and well formed", "[unit][sentiment][eval]") {
  for (const char* name : {"cx_dev.tsv", "cx_test.tsv"}) {
    const auto rows = read_rated(name);
    int counts[3] = {};
    for (const auto& r : rows) {
      INFO(name << ":" << r.line << ": " << r.text);
      CHECK(!r.text.empty());
      CHECK(std::fmod(std::fabs(r.rating) * 2, 1.0) == 0.0);  // integers or halves
      ++counts[static_cast<int>(polarity_of_rating(r.rating))];
    }
    INFO(name << ": neg " << counts[0] << ", neu " << counts[1] << ", pos " << counts[2]);
    for (int c : counts) CHECK(c >= static_cast<int>(rows.size()) / 5);
  }
}
