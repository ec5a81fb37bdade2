// Focus: the composition: offsets, speakers, ordinals, context, tag_text.
#include <catch2/catch.hpp>

#include <algorithm>

#include "pipeline/pipeline.h"
#include "test_support.h"

using namespace cxmap;

namespace {
RawFeedback chat() {
  RawFeedback raw;
  raw.source = "chat-test";
  raw.channel = "chat";
  raw.external_id = "conv-1";
  raw.turns.push_back({Speaker::customer, "", "Hi.  I was charged twice for my order!\r\nCan you help?"});
  raw.turns.push_back({Speaker::agent, "", "I have transferred you to billing."});
  raw.turns.push_back({Speaker::customer, "", "Thanks, the refund was processed. Great service \xF0\x9F\x98\x8A"});
  return raw;
}
}  // namespace

TEST_CASE("analyze: offsets map back to the text", "[unit][pipeline]") {
  Pipeline p(test::resources_ptr());
  auto fb = p.analyze(chat());
  CHECK(fb.id == feedback_id("chat-test", "conv-1"));
  REQUIRE(fb.events.size() >= 5);
  for (const auto& e : fb.events) {
    REQUIRE(e.end <= fb.text.size());
    CHECK(fb.text.substr(e.start, e.end - e.start) == e.sentence);
  }
  CHECK(fb.text.find('\r') == std::string::npos);
  CHECK(std::count(fb.text.begin(), fb.text.end(), '\n') >= 2);
  CHECK(fb.language == "en");
}

TEST_CASE("analyze: speakers and ordinals follow turns", "[unit][pipeline]") {
  Pipeline p(test::resources_ptr());
  auto fb = p.analyze(chat());
  for (std::size_t i = 0; i < fb.events.size(); ++i) CHECK(fb.events[i].ordinal == static_cast<int>(i));
  auto agent = std::find_if(fb.events.begin(), fb.events.end(), [](const Event& e) { return e.speaker == Speaker::agent; });
  REQUIRE(agent != fb.events.end());
  CHECK(agent->sentence == "I have transferred you to billing.");
  CHECK(agent->stage == "engage");
  CHECK(fb.events.front().speaker == Speaker::customer);
  CHECK(fb.events.back().speaker == Speaker::customer);
  CHECK(fb.raw.turns.size() == 3);
}

TEST_CASE("analyze: tags every sentence and carries stage context", "[unit][pipeline]") {
  Pipeline p(test::resources_ptr());
  auto fb = p.analyze(chat());
  const Event& charged = fb.events[1];
  CHECK(charged.sentence == "I was charged twice for my order!");
  CHECK(charged.stage == "aware");
  CHECK(charged.touchpoint == "billing");
  CHECK(charged.sentiment.compound < 0);
  // "Hi." has no cue: it takes the stage of the next sentence of its turn
  CHECK(fb.events[0].stage == "aware");
  const Event& last = fb.events.back();
  CHECK(last.emotion == "delighted");
  CHECK(last.sentiment.compound > 0.3);
}

TEST_CASE("analyze: invalid UTF-8 is counted, empty input is fine", "[unit][pipeline]") {
  Pipeline p(test::resources_ptr());
  RawFeedback raw{"s", "survey", "x", "", "", "", "", {}, {}, {}, {}, {}, {}};
  raw.turns.push_back({Speaker::customer, "", "bad \xFF bytes \xFE here."});
  auto fb = p.analyze(raw);
  CHECK(fb.invalid_utf8 == 2);
  REQUIRE(fb.events.size() == 1);
  RawFeedback empty;
  auto e = p.analyze(empty);
  CHECK(e.events.empty());
  CHECK(e.text.empty());
}

TEST_CASE("tag_text: label, emotions, most salient stage", "[unit][pipeline]") {
  Pipeline p(test::resources_ptr());
  auto t = p.tag_text("My order number is 555. I was on hold for 50 minutes and nobody answered!");
  CHECK(t.label == std::string("neg"));
  CHECK(t.sentiment.compound < -0.2);
  CHECK(t.stage == "contact");
  CHECK(t.touchpoint == "phone");
  REQUIRE(t.events.size() == 2);
  CHECK(t.events[1].pains.size() >= 1);
  auto happy = p.tag_text("Thank you so much, the agent fixed it in minutes!");
  CHECK(happy.label == std::string("pos"));
  CHECK(happy.stage == "resolution");
  REQUIRE_FALSE(happy.emotions.empty());
  CHECK(std::find(happy.emotions.begin(), happy.emotions.end(), "neutral") == happy.emotions.end());
  auto blank = p.tag_text("");
  CHECK(blank.label == std::string("neu"));
  CHECK(blank.stage == "none");
}

TEST_CASE("sentiment_label thresholds", "[unit][pipeline]") {
  CHECK(std::string(sentiment_label(0.05)) == "pos");
  CHECK(std::string(sentiment_label(0.0499)) == "neu");
  CHECK(std::string(sentiment_label(-0.05)) == "neg");
  CHECK(std::string(sentiment_label(-0.0499)) == "neu");
}

TEST_CASE("non-English sentences get neutral sentiment and no emotion", "[unit][pipeline]") {
  Pipeline p(test::resources_ptr());
  auto t = p.tag_text("El servicio fue muy malo y no me ayudaron para nada con el problema.");
  CHECK(t.language == "es");
  REQUIRE_FALSE(t.events.empty());
  CHECK(t.events[0].sentiment.compound == 0);
  CHECK(t.events[0].emotion == "neutral");
  CHECK(t.events[0].emotions.empty());
}

TEST_CASE("analyze: 'since Monday' counts from the turn's time, else the feedback's", "[unit][pipeline]") {
  Pipeline p(test::resources_ptr());
  RawFeedback raw;
  raw.source = "mail";
  raw.external_id = "since-1";
  raw.received_at = "2026-09-09T10:00:00Z";  // a Wednesday
  raw.turns.push_back({Speaker::customer, "", "I have been waiting for a reply since Monday."});
  raw.turns.push_back({Speaker::customer, "2026-09-11T10:00:00Z", "Still waiting since Monday."});
  auto fb = p.analyze(raw);
  std::vector<double> waits;
  for (const auto& e : fb.events)
    for (const auto& pain : e.pains)
      if (pain.kind == "long_wait") waits.push_back(pain.value);
  REQUIRE(waits.size() == 2);
  CHECK(waits[0] == Approx(2 * 24 * 60));  // Monday to Wednesday
  CHECK(waits[1] == Approx(4 * 24 * 60));  // Monday to Friday
}
