// A Xapian stemmer that remembers its answers.
//
// The index's TermGenerator stems every word of every sentence it indexes,
// and Xapian's Snowball stemmer keeps no memory between calls, so a word
// seen a million times is stemmed a million times (3% of an ingest's CPU in
// `perf`). Feedback repeats a small vocabulary, so this wraps Xapian's own
// English stemmer (the query parser keeps the plain one: the stems are the
// same) and answers repeats from a map, cleared when it grows large so
// memory stays bounded. One instance per TermGenerator; like the
// TermGenerator and the WritableDatabase it feeds, it is not for concurrent
// use.
#pragma once

#include <xapian.h>

#include <string>

#include "pipeline/flat_map.h"

namespace cxmap {

class CachedStem : public Xapian::StemImplementation {
 public:
  explicit CachedStem(const std::string& language) : stem_(language) {}

  std::string operator()(const std::string& word) override;
  std::string get_description() const override { return "cached " + stem_.get_description(); }

  // A Xapian::Stem that owns a new CachedStem for the language.
  static Xapian::Stem make(const std::string& language) { return Xapian::Stem(new CachedStem(language)); }

 private:
  Xapian::Stem stem_;
  FlatMap<std::string> cache_;
};

}  // namespace cxmap
