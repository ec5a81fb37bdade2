// Journey classification: cue index lookup per sentence word, then scoring.
#include "pipeline/journey.h"

#include <re2/re2.h>

#include <algorithm>
#include <set>

#include "pipeline/lexicon.h"

namespace cxmap {

struct CompiledCue {
  std::string text;
  std::vector<std::string> folded, stems;
  bool exact = false;
  double weight = 1;
};

struct CompiledLabel {
  std::vector<CompiledCue> cues;
  std::vector<std::pair<std::unique_ptr<RE2>, PatternDef>> patterns;
};

struct CueRef {
  std::size_t label, cue;
};

struct LabelSet {
  std::vector<CompiledLabel> labels;
  StringMap<std::vector<CueRef>> by_first_folded, by_first_stem;
};

struct JourneyMatcher {
  LabelSet stages, touchpoints;
};

std::vector<std::string> JourneyDefinition::stage_names() const {
  std::vector<std::string> n;
  for (const auto& s : stages) n.push_back(s.name);
  return n;
}

std::vector<std::string> JourneyDefinition::touchpoint_names() const {
  std::vector<std::string> n;
  for (const auto& s : touchpoints) n.push_back(s.name);
  return n;
}

namespace {

Status compile_set(const std::vector<LabelDef>& defs, const char* what, LabelSet& out) {
  std::set<std::string> seen;
  for (std::size_t li = 0; li < defs.size(); ++li) {
    const LabelDef& d = defs[li];
    if (d.name.empty()) return make_error(ErrorKind::config, std::string(what) + " #" + std::to_string(li + 1) + " has no name");
    if (d.name == "none") return make_error(ErrorKind::config, std::string(what) + " name 'none' is reserved");
    if (!seen.insert(d.name).second) return make_error(ErrorKind::config, std::string(what) + " '" + d.name + "' is defined twice");
    CompiledLabel cl;
    for (const CueDef& c : d.cues) {
      if (!(c.weight > 0)) return make_error(ErrorKind::config, std::string(what) + " '" + d.name + "': cue '" + c.text + "' needs a weight > 0");
      CompiledCue cc;
      cc.text = c.text;
      cc.weight = c.weight;
      std::string_view t = c.text;
      if (!t.empty() && t.front() == '=') {
        cc.exact = true;
        t.remove_prefix(1);
      }
      for (const Token& tok : tokenize(t)) {
        if (tok.kind == TokenKind::punct) continue;
        cc.folded.push_back(tok.folded);
        cc.stems.push_back(tok.stem);
      }
      if (cc.folded.empty()) return make_error(ErrorKind::config, std::string(what) + " '" + d.name + "': cue '" + c.text + "' has no words");
      std::size_t ci = cl.cues.size();
      if (cc.exact) out.by_first_folded[cc.folded[0]].push_back({li, ci});
      else out.by_first_stem[cc.stems[0]].push_back({li, ci});
      cl.cues.push_back(std::move(cc));
    }
    for (const PatternDef& p : d.patterns) {
      RE2::Options o;
      o.set_log_errors(false);
      auto re = std::make_unique<RE2>(p.regex, o);
      if (!re->ok())
        return make_error(ErrorKind::config, std::string(what) + " '" + d.name + "': bad pattern '" + p.regex + "': " + re->error());
      if (!(p.weight > 0)) return make_error(ErrorKind::config, std::string(what) + " '" + d.name + "': pattern '" + p.regex + "' needs a weight > 0");
      cl.patterns.emplace_back(std::move(re), p);
    }
    out.labels.push_back(std::move(cl));
  }
  return ok_status();
}

struct Best {
  std::size_t label = SIZE_MAX;
  double score = 0;
  std::string cue;
};

Best score_set(const LabelSet& set, const std::vector<LabelDef>& defs, const std::vector<const Token*>& w,
               std::string_view folded) {
  const std::size_t n = set.labels.size();
  struct Match {
    std::size_t label, start, len;
    double weight;
    const std::string* text;
  };
  std::vector<Match> matches;
  auto try_cue = [&](const CueRef& r, std::size_t k) {
    const CompiledCue& c = set.labels[r.label].cues[r.cue];
    if (k + c.folded.size() > w.size()) return;
    for (std::size_t m = 0; m < c.folded.size(); ++m) {
      const Token& t = *w[k + m];
      if (t.folded != c.folded[m] && (c.exact || t.stem != c.stems[m])) return;
    }
    matches.push_back({r.label, k, c.folded.size(), c.weight, &c.text});
  };
  for (std::size_t k = 0; k < w.size(); ++k) {
    if (auto it = set.by_first_folded.find(w[k]->folded); it != set.by_first_folded.end())
      for (const CueRef& r : it->second) try_cue(r, k);
    if (auto it = set.by_first_stem.find(w[k]->stem); it != set.by_first_stem.end())
      for (const CueRef& r : it->second) try_cue(r, k);
  }
  // Within a label, overlapping matches count once: longer cues first, then
  // heavier ("thank you" does not also count "thank").
  std::stable_sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    return a.len != b.len ? a.len > b.len : a.weight > b.weight;
  });
  std::vector<double> best(n, 0), sum(n, 0);
  std::vector<std::string> best_cue(n);
  std::vector<char> covered(matches.size() > 1 ? n * w.size() : 0, 0);
  auto credit = [&](std::size_t li, double weight, const std::string& text) {
    sum[li] += weight;
    if (weight > best[li]) {
      best[li] = weight;
      best_cue[li] = text;
    }
  };
  for (const Match& m : matches) {
    if (covered.empty()) {
      credit(m.label, m.weight, *m.text);
      continue;
    }
    char* cov = covered.data() + m.label * w.size();
    bool overlap = false;
    for (std::size_t i = m.start; i < m.start + m.len; ++i) overlap |= cov[i] != 0;
    if (overlap) continue;
    for (std::size_t i = m.start; i < m.start + m.len; ++i) cov[i] = 1;
    credit(m.label, m.weight, *m.text);
  }
  for (std::size_t li = 0; li < n; ++li)
    for (const auto& [re, def] : set.labels[li].patterns)
      if (RE2::PartialMatch(folded, *re)) credit(li, def.weight, "/" + def.regex + "/");

  Best b;
  for (std::size_t li = 0; li < n; ++li) {
    if (best[li] <= 0) continue;
    double s = best[li] + 0.2 * (sum[li] - best[li]);
    bool better = s > b.score + 1e-9 ||
                  (std::abs(s - b.score) <= 1e-9 && b.label != SIZE_MAX && defs[li].priority > defs[b.label].priority);
    if (better) {
      b.label = li;
      b.score = s;
      b.cue = best_cue[li];
    }
  }
  if (b.score < 0.5) b.label = SIZE_MAX;
  return b;
}

}  // namespace

Result<JourneyDefinition> compile_journey(JourneyDefinition def) {
  if (def.stages.empty()) return make_error(ErrorKind::config, "journey definition has no stages");
  auto m = std::make_shared<JourneyMatcher>();
  if (auto s = compile_set(def.stages, "stage", m->stages); !s) return s.error();
  if (auto s = compile_set(def.touchpoints, "touchpoint", m->touchpoints); !s) return s.error();
  if (def.links.dead_end_days < 0 || def.links.repeat_contact_days < 0)
    return make_error(ErrorKind::config, "links: day counts must be >= 0");
  auto topics = TopicMatcher::compile(def.topics.empty() ? default_topics() : def.topics);
  if (!topics) return topics.error();
  def.matcher = std::move(m);
  def.topic_matcher = std::make_shared<const TopicMatcher>(std::move(topics).value());
  return def;
}

namespace {

JourneyTags classify_whole(const std::vector<Token>& tokens, std::size_t first, std::size_t end, std::string_view folded,
                           const JourneyDefinition& def) {
  JourneyTags tags;
  if (!def.matcher) return tags;
  std::vector<const Token*> w;
  w.reserve(end - first);
  for (std::size_t i = first; i < end; ++i)
    if (tokens[i].kind != TokenKind::punct) w.push_back(&tokens[i]);
  Best s = score_set(def.matcher->stages, def.stages, w, folded);
  if (s.label != SIZE_MAX) {
    tags.stage = def.stages[s.label].name;
    tags.stage_cue = s.cue;
    tags.stage_score = s.score;
  }
  Best t = score_set(def.matcher->touchpoints, def.touchpoints, w, folded);
  if (t.label != SIZE_MAX) {
    tags.touchpoint = def.touchpoints[t.label].name;
    tags.touchpoint_cue = t.cue;
    tags.touchpoint_score = t.score;
  }
  return tags;
}

// The folded text of tokens [first, end), words joined by single spaces: what
// the RE2 patterns see for a clause.
std::string folded_span(const std::vector<Token>& tokens, std::size_t first, std::size_t end) {
  std::string out;
  for (std::size_t i = first; i < end; ++i) {
    if (!out.empty() && tokens[i].kind != TokenKind::punct) out += ' ';
    out += tokens[i].folded;
  }
  return out;
}

// Token indexes where a new step of the story may start.
std::vector<std::size_t> clause_starts(const std::vector<Token>& t) {
  std::vector<std::size_t> starts;
  auto word = [&](std::size_t i) -> std::string_view {
    return i < t.size() && t[i].kind != TokenKind::punct ? std::string_view(t[i].folded) : std::string_view();
  };
  auto after_break = [&](std::size_t i) {  // at a comma/semicolon/dash or after "and"
    if (i == 0) return false;
    const Token& p = t[i - 1];
    return p.kind == TokenKind::punct ? (p.folded == "," || p.folded == ";" || p.folded == "-" || p.folded == "–")
                                      : p.folded == "and";
  };
  for (std::size_t i = 1; i < t.size(); ++i) {
    std::string_view w = word(i);
    if (w.empty()) continue;
    std::size_t at = SIZE_MAX;
    if (w == "then") {
      std::string_view prev = i > 0 ? std::string_view(t[i - 1].folded) : std::string_view();
      if (prev != "since" && prev != "by" && prev != "until" && prev != "till" && prev != "from" && prev != "back" &&
          prev != "only" && prev != "just" && prev != "even")
        at = (prev == "and") ? i - 1 : i;
    } else if ((w == "after" && word(i + 1) == "that") || w == "afterwards" || w == "afterward") {
      if (after_break(i)) at = word(i - 1) == "and" ? i - 1 : i;
    } else if (w == "so" && (word(i + 1) == "i" || word(i + 1) == "we")) {
      at = word(i - 1) == "and" ? i - 1 : i;
    } else if ((w == "in" && word(i + 1) == "the" && word(i + 2) == "end") || w == "eventually") {
      if (after_break(i)) at = word(i - 1) == "and" ? i - 1 : i;
    }
    if (at != SIZE_MAX && at > 0 && (starts.empty() || starts.back() < at)) starts.push_back(at);
  }
  return starts;
}

}  // namespace

std::vector<ClauseTags> classify_clauses(const std::vector<Token>& tokens, std::string_view sentence,
                                         const JourneyDefinition& def) {
  auto whole = [&] {
    ClauseTags c;
    c.first_token = 0;
    c.end_token = tokens.size();
    c.start = 0;
    c.end = sentence.size();
    c.tags = classify_whole(tokens, 0, tokens.size(), folded_span(tokens, 0, tokens.size()), def);
    return std::vector<ClauseTags>{c};
  };
  std::vector<std::size_t> starts = clause_starts(tokens);
  if (starts.empty()) return whole();
  std::vector<ClauseTags> parts;
  std::size_t from = 0;
  starts.push_back(tokens.size());
  for (std::size_t at : starts) {
    ClauseTags c;
    c.first_token = from;
    c.end_token = at;
    c.tags = classify_whole(tokens, from, at, folded_span(tokens, from, at), def);
    parts.push_back(std::move(c));
    from = at;
  }
  // A part without its own stage cue belongs to the step before it (the
  // first one to the step after it); neighbours with one stage are one step.
  std::vector<ClauseTags> merged;
  for (ClauseTags& c : parts) {
    if (!merged.empty() && (c.tags.stage == "none" || c.tags.stage == merged.back().tags.stage)) {
      merged.back().end_token = c.end_token;
      continue;
    }
    if (merged.size() == 1 && merged.back().tags.stage == "none") {
      c.first_token = merged.back().first_token;
      merged.back() = std::move(c);
      continue;
    }
    merged.push_back(std::move(c));
  }
  if (merged.size() < 2) return whole();
  for (ClauseTags& c : merged) {
    c.tags = classify_whole(tokens, c.first_token, c.end_token, folded_span(tokens, c.first_token, c.end_token), def);
    std::size_t first = c.first_token, last = c.end_token;
    while (first < last && tokens[first].kind == TokenKind::punct) ++first;
    c.start = first < last ? tokens[first].start : tokens[c.first_token].start;
    c.end = last > c.first_token ? tokens[last - 1].end : c.start;
  }
  return merged;
}

JourneyTags classify(const std::vector<Token>& tokens, std::string_view folded, const JourneyDefinition& def) {
  JourneyTags tags = classify_whole(tokens, 0, tokens.size(), folded, def);
  if (clause_starts(tokens).empty()) return tags;
  std::vector<ClauseTags> clauses = classify_clauses(tokens, folded, def);
  if (clauses.size() < 2) return tags;
  const JourneyTags& last = clauses.back().tags;
  tags.stage = last.stage;
  tags.stage_cue = last.stage_cue;
  tags.stage_score = last.stage_score;
  if (last.touchpoint != "none") {
    tags.touchpoint = last.touchpoint;
    tags.touchpoint_cue = last.touchpoint_cue;
    tags.touchpoint_score = last.touchpoint_score;
  }
  return tags;
}

}  // namespace cxmap
