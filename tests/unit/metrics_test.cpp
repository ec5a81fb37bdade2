// Focus: the evaluation metrics (report/metrics.h) on small cases computed by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "report/metrics.h"

using namespace cxmap;

TEST_CASE("Pearson r on hand-computed pairs", "[unit][metrics]") {
  CHECK(pearson({1, 2, 3}, {2, 4, 6}) == Approx(1.0));
  CHECK(pearson({1, 2, 3}, {3, 2, 1}) == Approx(-1.0));
  // dx = dy = (-1.5, -0.5, 0.5, 1.5) up to order: sxy = 4, sxx = syy = 5.
  CHECK(pearson({1, 2, 3, 4}, {1, 3, 2, 4}) == Approx(0.8));
  CHECK(std::isnan(pearson({1, 1, 1}, {1, 2, 3})));  // no variance
  CHECK(std::isnan(pearson({1}, {1})));
  CHECK(std::isnan(pearson({1, 2}, {1, 2, 3})));
}

TEST_CASE("3-class labels for scores and human ratings", "[unit][metrics]") {
  CHECK(polarity_of_score(0.05) == Polarity::pos);
  CHECK(polarity_of_score(0.0499) == Polarity::neu);
  CHECK(polarity_of_score(-0.0499) == Polarity::neu);
  CHECK(polarity_of_score(-0.05) == Polarity::neg);
  CHECK(polarity_of_rating(0.5) == Polarity::neu);
  CHECK(polarity_of_rating(-0.5) == Polarity::neu);
  CHECK(polarity_of_rating(1) == Polarity::pos);
  CHECK(polarity_of_rating(-1) == Polarity::neg);
  CHECK(polarity_of_rating(0) == Polarity::neu);
  CHECK(std::string(polarity_name(Polarity::neg)) == "neg");
}

TEST_CASE("accuracy, per-class P/R/F1, macro-F1 and confusion", "[unit][metrics]") {
  using P = Polarity;
  const std::vector<P> gold{P::neg, P::neg, P::neg, P::neu, P::neu, P::pos, P::pos, P::pos, P::pos, P::pos};
  const std::vector<P> pred{P::neg, P::neg, P::neu, P::neu, P::pos, P::pos, P::pos, P::pos, P::neg, P::neu};
  const ClassificationFigures f = classification_figures(gold, pred);
  CHECK(f.n == 10);
  CHECK(f.accuracy == Approx(0.6));
  // rows gold, columns predicted
  CHECK(f.confusion[0] == std::array<int, 3>{2, 1, 0});
  CHECK(f.confusion[1] == std::array<int, 3>{0, 1, 1});
  CHECK(f.confusion[2] == std::array<int, 3>{1, 1, 3});
  const auto& neg = f.per_class[0];
  const auto& neu = f.per_class[1];
  const auto& pos = f.per_class[2];
  CHECK(neg.precision == Approx(2.0 / 3));
  CHECK(neg.recall == Approx(2.0 / 3));
  CHECK(neg.f1 == Approx(2.0 / 3));
  CHECK(neu.precision == Approx(1.0 / 3));
  CHECK(neu.recall == Approx(0.5));
  CHECK(neu.f1 == Approx(0.4));
  CHECK(pos.precision == Approx(0.75));
  CHECK(pos.recall == Approx(0.6));
  CHECK(pos.f1 == Approx(2.0 / 3));
  CHECK(neg.support == 3);
  CHECK(pos.predicted == 4);
  CHECK(f.macro_f1 == Approx((2.0 / 3 + 0.4 + 2.0 / 3) / 3));
  CHECK(format_figures(f).find("confusion") != std::string::npos);
}

TEST_CASE("a class never predicted or absent scores 0", "[unit][metrics]") {
  using P = Polarity;
  const ClassificationFigures f = classification_figures({P::pos, P::neu}, {P::pos, P::pos});
  CHECK(f.accuracy == Approx(0.5));
  CHECK(f.per_class[1].precision == 0);
  CHECK(f.per_class[1].f1 == 0);
  CHECK(f.per_class[2].f1 == Approx(2.0 / 3));
  CHECK(f.per_class[0].support == 0);
  CHECK(f.macro_f1 == Approx(2.0 / 9));
  CHECK(classification_figures({}, {}).n == 0);
  CHECK(classification_figures({}, {}).macro_f1 == 0);
}

TEST_CASE("evaluation files: header, comments, bad rows", "[unit][metrics]") {
  std::string error;
  auto rows = parse_rated_texts("# a comment\nid\thuman\ttext\na1\t-2\tOn hold again.\n\na2\t0.5\tOk\tthen\n",
                                &error);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].id == "a1");
  CHECK(rows[0].rating == -2);
  CHECK(rows[0].text == "On hold again.");
  CHECK(rows[0].line == 3);
  CHECK(rows[1].text == "Ok\tthen");  // the text is everything after the second tab
  CHECK(parse_rated_texts("a1\t-2\tx\na2\tbad\ty\n", &error).empty());
  CHECK(error == "line 2: score 'bad' is not a number");
  CHECK(parse_rated_texts("a1\t5\tx\n", &error).empty());
  CHECK(error.find("outside") != std::string::npos);
  CHECK(parse_rated_texts("a1 -2 x\n", &error).empty());
  CHECK(parse_rated_texts("# only comments\n", &error).empty());
}
