// A Xapian stemmer that remembers its answers (see cached_stem.h).
#include "db/cached_stem.h"

namespace cxmap {

namespace {
// About 4 MB of words and stems: far more than feedback's working
// vocabulary, small beside Xapian's own buffers.
constexpr std::size_t kMaxCached = 50000;
}  // namespace

std::string CachedStem::operator()(const std::string& word) {
  if (const std::string* known = cache_.find(word)) return *known;
  if (cache_.size() >= kMaxCached) cache_.clear();
  std::string stemmed = stem_(word);
  cache_[word] = stemmed;
  return stemmed;
}

}  // namespace cxmap
