// Focus: chat JSON transcripts: the three file shapes, speakers, times, ids,
// and rejects for invalid JSON and unknown speakers.
#include <catch2/catch.hpp>

#include "tests/connector/collect_sink.h"

using namespace cxmap;
using namespace cxmap::test;

TEST_CASE("chat: single conversation object", "[connector]") {
  auto s = pull_all(spec_of("chat", "chat_json", fixture("chat/single.json")));
  REQUIRE(s.bad.empty());
  REQUIRE(s.good.size() == 1);
  const auto& r = s.good[0];
  CHECK(r.channel == "chat");
  CHECK(r.external_id == "CH-2026-0001");
  CHECK(r.customer_key == "maria.lopez@example.com");
  CHECK(r.received_at == "2026-09-03T08:02:00Z");
  CHECK(r.subject == "Where is my order?");
  CHECK(r.locator == fixture("chat/single.json") + "#0");
  REQUIRE(r.turns.size() == 3);
  CHECK(r.turns[0].speaker == Speaker::bot);
  CHECK(r.turns[1].speaker == Speaker::customer);
  CHECK(r.turns[1].text == "My parcel is lost.");
  CHECK(r.turns[1].time == "2026-09-03T08:02:30Z");
  CHECK(r.turns[2].speaker == Speaker::agent);
}

TEST_CASE("chat: array with a missing id and an unknown speaker", "[connector]") {
  std::string path = fixture("chat/array.json");
  auto s = pull_all(spec_of("chat", "chat_json", path));
  REQUIRE(s.good.size() == 3);
  REQUIRE(s.bad.size() == 1);
  CHECK(s.good[0].external_id == "CH-2");
  // No conversation_id: a 16-hex content hash, stable across runs.
  CHECK(s.good[1].external_id.size() == 16);
  CHECK(s.good[1].external_id == pull_all(spec_of("chat", "chat_json", path)).good[1].external_id);
  CHECK(s.good[1].received_at == "2026-09-04T09:00:00Z");
  CHECK(s.good[1].turns[0].speaker == Speaker::customer);  // "user"
  CHECK(s.good[2].external_id == "CH-5");                  // after the reject
  CHECK(s.bad[0].locator == path + "#2");
  CHECK(s.bad[0].reason.find("turn 1") != std::string::npos);
  CHECK(s.bad[0].reason.find("wizard") != std::string::npos);
  CHECK(s.bad[0].raw.find("CH-4") != std::string::npos);
}

TEST_CASE("chat: {\"conversations\": [...]} wrapper", "[connector]") {
  auto s = pull_all(spec_of("chat", "chat_json", fixture("chat/wrapped.json")));
  REQUIRE(s.good.size() == 1);
  CHECK(s.good[0].external_id == "W-1");
  CHECK(s.good[0].turns[0].text == "wrapped one");
  CHECK(s.good[0].turns[0].time == "");
}

TEST_CASE("chat: truncated JSON is one reject naming the file, the folder goes on", "[connector]") {
  std::string dir = fixture("chat");
  auto s = pull_all(spec_of("chat", "chat_json", dir));
  // array (3 good, 1 bad), single (1), truncated (1 bad), wrapped (1).
  CHECK(s.good.size() == 5);
  REQUIRE(s.bad.size() == 2);
  const Quarantined* trunc = nullptr;
  for (const auto& q : s.bad)
    if (q.locator == dir + "/truncated.json") trunc = &q;
  REQUIRE(trunc);
  CHECK(trunc->reason.find("invalid JSON") != std::string::npos);
  CHECK(trunc->reason.find("truncated.json") != std::string::npos);
  CHECK(trunc->raw.find("cut of") != std::string::npos);
  // Files in name order.
  CHECK(s.good.front().external_id == "CH-2");
  CHECK(s.good.back().external_id == "W-1");
}

TEST_CASE("chat: odd shapes are rejects, not crashes", "[connector]") {
  TempDir dir;
  dir.write("a.json", "42");
  dir.write("b.json", "[1, {\"conversation_id\": \"X\", \"turns\": \"nope\"}, {\"conversation_id\": \"Y\"}]");
  dir.write("c.json", "{\"conversation_id\": 77, \"customer\": null, \"started_at\": \"soon\", \"turns\": []}");
  auto s = pull_all(spec_of("odd", "chat_json", dir.path.string()));
  REQUIRE(s.good.size() == 1);
  CHECK(s.good[0].external_id == "77");
  CHECK(s.good[0].received_at == "");
  REQUIRE(s.good[0].metadata.size() == 1);
  CHECK(s.good[0].metadata[0].first == "started_at_unparsed");
  REQUIRE(s.bad.size() == 4);
  CHECK(s.bad[0].reason.find("invalid JSON") != std::string::npos);  // Poco rejects a bare 42
  CHECK(s.bad[1].reason.find("not an object") != std::string::npos);
  CHECK(s.bad[2].reason.find("not an array") != std::string::npos);
  CHECK(s.bad[3].reason.find("no \"turns\"") != std::string::npos);
}
