// Focus: the journey definition format (lexicons/journey_loader.h): links,
// topics and config errors that name the entry.
#include <catch2/catch.hpp>

#include "lexicons/journey_loader.h"

using namespace cxmap;

TEST_CASE("journey loader reads links and topics, with defaults", "[unit][journey]") {
  auto a = parse_journey_definition(R"({"stages": [{"name": "contact", "cues": ["call"]}]})", "a.json");
  REQUIRE(a.ok());
  CHECK(a->links.dead_end_days == 7);
  CHECK(a->links.repeat_contact_days == 14);
  auto b = parse_journey_definition(
      R"({"stages": [{"name": "contact", "cues": ["call"]}], "links": {"dead_end_days": 3, "repeat_contact_days": 30},
          "topics": [{"name": "pets", "cues": ["dog"]}]})",
      "b.json");
  REQUIRE(b.ok());
  CHECK(b->links.dead_end_days == 3);
  CHECK(b->links.repeat_contact_days == 30);
  CHECK(b->topic_matcher->names() == std::vector<std::string>{"pets"});
}

TEST_CASE("journey loader errors name the file and the entry", "[unit][journey]") {
  auto bad_re = parse_journey_definition(
      R"({"stages": [{"name": "contact", "patterns": [{"regex": "(unclosed", "weight": 2}]}]})", "bad.json");
  REQUIRE_FALSE(bad_re.ok());
  CHECK(bad_re.error().kind == ErrorKind::config);
  CHECK(bad_re.error().message.find("bad.json") != std::string::npos);
  CHECK(bad_re.error().message.find("stage 'contact'") != std::string::npos);
  CHECK(bad_re.error().message.find("(unclosed") != std::string::npos);
  auto bad_links = parse_journey_definition(R"({"stages": [{"name": "a", "cues": ["x"]}], "links": {"dead_end_days": "x"}})", "l.json");
  REQUIRE_FALSE(bad_links.ok());
  CHECK(bad_links.error().message.find("dead_end_days") != std::string::npos);
  auto unknown = parse_journey_definition(R"({"stages": [{"name": "a", "cues": ["x"]}], "links": {"dead_end": 3}})", "u.json");
  REQUIRE_FALSE(unknown.ok());
  auto topic = parse_journey_definition(R"({"stages": [{"name": "a", "cues": ["x"]}], "topics": [{"name": "t", "cues": []}]})", "t.json");
  REQUIRE_FALSE(topic.ok());
  CHECK(topic.error().message.find("topic 't'") != std::string::npos);
}
