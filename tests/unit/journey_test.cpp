// Focus: stage and touchpoint classification following DESIGN.md's rules.
#include <catch2/catch.hpp>

#include "pipeline/journey.h"
#include "pipeline/normalize.h"
#include "pipeline/pipeline.h"
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

TEST_CASE("story order table: steps come out in the order they happened", "[unit][journey]") {
  const auto& j = test::resources().journey;
  auto rows = test::read_table("story_order.tsv");
  int split = 0, reversed = 0, whole = 0;
  for (const auto& row : rows) {
    REQUIRE(row.fields.size() == 2);
    const std::string& s = row.fields[0];
    auto tokens = tokenize(s);
    auto steps = story_steps(tokens, j);
    std::string got;
    auto label = [](const JourneyTags& x) {
      std::string l = x.stage;
      l.append("/").append(x.touchpoint);
      return l;
    };
    for (const auto& c : steps) {
      if (!got.empty()) got.append(" > ");
      got.append(label(c.tags));
    }
    auto t = tag(s, j);
    if (steps.empty()) got = label(t);
    INFO("story_order.tsv:" << row.line << ": " << s << " -> " << got);
    CHECK(got == row.fields[1]);
    if (steps.empty()) {
      ++whole;
      continue;
    }
    ++split;
    // The sentence takes its last step's stage; every step is a piece of the
    // sentence, and together they cover all its words once.
    CHECK(t.stage == steps.back().tags.stage);
    std::size_t words = 0;
    for (const auto& c : steps) {
      REQUIRE(c.start < c.end);
      REQUIRE(c.end <= s.size());
      for (std::size_t i = c.first_token; i < c.end_token; ++i) words += tokens[i].kind != TokenKind::punct;
      CHECK(s.substr(c.start, c.end - c.start).find(tokens[c.end_token - 1].text) != std::string::npos);
    }
    std::size_t all = 0;
    for (const auto& tok : tokens) all += tok.kind != TokenKind::punct;
    CHECK(words == all);
    if (steps.front().start > steps.back().start) ++reversed;
  }
  CHECK(split >= 15);
  CHECK(reversed >= 6);
  CHECK(whole >= 10);
}

TEST_CASE("story order: the clause texts of a reversed sentence", "[unit][journey]") {
  const auto& j = test::resources().journey;
  std::string s = "Before calling I had searched the help pages.";
  auto steps = story_steps(tokenize(s), j);
  REQUIRE(steps.size() == 2);
  CHECK(s.substr(steps[0].start, steps[0].end - steps[0].start) == "I had searched the help pages.");
  CHECK(steps[0].tags.stage == "self_service");
  CHECK(s.substr(steps[1].start, steps[1].end - steps[1].start) == "Before calling");
  CHECK(steps[1].tags.stage == "contact");
  CHECK(tag(s, j).stage == "contact");
  // "only" goes with the cue it qualifies.
  std::string r = "It was refunded, but only after I chased it.";
  auto rs = story_steps(tokenize(r), j);
  REQUIRE(rs.size() == 2);
  CHECK(r.substr(rs[0].start, rs[0].end - rs[0].start) == "but only after I chased it.");
  CHECK(r.substr(rs[1].start, rs[1].end - rs[1].start) == "It was refunded,");
  // classify_clauses keeps returning the whole sentence when it is one step.
  std::string one = "I called and then called again.";
  auto c = classify_clauses(tokenize(one), one, j);
  REQUIRE(c.size() == 1);
  CHECK(c[0].start == 0);
  CHECK(c[0].end == one.size());
}

TEST_CASE("story order in the pipeline: one event per step, in story order", "[unit][journey][pipeline]") {
  Pipeline p(test::resources_ptr());
  RawFeedback raw;
  raw.source = "mail";
  raw.external_id = "story-1";
  raw.turns.push_back({Speaker::customer, "",
                       "My router stopped working. I rang the helpline after I had read every help article. "
                       "I was on hold for 45 minutes, then the agent transferred me twice."});
  auto fb = p.analyze(raw);
  std::vector<std::string> stages;
  for (const auto& e : fb.events) stages.push_back(e.stage);
  CHECK(stages == std::vector<std::string>{"aware", "self_service", "contact", "contact", "engage"});
  REQUIRE(fb.events.size() == 5);
  for (std::size_t i = 0; i < fb.events.size(); ++i) {
    const Event& e = fb.events[i];
    CHECK(e.ordinal == static_cast<int>(i));
    REQUIRE(e.end <= fb.text.size());
    CHECK(fb.text.substr(e.start, e.end - e.start) == e.sentence);
  }
  CHECK(fb.events[1].sentence == "after I had read every help article.");
  CHECK(fb.events[2].sentence == "I rang the helpline");
  CHECK(fb.events[1].start > fb.events[2].start);  // told second, happened first
  // Pain points stay with the clause that holds them.
  auto kinds = [](const Event& e) {
    std::vector<std::string> k;
    for (const auto& pp : e.pains) k.push_back(pp.kind);
    return k;
  };
  CHECK(kinds(fb.events[3]) == std::vector<std::string>{"long_wait"});
  CHECK(kinds(fb.events[4]) == std::vector<std::string>{"transfer"});

  // The text as a whole reads as before: its stage is the last step of the
  // most salient sentence, and its sentiment is per sentence.
  auto whole = p.tag_text("I first tried the FAQ, then called.");
  REQUIRE(whole.events.size() == 2);
  CHECK(whole.events[0].stage == "self_service");
  CHECK(whole.events[1].stage == "contact");
  CHECK(whole.stage == "contact");
  CHECK(whole.touchpoint == "phone");
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
