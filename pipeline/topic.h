// Topics: what a piece of feedback is about (password and login, billing,
// delivery, roaming, ...), so that contacts of one customer about the same
// thing can be linked across channels (db/journey_links.h).
//
// A topic is a name and a list of cues: words or phrases matched on folded,
// Snowball-stemmed tokens, like the journey cues (a leading '=' matches the
// exact word only). The default table is default_topics(); journey.json may
// replace it with a "topics" section. Pure: text in, names out; no I/O.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pipeline/flat_map.h"
#include "pipeline/result.h"
#include "pipeline/segment.h"

namespace cxmap {

struct TopicDef {
  std::string name;
  std::vector<std::string> cues;
};

// password/login, billing, delivery, roaming, contract, app crash, network,
// number port, website, plan change, store visit.
const std::vector<TopicDef>& default_topics();

class TopicMatcher {
 public:
  // Errors (ErrorKind::config) name the topic: no name, duplicate, empty cue.
  static Result<TopicMatcher> compile(const std::vector<TopicDef>& topics);

  // Adds, per topic (in definition order), the number of cue matches in one
  // sentence's tokens to hits (resized to the number of topics).
  void count(const std::vector<Token>& tokens, std::vector<int>& hits) const;

  // The topics of a text given as hit counts: every topic with at least half
  // the hits of the strongest one (and at least one), strongest first; ties
  // keep definition order. Empty when nothing matched.
  std::vector<std::string> top(const std::vector<int>& hits) const;

  std::size_t size() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }

 private:
  struct Cue {
    std::vector<std::string> folded, stems;
    bool exact = false;
  };
  struct CueRef {
    std::uint32_t topic, cue;
  };
  // Where a match of `c` starting at w[k] is found; one comparison per cue word.
  static bool matches_at(const Cue& c, const std::vector<const Token*>& w, std::size_t k);

  std::vector<std::string> names_;
  std::vector<std::vector<Cue>> cues_;  // per topic
  // Cues by their first word's folded form, and (inexact cues only) by its
  // stem: count() looks up each token instead of trying every cue at every
  // token, which made the journey-link pass of an ingest slow.
  FlatMap<std::vector<CueRef>> by_folded_, by_stem_;
};

// Convenience for one piece of text (a subject line plus sentences).
std::vector<std::string> topics_of(const std::vector<std::vector<Token>>& sentences, const TopicMatcher& m);

}  // namespace cxmap
