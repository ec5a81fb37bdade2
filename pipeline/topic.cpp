// Topic matching: each cue is a short token sequence compared by folded form
// or stem, scanned left to right over every sentence; counts decide.
#include "pipeline/topic.h"

#include <algorithm>
#include <numeric>
#include <set>

namespace cxmap {

const std::vector<TopicDef>& default_topics() {
  static const std::vector<TopicDef> topics = {
      {"account_access",
       {"password", "log in", "login", "logon", "sign in", "signin", "locked out", "lock out", "two-factor",
        "verification code", "one-time code", "username", "account access", "reset link", "pin"}},
      {"billing",
       {"bill", "billing", "charge", "charged", "overcharged", "refund", "invoice", "payment", "direct debit",
        "fee", "late fee", "price rise", "price increase", "statement", "credit", "debit"}},
      {"delivery",
       {"delivery", "deliver", "parcel", "courier", "package", "sim card", "new sim", "handset", "tracking",
        "dispatch", "arrive", "shipping"}},
      {"roaming", {"roaming", "abroad", "travel pass", "roaming pass", "overseas", "holiday"}},
      {"contract",
       {"contract", "cancel", "cancellation", "upgrade", "renewal", "early termination", "notice period",
        "plan", "tariff", "family line"}},
      {"app_crash", {"app crash", "crash", "crashes", "crashing", "freezes", "frozen", "error message", "blank screen"}},
      {"network",
       {"signal", "coverage", "network", "no service", "dropped calls", "mobile data", "data speed", "4g", "5g",
        "outage", "broadband", "wifi"}},
      {"number_port", {"port my number", "number transfer", "pac code", "pac", "porting", "keep my number"}},
      {"website", {"website", "contact form", "broken link", "404", "error 500", "web page", "checkout"}},
      {"esim", {"esim", "e-sim", "qr code"}},
  };
  return topics;
}

Result<TopicMatcher> TopicMatcher::compile(const std::vector<TopicDef>& topics) {
  TopicMatcher m;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < topics.size(); ++i) {
    const TopicDef& t = topics[i];
    if (t.name.empty()) return make_error(ErrorKind::config, "topic #" + std::to_string(i + 1) + " has no name");
    if (!seen.insert(t.name).second) return make_error(ErrorKind::config, "topic '" + t.name + "' is defined twice");
    if (t.cues.empty()) return make_error(ErrorKind::config, "topic '" + t.name + "' has no cues");
    std::vector<Cue> cues;
    for (const std::string& text : t.cues) {
      Cue c;
      std::string_view v = text;
      if (!v.empty() && v.front() == '=') {
        c.exact = true;
        v.remove_prefix(1);
      }
      for (const Token& tok : tokenize(v)) {
        if (tok.kind == TokenKind::punct) continue;
        c.folded.push_back(tok.folded);
        c.stems.push_back(tok.stem);
      }
      if (c.folded.empty()) return make_error(ErrorKind::config, "topic '" + t.name + "': cue '" + text + "' has no words");
      cues.push_back(std::move(c));
    }
    const auto topic = static_cast<std::uint32_t>(m.names_.size());
    for (std::size_t k = 0; k < cues.size(); ++k) {
      const CueRef ref{topic, static_cast<std::uint32_t>(k)};
      m.by_folded_[cues[k].folded.front()].push_back(ref);
      if (!cues[k].exact) m.by_stem_[cues[k].stems.front()].push_back(ref);
    }
    m.names_.push_back(t.name);
    m.cues_.push_back(std::move(cues));
  }
  return m;
}

bool TopicMatcher::matches_at(const Cue& c, const std::vector<const Token*>& w, std::size_t k) {
  if (k + c.folded.size() > w.size()) return false;
  for (std::size_t m = 0; m < c.folded.size(); ++m) {
    const Token& t = *w[k + m];
    if (t.folded != c.folded[m] && (c.exact || t.stem != c.stems[m])) return false;
  }
  return true;
}

void TopicMatcher::count(const std::vector<Token>& tokens, std::vector<int>& hits) const {
  hits.resize(names_.size(), 0);
  std::vector<const Token*> w;
  for (const Token& t : tokens)
    if (t.kind != TokenKind::punct) w.push_back(&t);
  for (std::size_t k = 0; k < w.size(); ++k) {
    const Token& t = *w[k];
    if (const auto* refs = by_folded_.find(t.folded))
      for (const CueRef& r : *refs)
        if (matches_at(cues_[r.topic][r.cue], w, k)) ++hits[r.topic];
    if (const auto* refs = by_stem_.find(t.stem))
      for (const CueRef& r : *refs) {
        const Cue& c = cues_[r.topic][r.cue];
        // Found through the folded index already.
        if (c.folded.front() == t.folded) continue;
        if (matches_at(c, w, k)) ++hits[r.topic];
      }
  }
}

std::vector<std::string> TopicMatcher::top(const std::vector<int>& hits) const {
  std::vector<std::string> out;
  if (hits.empty()) return out;
  const int best = *std::max_element(hits.begin(), hits.end());
  if (best <= 0) return out;
  std::vector<std::size_t> order(hits.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return hits[a] > hits[b]; });
  for (std::size_t i : order)
    if (hits[i] > 0 && 2 * hits[i] >= best) out.push_back(names_[i]);
  return out;
}

std::vector<std::string> topics_of(const std::vector<std::vector<Token>>& sentences, const TopicMatcher& m) {
  std::vector<int> hits(m.size(), 0);
  for (const auto& s : sentences) m.count(s, hits);
  return m.top(hits);
}

}  // namespace cxmap
