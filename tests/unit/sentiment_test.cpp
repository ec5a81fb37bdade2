// Focus: VADER rules on our tokens, reference values, and the CX layer.
#include <catch2/catch.hpp>

#include <cmath>

#include "pipeline/sentiment.h"
#include "test_support.h"

using namespace cxmap;

namespace {
double compound(const std::string& s, bool cx = true) {
  return score_sentence(tokenize(s), test::resources().valence, SentimentOptions{cx}).compound;
}
}  // namespace

TEST_CASE("VADER reference values with the CX layer off", "[unit][sentiment]") {
  for (const auto& row : test::read_table("vader_reference.tsv")) {
    REQUIRE(row.fields.size() == 2);
    INFO("vader_reference.tsv:" << row.line << ": " << row.fields[0]);
    CHECK(compound(row.fields[0], false) == Approx(std::stod(row.fields[1])).margin(0.01));
  }
}

TEST_CASE("boosters, capitals and exclamation marks raise intensity", "[unit][sentiment]") {
  double good = compound("The service was good.");
  double very = compound("The service was very good.");
  double caps = compound("The service was VERY good!!!");
  CHECK(good > 0);
  CHECK(good < very);
  CHECK(very < caps);
  CHECK(compound("It was good!!!!!!!") == Approx(compound("It was good!!!!")));  // at most 4 count
  CHECK(compound("It was slightly good.") < good);
}

TEST_CASE("negation flips valence", "[unit][sentiment]") {
  CHECK(compound("The agent was helpful.", false) > 0);
  CHECK(compound("The agent was not helpful.", false) < 0);
  CHECK(compound("The agent wasn't helpful.", false) < 0);
  CHECK(compound("The agent was never very helpful.", false) < 0);
  CHECK(compound("This isn't bad.", false) > 0);
  CHECK(compound("at least it was good", false) > 0);
}

TEST_CASE("but weights the clause after it", "[unit][sentiment]") {
  double a = compound("The agent was helpful but the wait was terrible.", false);
  double b = compound("The wait was terrible but the agent was helpful.", false);
  CHECK(a < 0);
  CHECK(b > 0);
  auto s = score_sentence(tokenize("good but bad"), test::resources().valence, SentimentOptions{false});
  CHECK(s.compound < 0);
}

TEST_CASE("compound stays in range and shares sum to one", "[unit][sentiment]") {
  for (const char* s : {"", "!!!", "The worst, most horrible, terrible, awful, disgusting service ever!!!!",
                        "Amazing wonderful fantastic brilliant superb excellent!!!!", "The parcel is in Leeds."}) {
    auto r = score_sentence(tokenize(s), test::resources().valence);
    INFO(s);
    CHECK(r.compound >= -1.0);
    CHECK(r.compound <= 1.0);
    CHECK(r.pos + r.neu + r.neg == Approx(1.0).margin(1e-9));
  }
  CHECK(compound("") == 0);
  CHECK(compound("The parcel is in Leeds.") == 0);
}

TEST_CASE("'no' negates a following sentiment word as in VADER", "[unit][sentiment]") {
  CHECK(compound("There was no help at all.", false) < 0);
  CHECK(compound("no good", false) < 0);
  CHECK(compound("No.", false) < 0);
}

TEST_CASE("CX layer: customer-care phrases", "[unit][sentiment]") {
  CHECK(compound("No problem, happy to help.", false) < compound("No problem, happy to help.", true));
  CHECK(compound("No problem.", true) > 0.05);
  CHECK(compound("No problem.", true) > compound("No problem.", false));  // VADER 3.3 reads it as mildly positive
  CHECK(compound("I was put on hold.", true) < -0.05);
  CHECK(compound("I was put on hold.", false) == Approx(0));
  CHECK(compound("No one called back.", true) < -0.3);
  CHECK(compound("Not bad at all.", true) > 0);
  CHECK(compound("No complaints.", true) > 0.3);
  CHECK(compound("Kindly advise.", true) == Approx(0));
  CHECK(compound("Total waste of time.", true) < -0.4);
}

TEST_CASE("CX layer: waits add negative valence by length", "[unit][sentiment]") {
  double m20 = compound("I was on hold for 20 minutes.");
  double m45 = compound("I was on hold for 45 minutes.");
  double h3 = compound("I was on hold for 3 hours.");
  CHECK(m20 < 0);
  CHECK(m45 < m20);
  CHECK(h3 < m45);
  CHECK(wait_valence(15) == Approx(-0.5));
  CHECK(wait_valence(10000) == Approx(-3.0));
  CHECK(compound("The film lasted 3 hours.") == Approx(compound("The film lasted 3 hours.", false)));
}
