// Focus: stage and touchpoint classification following DESIGN.md's rules.
#include <catch2/catch.hpp>

#include "pipeline/journey.h"
#include "pipeline/normalize.h"
#include "test_support.h"

using namespace cxmap;

namespace {
JourneyTags tag(const std::string& s, const JourneyDefinition& def) { return classify(tokenize(s), fold_case(s), def); }
}  // namespace

TEST_CASE("default journey has the six stages and eleven touchpoints in order", "[unit][journey]") {
  const auto& j = test::resources().journey;
  CHECK(j.stage_names() == std::vector<std::string>{"aware", "self_service", "contact", "engage", "resolution", "follow_up"});
  CHECK(j.touchpoint_names() == std::vector<std::string>{"phone", "email", "chat", "chatbot", "website", "app", "social",
                                                         "sms", "store", "billing", "delivery"});
  for (const auto& s : j.stages) CHECK(s.cues.size() >= 24);
  for (const auto& t : j.touchpoints) CHECK(t.cues.size() >= 12);
}

TEST_CASE("journey sentence table", "[unit][journey]") {
  const auto& j = test::resources().journey;
  auto rows = test::read_table("journey_sentences.tsv");
  CHECK(rows.size() >= 40);
  for (const auto& row : rows) {
    REQUIRE(row.fields.size() == 3);
    auto t = tag(row.fields[0], j);
    INFO("journey_sentences.tsv:" << row.line << ": " << row.fields[0] << " -> " << t.stage << " (" << t.stage_cue
                                  << "), " << t.touchpoint << " (" << t.touchpoint_cue << ")");
    CHECK(t.stage == row.fields[1]);
    CHECK(t.touchpoint == row.fields[2]);
  }
}

TEST_CASE("classify explains which cue decided", "[unit][journey]") {
  auto t = tag("I was on hold for ages.", test::resources().journey);
  CHECK(t.stage == "contact");
  CHECK(t.stage_cue == "on hold");
  CHECK(t.touchpoint == "phone");
  CHECK(t.stage_score > 0);
  auto none = tag("My name is Anna.", test::resources().journey);
  CHECK(none.stage == "none");
  CHECK(none.touchpoint == "none");
}

TEST_CASE("compile_journey: stems, exact cues, priority and bad patterns", "[unit][journey]") {
  JourneyDefinition def;
  def.stages.push_back({"contact", "", {{"call", 1}}, {}, 0});
  def.stages.push_back({"resolution", "", {{"=fixed", 1}}, {{"\\bclosed\\b", 1}}, 5});
  auto c = compile_journey(def);
  REQUIRE(c.ok());
  CHECK(tag("I called them", *c).stage == "contact");    // stem match
  CHECK(tag("They fixed it", *c).stage == "resolution");
  CHECK(tag("Please fix it", *c).stage == "none");       // exact cue: no stemming
  CHECK(tag("case closed", *c).stage == "resolution");   // pattern
  CHECK(tag("I called and they fixed it", *c).stage == "resolution");  // tie -> priority

  JourneyDefinition bad = def;
  bad.touchpoints.push_back({"phone", "", {}, {{"(unclosed", 1}}, 0});
  auto e = compile_journey(bad);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message.find("phone") != std::string::npos);
  CHECK(e.error().message.find("(unclosed") != std::string::npos);

  JourneyDefinition dup = def;
  dup.stages.push_back({"contact", "", {}, {}, 0});
  CHECK_FALSE(compile_journey(dup).ok());
  CHECK_FALSE(compile_journey(JourneyDefinition{}).ok());
}

TEST_CASE("clauses: then, after that and so I split a story into steps", "[unit][journey]") {
  const auto& j = test::resources().journey;
  auto split = [&](const std::string& s) { return classify_clauses(tokenize(s), s, j); };
  std::string s = "I first tried the FAQ, then called the helpline.";
  auto c = split(s);
  REQUIRE(c.size() == 2);
  CHECK(c[0].tags.stage == "self_service");
  CHECK(c[1].tags.stage == "contact");
  CHECK(s.substr(c[1].start, c[1].end - c[1].start) == "then called the helpline.");
  CHECK(tag(s, j).stage == "contact");  // the sentence reaches the later step
  CHECK(split("I searched the help centre but found nothing, so I phoned you.").size() == 2);
  CHECK(split("I was on hold for ten minutes.").size() == 1);
  CHECK(split("Since then it has been fine.").size() == 1);
}

TEST_CASE("known weaknesses stay fixed", "[unit][journey]") {
  const auto& j = test::resources().journey;
  CHECK(tag("I can't log in to the app and the password reset email never arrives", j).touchpoint == "email");
  CHECK(tag("There is no Reset password option in Settings.", j).touchpoint == "app");
}

TEST_CASE("links and topics have defaults and can be configured", "[unit][journey]") {
  const auto& j = test::resources().journey;
  CHECK(j.links.dead_end_days == 7);
  CHECK(j.links.repeat_contact_days == 14);
  REQUIRE(j.topic_matcher);
  auto topics = [&](const std::string& s) { return topics_of({tokenize(s)}, *j.topic_matcher); };
  CHECK(topics("I forgot my password and can't log in").front() == "account_access");
  CHECK(topics("I was charged twice on my bill").front() == "billing");
  CHECK(topics("My name is Anna.").empty());
  JourneyDefinition def;
  def.stages.push_back({"contact", "", {{"call", 1}}, {}, 0});
  def.topics.push_back({"pets", {"dog", "cat"}});
  auto c = compile_journey(def);
  REQUIRE(c.ok());
  CHECK(topics_of({tokenize("my dogs")}, *c->topic_matcher) == std::vector<std::string>{"pets"});
  def.topics.push_back({"pets", {"fish"}});
  CHECK_FALSE(compile_journey(def).ok());
}
