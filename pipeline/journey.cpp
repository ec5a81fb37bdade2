// Journey classification: cue index lookup per sentence word, then scoring.
#include "pipeline/journey.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>

#include "pipeline/flat_map.h"
#include "pipeline/lexicon.h"
#include "pipeline/pattern_bank.h"

namespace cxmap {

struct CompiledCue {
  std::string text;
  std::vector<std::string> folded, stems;
  // flat_hash of each folded word and stem: a token is compared by hash
  // first, and by text only when the hashes agree.
  std::vector<std::uint64_t> folded_hashes, stem_hashes;
  bool exact = false;
  double weight = 1;
};

struct CompiledLabel {
  std::vector<CompiledCue> cues;
  struct Pattern {
    int bank_index;  // in LabelSet::patterns
    double weight;
    std::string cue;  // "/regex/", the cue a match reports
  };
  std::vector<Pattern> patterns;
};

struct CueRef {
  std::size_t label, cue;
};

struct LabelSet {
  std::vector<CompiledLabel> labels;
  // Cues by their first word (folded for exact cues, else stem): found
  // with the hash tokenize() already computed for each token.
  FlatMap<std::vector<CueRef>> by_first_folded, by_first_stem;
  // Every label's patterns, found in one scan of the clause.
  PatternBank patterns;
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
        cc.folded_hashes.push_back(flat_hash(tok.folded));
        cc.stem_hashes.push_back(flat_hash(tok.stem));
      }
      if (cc.folded.empty()) return make_error(ErrorKind::config, std::string(what) + " '" + d.name + "': cue '" + c.text + "' has no words");
      std::size_t ci = cl.cues.size();
      if (cc.exact) out.by_first_folded[cc.folded[0]].push_back({li, ci});
      else out.by_first_stem[cc.stems[0]].push_back({li, ci});
      cl.cues.push_back(std::move(cc));
    }
    for (const PatternDef& p : d.patterns) {
      std::string error;
      const int index = out.patterns.add(p.regex, &error);
      if (index < 0)
        return make_error(ErrorKind::config, std::string(what) + " '" + d.name + "': bad pattern '" + p.regex + "': " + error);
      if (!(p.weight > 0)) return make_error(ErrorKind::config, std::string(what) + " '" + d.name + "': pattern '" + p.regex + "' needs a weight > 0");
      cl.patterns.push_back({index, p.weight, "/" + p.regex + "/"});
    }
    out.labels.push_back(std::move(cl));
  }
  out.patterns.compile();  // if RE2 cannot build the set, the bank matches pattern by pattern
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
  // Buffers reused across calls (two per clause): no allocation per sentence.
  thread_local std::vector<Match> matches;
  matches.clear();
  auto try_cue = [&](const CueRef& r, std::size_t k) {
    const CompiledCue& c = set.labels[r.label].cues[r.cue];
    if (k + c.folded.size() > w.size()) return;
    for (std::size_t m = 0; m < c.folded.size(); ++m) {
      const Token& t = *w[k + m];
      const bool same_folded = folded_hash_of(t) == c.folded_hashes[m] && t.folded == c.folded[m];
      if (!same_folded && (c.exact || stem_hash_of(t) != c.stem_hashes[m] || t.stem != c.stems[m])) return;
    }
    matches.push_back({r.label, k, c.folded.size(), c.weight, &c.text});
  };
  for (std::size_t k = 0; k < w.size(); ++k) {
    if (const auto* refs = set.by_first_folded.find(w[k]->folded, folded_hash_of(*w[k])))
      for (const CueRef& r : *refs) try_cue(r, k);
    if (const auto* refs = set.by_first_stem.find(w[k]->stem, stem_hash_of(*w[k])))
      for (const CueRef& r : *refs) try_cue(r, k);
  }
  // Within a label, overlapping matches count once: longer cues first, then
  // heavier ("thank you" does not also count "thank").
  // (stable_sort asks for a buffer even for one element)
  if (matches.size() > 1)
    std::stable_sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
      return a.len != b.len ? a.len > b.len : a.weight > b.weight;
    });
  thread_local std::vector<double> best, sum;
  thread_local std::vector<const std::string*> best_cue;
  thread_local std::vector<char> covered;
  best.assign(n, 0);
  sum.assign(n, 0);
  best_cue.assign(n, nullptr);
  covered.assign(matches.size() > 1 ? n * w.size() : 0, 0);
  auto credit = [&](std::size_t li, double weight, const std::string& text) {
    sum[li] += weight;
    if (weight > best[li]) {
      best[li] = weight;
      best_cue[li] = &text;
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
  if (set.patterns.size() > 0) {
    thread_local std::vector<char> hit;
    set.patterns.matches(folded, hit);
    for (std::size_t li = 0; li < n; ++li)
      for (const CompiledLabel::Pattern& p : set.labels[li].patterns)
        if (hit[static_cast<std::size_t>(p.bank_index)]) credit(li, p.weight, p.cue);
  }

  Best b;
  for (std::size_t li = 0; li < n; ++li) {
    if (best[li] <= 0) continue;
    double s = best[li] + 0.2 * (sum[li] - best[li]);
    bool better = s > b.score + 1e-9 ||
                  (std::abs(s - b.score) <= 1e-9 && b.label != SIZE_MAX && defs[li].priority > defs[b.label].priority);
    if (better) {
      b.label = li;
      b.score = s;
      b.cue = *best_cue[li];
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

// Where a new step of the story starts, and whether it happened after the
// text just before it (the usual case: "then", "so I") or before it ("I
// called after trying the FAQ", "before that", a past perfect after a simple
// past).
struct Cut {
  std::size_t at = 0;    // token index
  bool earlier = false;  // the clause starting here happened before the one it follows in the text
};

// A set of words, looked up once per word instead of compared with each
// member (story_cuts() asks these of every word of every sentence).
FlatMap<bool> word_set(std::initializer_list<std::string_view> words) {
  FlatMap<bool> m;
  for (std::string_view w : words) m[w] = true;
  return m;
}

bool is_subject(std::string_view w) {
  static const FlatMap<bool> subjects =
      word_set({"i", "we", "they", "he", "she", "it", "i'd", "we'd", "they'd", "i've", "we've"});
  return subjects.find(w) != nullptr;
}

// "calling", "trying": a gerund opens a clause after "before"/"after".
bool is_gerund(std::string_view w) {
  static const FlatMap<bool> not_verbs = word_set(
      {"nothing", "something", "anything", "everything", "morning", "evening", "during", "thing", "bring", "string"});
  return w.size() >= 5 && w.substr(w.size() - 3) == "ing" && not_verbs.find(w) == nullptr;
}

// A past participle after "had": regular "-ed" or one of the common
// irregular ones a customer uses about what they did.
bool is_participle(std::string_view w) {
  static const FlatMap<bool> irregular =
      word_set({"read", "been", "gone", "done", "seen", "spoken", "written", "sent", "rung", "found", "got", "gotten",
                "made", "paid", "taken", "given", "told", "heard", "left", "bought", "spent", "kept", "tried", "put"});
  return (w.size() > 3 && w.substr(w.size() - 2) == "ed") || irregular.find(w) != nullptr;
}

// A verb in the past: a story being told ("I called after ..."), not advice
// or a plan ("check the FAQ before calling", "before I travel next week").
bool is_past(std::string_view w) {
  static const FlatMap<bool> irregular =
      word_set({"was",  "were", "had",  "did",  "went",  "got",   "gave", "sent", "told",    "spoke", "wrote", "saw",  "came",
                "took", "made", "paid", "left", "found", "rang", "read", "heard", "felt", "kept", "thought", "spent", "bought"});
  if (w.size() > 3 && w.substr(w.size() - 2) == "ed") return w.substr(w.size() - 3) != "eed" || w == "agreed";
  return irregular.find(w) != nullptr;
}

std::vector<Cut> story_cuts(const std::vector<Token>& t) {
  std::vector<Cut> cuts;
  auto word = [&](std::size_t i) -> std::string_view {
    return i < t.size() && t[i].kind != TokenKind::punct ? std::string_view(t[i].folded) : std::string_view();
  };
  auto punct_break = [&](std::size_t i) {  // a comma, semicolon or dash just before token i
    if (i == 0 || t[i - 1].kind != TokenKind::punct) return false;
    const std::string& p = t[i - 1].folded;
    return p == "," || p == ";" || p == "-" || p == "–" || p == "—";
  };
  auto after_break = [&](std::size_t i) {  // at a comma/semicolon/dash or after "and"/"but"
    return punct_break(i) || word(i - 1) == "and" || word(i - 1) == "but";
  };
  // The cut takes a joining "and"/"but" with it, and the words that only
  // qualify the cue: "... and then called", "..., but only after I chased".
  auto joined = [&](std::size_t i) {
    while (i > 0 && (word(i - 1) == "only" || word(i - 1) == "just" || word(i - 1) == "right" ||
                     word(i - 1) == "shortly" || word(i - 1) == "soon" || word(i - 1) == "long" ||
                     word(i - 1) == "straight" || word(i - 1) == "immediately"))
      --i;
    return i > 0 && (word(i - 1) == "and" || word(i - 1) == "but") ? i - 1 : i;
  };
  // "I had (already) searched": past perfect from token i (the subject).
  auto past_perfect_at = [&](std::size_t i) {
    if (!(word(i) == "i" || word(i) == "we") || word(i + 1) != "had") return false;
    std::size_t j = i + 2;
    while (word(j) == "already" || word(j) == "just" || word(j) == "previously" || word(j) == "first" ||
           word(j) == "also" || word(j) == "even" || word(j) == "earlier")
      ++j;
    return is_participle(word(j));
  };
  auto has_had = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to; ++k)
      if (word(k) == "had") return true;
    return false;
  };
  // "before"/"after" open a step only in a story told in the past.
  bool past = false;
  for (std::size_t k = 0; k < t.size() && !past; ++k) past = is_past(word(k));
  auto opens_clause = [&](std::size_t i) { return past && (is_subject(word(i)) || is_gerund(word(i))); };
  auto add = [&](std::size_t at, bool earlier) {
    if (at > 0 && at < t.size() && (cuts.empty() || cuts.back().at < at)) cuts.push_back({at, earlier});
  };

  std::size_t first = 0;  // the first word (a sentence may open with a quote)
  while (first < t.size() && t[first].kind == TokenKind::punct) ++first;
  // "Before calling(,) I had searched ...": the main clause, after the
  // opening one, happened first. "After trying the FAQ(,) I called": in order.
  // The opening clause ends at its comma or, without one, before the next
  // subject ("Before I called I had ...").
  if ((word(first) == "before" || word(first) == "after") && opens_clause(first + 1)) {
    std::size_t end = SIZE_MAX;
    for (std::size_t k = first + 2; k < t.size() && end == SIZE_MAX; ++k) {
      if (punct_break(k) && k - 1 > first + 1)
        end = k;
      else if (word(k) == "i" || word(k) == "we")
        end = k;
    }
    if (end != SIZE_MAX) add(end, word(first) == "before");
  }
  bool conditional = word(first) == "if" || word(first) == "unless";  // "if it fails, then call us" is advice
  // Every branch below starts from one of these words (the last one from
  // the subject of a past perfect), so the others are passed over with one
  // lookup instead of the whole chain of comparisons.
  static const FlatMap<bool> cut_words = word_set({"if", "unless", "then", "after", "afterwards", "afterward", "before",
                                                   "so", "in", "eventually", "finally", "first", "i", "we"});
  for (std::size_t i = first + 1; i < t.size(); ++i) {
    std::string_view w = word(i);
    if (w.empty() || !cut_words.find(w, folded_hash_of(t[i]))) continue;
    std::string_view prev = word(i - 1);
    if (w == "if" || w == "unless") conditional = true;
    if (w == "then") {
      if (!conditional && prev != "since" && prev != "by" && prev != "until" && prev != "till" &&
          prev != "from" && prev != "back" && prev != "only" && prev != "just" && prev != "even" &&
          prev != "before")
        add(joined(i), false);
    } else if ((w == "after" && (word(i + 1) == "that" || word(i + 1) == "this")) || w == "afterwards" ||
               w == "afterward") {
      if (after_break(i)) add(joined(i), false);
    } else if (w == "before" && (word(i + 1) == "that" || word(i + 1) == "this" || word(i + 1) == "then")) {
      if (after_break(i)) add(joined(i), true);
    } else if (w == "before" && opens_clause(i + 1)) {
      add(joined(i), false);  // "I searched the FAQ before calling": in order
    } else if (w == "after" && opens_clause(i + 1)) {
      add(joined(i), true);  // "I called after trying the FAQ": the FAQ came first
    } else if (w == "so" && (word(i + 1) == "i" || word(i + 1) == "we")) {
      add(joined(i), false);
    } else if ((w == "in" && word(i + 1) == "the" && word(i + 2) == "end") || w == "eventually" ||
               w == "finally") {
      if (after_break(i)) add(joined(i), false);
    } else if (w == "first" && (punct_break(i) || prev == "but") && opens_clause(i + 1)) {
      add(joined(i), true);  // "I called, but first I had checked the FAQ"
    } else if ((punct_break(i) || prev == "and" || prev == "but" || prev == "because" || prev == "as" ||
                prev == "since") &&
               past_perfect_at(i)) {
      // Past perfect after a clause that is not: "I called, I had already
      // tried the FAQ" tells the FAQ first.
      std::size_t at = punct_break(i) ? i : i - 1;
      if (!has_had(cuts.empty() ? first : cuts.back().at, at)) add(at, true);
    }
  }
  return cuts;
}

// The story order of clauses from their cuts: a clause that happened after
// the one it follows in the text goes right after that one's place in the
// story, one that happened before goes right before it.
std::vector<std::size_t> story_order(const std::vector<bool>& earlier) {
  std::vector<std::size_t> order;
  std::size_t pos = 0;  // where the previous clause sits in `order`
  for (std::size_t k = 0; k < earlier.size(); ++k) {
    if (k == 0) {
      order.push_back(0);
      continue;
    }
    if (!earlier[k]) ++pos;
    order.insert(order.begin() + static_cast<std::ptrdiff_t>(pos), k);
  }
  return order;
}

}  // namespace

std::vector<ClauseTags> story_steps(const std::vector<Token>& tokens, const JourneyDefinition& def) {
  std::vector<Cut> cuts = story_cuts(tokens);
  if (cuts.empty()) return {};
  struct Part {
    ClauseTags c;
    bool earlier = false;
  };
  std::vector<Part> parts;
  std::size_t from = 0;
  cuts.push_back({tokens.size(), false});
  for (std::size_t k = 0; k < cuts.size(); ++k) {
    Part p;
    p.c.first_token = from;
    p.c.end_token = cuts[k].at;
    p.c.tags = classify_whole(tokens, from, cuts[k].at, folded_span(tokens, from, cuts[k].at), def);
    p.earlier = k > 0 && cuts[k - 1].earlier;
    parts.push_back(std::move(p));
    from = cuts[k].at;
  }
  // A part without its own stage cue belongs to the step before it (the
  // first one to the step after it); neighbours with one stage are one step,
  // unless each names its own, different touchpoint ("I emailed twice, then
  // called": email, then phone).
  std::vector<Part> merged;
  for (Part& p : parts) {
    if (!merged.empty()) {
      const JourneyTags& a = merged.back().c.tags;
      const JourneyTags& b = p.c.tags;
      bool same_step = b.stage == "none" ||
                       (b.stage == a.stage &&
                        (a.touchpoint == b.touchpoint || a.touchpoint == "none" || b.touchpoint == "none"));
      if (same_step) {
        merged.back().c.end_token = p.c.end_token;
        continue;
      }
      if (merged.size() == 1 && a.stage == "none") {
        p.c.first_token = merged.back().c.first_token;
        p.earlier = false;
        merged.back() = std::move(p);
        continue;
      }
    }
    merged.push_back(std::move(p));
  }
  if (merged.size() < 2) return {};
  std::vector<bool> earlier;
  for (const Part& p : merged) earlier.push_back(p.earlier);
  std::vector<ClauseTags> steps;
  for (std::size_t k : story_order(earlier)) {
    ClauseTags c = std::move(merged[k].c);
    c.tags = classify_whole(tokens, c.first_token, c.end_token, folded_span(tokens, c.first_token, c.end_token), def);
    std::size_t first = c.first_token, last = c.end_token;
    while (first < last && tokens[first].kind == TokenKind::punct) ++first;
    c.start = first < last ? tokens[first].start : tokens[c.first_token].start;
    c.end = last > c.first_token ? tokens[last - 1].end : c.start;
    steps.push_back(std::move(c));
  }
  return steps;
}

std::vector<ClauseTags> classify_clauses(const std::vector<Token>& tokens, std::string_view sentence,
                                         const JourneyDefinition& def) {
  std::vector<ClauseTags> steps = story_steps(tokens, def);
  if (!steps.empty()) return steps;
  ClauseTags c;
  c.first_token = 0;
  c.end_token = tokens.size();
  c.start = 0;
  c.end = sentence.size();
  c.tags = classify_whole(tokens, 0, tokens.size(), folded_span(tokens, 0, tokens.size()), def);
  return {c};
}

JourneyTags classify(const std::vector<Token>& tokens, std::string_view folded, const JourneyDefinition& def) {
  JourneyTags tags = classify_whole(tokens, 0, tokens.size(), folded, def);
  std::vector<ClauseTags> steps = story_steps(tokens, def);
  if (steps.empty()) return tags;
  const JourneyTags& last = steps.back().tags;
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
