// Focus: pain points, especially wait durations in minutes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>

#include "pipeline/normalize.h"
#include "pipeline/pain_points.h"
#include "test_support.h"

using namespace cxmap;

namespace {
std::vector<PainPoint> pains(const std::string& s) { return detect_pain_points(tokenize(s), fold_case(s)); }
// By value: callers pass temporaries, and a pointer into one would dangle
// (the sanitizer build caught exactly that).
std::optional<PainPoint> find(const std::vector<PainPoint>& p, const std::string& kind) {
  auto it = std::find_if(p.begin(), p.end(), [&](const PainPoint& x) { return x.kind == kind; });
  if (it == p.end()) return std::nullopt;
  return *it;
}
}  // namespace

TEST_CASE("long_wait minutes table", "[unit][pain]") {
  for (const auto& row : test::read_table("waits.tsv")) {
    REQUIRE(row.fields.size() == 2);
    INFO("waits.tsv:" << row.line << ": " << row.fields[0]);
    double expected = std::stod(row.fields[1]);
    auto p = pains(row.fields[0]);
    auto w = find(p, "long_wait");
    if (expected == 0) {
      CHECK_FALSE(w);
    } else {
      REQUIRE(w);
      CHECK(w->value == Approx(expected));
      CHECK(w->unit == "min");
    }
  }
}

TEST_CASE("long_wait only for a duration in a waiting context", "[unit][pain]") {
  // Positives keep their minutes; a holiday, a trial, a product's lifetime or
  // a late delivery is not a wait (tests/data/unit/wait_contexts.tsv).
  int waits = 0, not_waits = 0;
  for (const auto& row : test::read_table("wait_contexts.tsv")) {
    REQUIRE(row.fields.size() >= 2);
    INFO("wait_contexts.tsv:" << row.line << ": " << row.fields[0]);
    const std::string date = row.fields.size() > 2 ? row.fields[2] : std::string();
    double expected = std::stod(row.fields[1]);
    auto w = find(detect_pain_points(tokenize(row.fields[0]), fold_case(row.fields[0]), date), "long_wait");
    if (expected == 0) {
      CHECK_FALSE(w);
      ++not_waits;
    } else {
      REQUIRE(w);
      CHECK(w->value == Approx(expected));
      ++waits;
    }
  }
  CHECK(waits >= 20);
  CHECK(not_waits >= 20);
}

TEST_CASE("find_wait, which also sets the CX wait valence, skips the durations of other things",
          "[unit][pain]") {
  // find_wait also feeds the CX valence of a wait (pipeline/sentiment.cpp):
  // a trip must not read as a 20160-minute wait.
  CHECK_FALSE(find_wait(tokenize("We spent two weeks in France.")));
  auto w = find_wait(tokenize("We spent two weeks waiting for a reply."));
  REQUIRE(w);
  CHECK(w->minutes == Approx(20160));
}

TEST_CASE("transfer counts", "[unit][pain]") {
  auto a = find(pains("I was transferred three times."), "transfer");
  REQUIRE(a);
  CHECK(a->value == 3);
  auto b = find(pains("I got passed between four agents."), "transfer");
  REQUIRE(b);
  CHECK(b->value == 4);
  auto c = find(pains("They transferred me to billing."), "transfer");
  REQUIRE(c);
  CHECK(c->value == 1);
  CHECK_FALSE(find(pains("The agent was lovely."), "transfer"));
}

TEST_CASE("repeat_explanation", "[unit][pain]") {
  CHECK(find(pains("I had to explain everything again."), "repeat_explanation"));
  CHECK(find(pains("Each time I had to repeat my account number."), "repeat_explanation"));
  CHECK(find(pains("I had to explain the issue to every new agent."), "repeat_explanation"));
  CHECK(find(pains("We had to start from scratch."), "repeat_explanation"));
  CHECK_FALSE(find(pains("The agent explained the fees clearly."), "repeat_explanation"));
}

TEST_CASE("dead_end", "[unit][pain]") {
  CHECK(find(pains("The help article did not help."), "dead_end"));
  CHECK(find(pains("The FAQ didn't answer my question."), "dead_end"));
  CHECK(find(pains("I couldn't find the cancel button anywhere."), "dead_end"));
  CHECK(find(pains("The chatbot went round in circles."), "dead_end"));
  CHECK(find(pains("There was no option for my problem."), "dead_end"));
  CHECK_FALSE(find(pains("The FAQ answered my question."), "dead_end"));
}

TEST_CASE("no_response and churn_risk", "[unit][pain]") {
  CHECK(find(pains("No one called back."), "no_response"));
  CHECK(find(pains("I never heard back from them."), "no_response"));
  CHECK(find(pains("I am going to cancel my account."), "churn_risk"));
  CHECK(find(pains("I'm switching to another provider."), "churn_risk"));
  CHECK_FALSE(find(pains("Thanks for sorting it out."), "churn_risk"));
}

TEST_CASE("a money or number transfer is not a transfer pain", "[unit][pain]") {
  CHECK_FALSE(find(pains("I transferred money to my savings account."), "transfer"));
  CHECK_FALSE(find(pains("The bank transfer was reversed."), "transfer"));
  CHECK_FALSE(find(pains("The number transfer went through."), "transfer"));
  CHECK_FALSE(find(pains("The money was transferred back to my account."), "transfer"));
  CHECK(find(pains("I was transferred to another department."), "transfer"));
  CHECK(find(pains("I got transferred twice."), "transfer"));
}

TEST_CASE("broken_flow, escalation and repeat_contact", "[unit][pain]") {
  CHECK(find(pains("The reset link took me back to the login page."), "broken_flow"));
  CHECK(find(pains("The contact form gave me an error 500."), "broken_flow"));
  CHECK(find(pains("The app keeps crashing when I pay."), "broken_flow"));
  CHECK(find(pains("The help link was a dead link."), "broken_flow"));
  CHECK_FALSE(find(pains("There is an error on my bill."), "broken_flow"));
  CHECK(find(pains("I asked to speak to a manager."), "escalation"));
  CHECK(find(pains("I want to escalate this."), "escalation"));
  CHECK(find(pains("I am making a formal complaint."), "escalation"));
  CHECK_FALSE(find(pains("The manager was lovely."), "escalation"));
  CHECK(find(pains("I've called three times about this."), "repeat_contact"));
  CHECK(find(pains("This is the third time I've contacted you."), "repeat_contact"));
  CHECK_FALSE(find(pains("I called once and it was fixed."), "repeat_contact"));
}

TEST_CASE("since a weekday counts days before the reference date", "[unit][pain]") {
  auto with_date = [](const std::string& s, const std::string& date) {
    return detect_pain_points(tokenize(s), fold_case(s), date);
  };
  CHECK(weekday_of("2026-09-09T10:00:00Z") == 3);  // a Wednesday
  CHECK(weekday_of("nonsense") == -1);
  // Wednesday 9 September 2026: since Monday = 2 days.
  auto a = find(with_date("I've been waiting for a reply since Monday.", "2026-09-09T10:00:00Z"), "long_wait");
  REQUIRE(a);
  CHECK(a->value == Approx(2 * 1440));
  auto b = find(with_date("Still no answer since last Wednesday.", "2026-09-09"), "long_wait");
  REQUIRE(b);
  CHECK(b->value == Approx(7 * 1440));
  auto c = find(with_date("I've been waiting since yesterday.", "2026-09-09"), "long_wait");
  REQUIRE(c);
  CHECK(c->value == Approx(1440));
  CHECK_FALSE(find(pains("I've been waiting for a reply since Monday."), "long_wait"));  // no reference date
  CHECK_FALSE(find(with_date("I have had the phone since Monday.", "2026-09-09"), "long_wait"));
}
