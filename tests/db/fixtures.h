// Test fixtures for the db, search and report tests: temporary data dirs and
// hand-built feedback, so these modules are tested without the taggers.
#pragma once

#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "db/index.h"
#include "db/store.h"
#include "pipeline/record.h"

namespace cxmap::testing {

// A fresh directory under the system temp dir, removed at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cxmap-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct EventSpec {
  std::string sentence;
  std::string stage;
  std::string touchpoint;
  std::string emotion;
  double compound;
  Speaker speaker = Speaker::customer;
  std::vector<PainPoint> pains = {};
};

inline AnalyzedFeedback make_feedback(const std::string& source, const std::string& external_id,
                                      const std::string& channel, const std::string& customer,
                                      const std::string& date, const std::vector<EventSpec>& events,
                                      std::optional<int> nps = std::nullopt) {
  AnalyzedFeedback fb;
  fb.raw.source = source;
  fb.raw.external_id = external_id;
  fb.raw.channel = channel;
  fb.raw.customer_key = customer;
  fb.raw.received_at = date;
  fb.raw.nps = nps;
  fb.id = feedback_id(source, external_id);
  fb.language = "en";
  int ordinal = 0;
  for (const EventSpec& s : events) {
    Event e;
    e.ordinal = ordinal++;
    e.speaker = s.speaker;
    e.start = fb.text.size();
    fb.text += s.sentence;
    e.end = fb.text.size();
    fb.text += '\n';
    e.sentence = s.sentence;
    e.stage = s.stage;
    e.touchpoint = s.touchpoint;
    e.emotion = s.emotion;
    e.sentiment.compound = s.compound;
    e.pains = s.pains;
    if (s.emotion != "neutral") e.emotions = {{s.emotion, 1.0}};
    fb.events.push_back(e);
  }
  return fb;
}

// Writes the feedback in one batch and brings the index up to date.
inline void store_all(Store& store, const std::vector<AnalyzedFeedback>& all) {
  auto run = store.begin_run("test");
  REQUIRE(run);
  REQUIRE(store.begin());
  for (const auto& fb : all) REQUIRE(store.insert_feedback(fb, *run));
  REQUIRE(store.commit());
  auto index = Index::open_writable(store.data_dir());
  REQUIRE(index);
  REQUIRE(sync_index(store, *index));
}

// A small journey: a password-reset dead end, a long hold, a quick fix and
// an advocate, by three customers over email, chat and survey.
inline std::vector<AnalyzedFeedback> sample_feedback() {
  return {
      make_feedback("mail", "m1@example", "email", "maria@example.com", "2026-09-03T10:00:00Z",
                    {{"I could not log in to the app.", "aware", "app", "frustrated", -0.4},
                     {"I followed the password reset steps in the help article three times.", "self_service",
                      "website", "frustrated", -0.5, Speaker::customer, {{"dead_end", 0, ""}}},
                     {"Then I called and waited on hold for 45 minutes.", "contact", "phone", "impatient", -0.6,
                      Speaker::customer, {{"long_wait", 45, "min"}}},
                     {"The agent reset my password within minutes.", "resolution", "phone", "relieved", 0.5}}),
      make_feedback("chat", "c1", "chat", "maria@example.com", "2026-09-04T09:00:00Z",
                    {{"Hello, I can help you reset your password.", "engage", "chat", "neutral", 0.4,
                      Speaker::agent},
                     {"The reset password link is still broken.", "self_service", "website", "angry", -0.7}}),
      make_feedback("survey", "R_1", "survey", "james@example.org", "2026-10-01T08:00:00Z",
                    {{"Refund came through quickly, thank you.", "resolution", "billing", "grateful", 0.8},
                     {"I have recommended you to my sister.", "follow_up", "none", "delighted", 0.6}},
                    10),
      make_feedback("survey", "R_2", "survey", "li@example.net", "2026-10-15T08:00:00Z",
                    {{"Charged twice and nobody fixes it.", "resolution", "billing", "angry", -0.8},
                     {"I am cancelling my contract.", "follow_up", "none", "angry", -0.3}},
                    1),
  };
}

}  // namespace cxmap::testing
