// Focus: `cxmap explain` end to end: it names every rule that fired, its
// compound is the one `cxmap tag` gives, --no-cx switches the CX layer off in
// both commands, and text can come on standard input. Needs no store.
#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>

#include <sstream>

#include "run_cxmap.h"

using namespace cxmap::testing;

namespace {

double tag_compound(const std::string& text, bool cx = true) {
  std::vector<std::string> args = {"tag"};
  if (!cx) args.push_back("--no-cx");
  auto r = run_cxmap(args, text + "\n");
  REQUIRE(r.exit_code == 0);
  auto events = parse_object(r.out)->getArray("events");
  REQUIRE(events->size() == 1);
  return events->getObject(0)->getValue<double>("compound");
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("explain names negation, booster, capitals and '!' emphasis", "[cli]") {
  // With the CX layer on, "very helpful" is one CX phrase; plain VADER shows
  // the booster and the negation acting on "helpful".
  const std::string text = "The agent was NOT very helpful!!";
  auto r = run_cxmap({"explain", "--no-cx", text});
  REQUIRE(r.exit_code == 0);
  INFO(r.out);
  CHECK(contains(r.out, "(CX layer off"));
  CHECK(contains(r.out, "helpful  vader 1.800  -> -1.549"));
  CHECK(contains(r.out, "booster: +0.293 from 'very' at distance 1"));
  CHECK(contains(r.out, "negation: x-0.74 by 'not' at distance 2"));
  CHECK(contains(r.out, "'!' emphasis: -0.584 (0.292 x 2 '!', at most 4)"));
  CHECK(contains(r.out, "stage "));
  CHECK(contains(r.out, "touchpoint "));

  auto j = run_cxmap({"explain", "--json", "--no-cx", text});
  REQUIRE(j.exit_code == 0);
  auto doc = parse_object(j.out);
  auto sentences = doc->getArray("sentences");
  REQUIRE(sentences->size() == 1);
  auto s = sentences->getObject(0);
  CHECK(s->getValue<double>("compound") == Approx(tag_compound(text, false)).margin(1e-4));
  CHECK(s->getValue<double>("compound") == Approx(-0.4824).margin(1e-4));
  // VADER's capitals rule acts on lexicon words and boosters only ("NOT" in
  // capitals changes nothing): a booster in capitals adds 0.733 to its step,
  // a sentiment word in capitals gets its own caps rule.
  auto caps = run_cxmap({"explain", "--no-cx", "The agent was VERY helpful!!"});
  CHECK(contains(caps.out, "(in capitals: +-0.733)"));
  auto caps_word = run_cxmap({"explain", "--no-cx", "The agent was not HELPFUL."});
  CHECK(contains(caps_word.out, "caps: +0.733: written in capitals"));
  // every rule of the JSON trace has a name and moves the value as it says
  auto words = s->getArray("words");
  bool negation = false, booster = false;
  for (std::size_t i = 0; i < words->size(); ++i) {
    auto rules = words->getObject(static_cast<unsigned>(i))->getArray("rules");
    for (std::size_t k = 0; k < rules->size(); ++k) {
      auto rule = rules->getObject(static_cast<unsigned>(k));
      negation |= rule->getValue<std::string>("rule") == "negation";
      booster |= rule->getValue<std::string>("rule") == "booster";
    }
  }
  CHECK(negation);
  CHECK(booster);
}

TEST_CASE("explain agrees with tag on compound, with and without the CX layer", "[cli]") {
  for (const std::string text : {"I was put on hold for 45 minutes and nobody called back.", "No problem, thanks a lot :)",
                                 "The app is kind of useless but the refund was quick!"}) {
    INFO(text);
    for (bool cx : {true, false}) {
      std::vector<std::string> args = {"explain", "--json"};
      if (!cx) args.push_back("--no-cx");
      args.push_back(text);
      auto r = run_cxmap(args);
      REQUIRE(r.exit_code == 0);
      auto doc = parse_object(r.out);
      CHECK(doc->getValue<bool>("cx_layer") == cx);
      auto s = doc->getArray("sentences")->getObject(0);
      CHECK(s->getValue<double>("compound") == Approx(tag_compound(text, cx)).margin(1e-4));
    }
  }
  // the CX layer matters for a wait: on hold scores lower with it
  CHECK(tag_compound("I was put on hold for 45 minutes.", true) < tag_compound("I was put on hold for 45 minutes.", false));
}

TEST_CASE("explain reads standard input and shows emotion, stage and pain cues", "[cli]") {
  auto r = run_cxmap({"explain"}, "I was on hold for 45 minutes. The agent was not pleased.\n");
  REQUIRE(r.exit_code == 0);
  INFO(r.out);
  CHECK(contains(r.out, "sentence 1: I was on hold for 45 minutes."));
  CHECK(contains(r.out, "sentence 2: The agent was not pleased."));
  CHECK(contains(r.out, "cx wait"));
  CHECK(contains(r.out, "pain long_wait (45 min)"));
  CHECK(contains(r.out, "'pleased' (word) satisfied 1.60  negated by 'not': x0.8 as disappointed"));
  CHECK(contains(r.out, "stage contact  by cue"));
  auto empty = run_cxmap({"explain"}, "   \n");
  CHECK(empty.exit_code == 2);
}
