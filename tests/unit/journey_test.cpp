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
