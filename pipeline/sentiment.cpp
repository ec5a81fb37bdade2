// VADER over tokens. The rule order and constants follow vaderSentiment 3.3
// (Python); where the npm port differs (it drops one-letter words and lacks
// the "no" rule) we follow the Python reference. The code is ours.
//
// Speed: every per-word fact the rules ask about (lexicon valence, booster
// value, negation word, all caps, idiom word) is looked up once per word into
// the Item (one hash serves the lexicon and the word classes), so the rules
// themselves only compare and multiply; word texts are views into the tokens
// and idioms are compared piecewise, never concatenated, and only over runs
// of idiom words. find_wait() returns at once for a sentence that names no
// time unit (pipeline/pain_points.cpp).
// The trace, when asked for, is written beside the arithmetic and never
// changes it.
#include "pipeline/sentiment.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/flat_map.h"
#include "pipeline/pain_points.h"
#include "pipeline/word_facts.h"

namespace cxmap {

namespace {

constexpr double kBIncr = 0.293;
constexpr double kBDecr = -0.293;
constexpr double kCIncr = 0.733;
constexpr double kNScalar = -0.74;

// The booster entries that are two words: VADER looks them up as bigrams.
constexpr std::string_view kBoosterBigrams[] = {"just enough", "kind of", "sort of"};

struct Idiom {
  std::string_view text;
  double valence;
};
constexpr Idiom kIdioms[] = {
    {"the shit", 3}, {"the bomb", 3}, {"bad ass", 1.5}, {"badass", 1.5}, {"bus stop", 0.0},
    {"yeah right", -2}, {"kiss of death", -1.5}, {"to die for", 3}, {"beating heart", 3.1},
    {"broken heart", -2.9}, {"cut the mustard", 2}, {"hand to mouth", -2}};

// What a word does to its neighbours: booster/dampener scalar, negation;
// and whether it is one of the words of an idiom or booster bigram (the
// idiom rules compare only runs of such words).
struct WordClass {
  double boost = 0;
  bool negation = false;
  bool idiom = false;
};

const FlatMap<WordClass>& word_classes() {
  static const FlatMap<WordClass> table = [] {
    FlatMap<WordClass> m;
    for (std::string_view w :
         {"absolutely", "amazingly", "awfully", "completely", "considerable", "considerably", "decidedly",
          "deeply", "effing", "enormous", "enormously", "entirely", "especially", "exceptional",
          "exceptionally", "extreme", "extremely", "fabulously", "flipping", "flippin", "frackin",
          "fracking", "fricking", "frickin", "frigging", "friggin", "fully", "fuckin", "fucking",
          "fuggin", "fugging", "greatly", "hella", "highly", "hugely", "incredible", "incredibly",
          "intensely", "major", "majorly", "more", "most", "particularly", "purely", "quite", "really",
          "remarkably", "so", "substantially", "thoroughly", "total", "totally", "tremendous",
          "tremendously", "uber", "unbelievably", "unusually", "utter", "utterly", "very"})
      m[w].boost = kBIncr;
    for (std::string_view w :
         {"almost", "barely", "hardly", "just enough", "kind of", "kinda", "kindof", "kind-of", "less",
          "little", "marginal", "marginally", "occasional", "occasionally", "partly", "scarce",
          "scarcely", "slight", "slightly", "somewhat", "sort of", "sorta", "sortof", "sort-of"})
      m[w].boost = kBDecr;
    for (std::string_view w :
         {"aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "ain't", "aren't",
          "can't", "couldn't", "daren't", "didn't", "doesn't", "dont", "hadnt", "hasnt", "havent",
          "isnt", "mightnt", "mustnt", "neither", "don't", "hadn't", "hasn't", "haven't", "isn't",
          "mightn't", "mustn't", "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing",
          "nowhere", "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent", "oughtn't", "shan't",
          "shouldn't", "uh-uh", "wasn't", "weren't", "without", "wont", "wouldnt", "won't", "wouldn't",
          "rarely", "seldom", "despite"})
      m[w].negation = true;
    auto mark_words = [&](std::string_view text) {
      for (std::size_t at = 0; at <= text.size();) {
        std::size_t sp = text.find(' ', at);
        if (sp == std::string_view::npos) sp = text.size();
        m[text.substr(at, sp - at)].idiom = true;
        at = sp + 1;
      }
    };
    for (const Idiom& idiom : kIdioms) mark_words(idiom.text);
    for (std::string_view b : kBoosterBigrams) mark_words(b);
    return m;
  }();
  return table;
}

double booster(std::string_view w) {
  const WordClass* c = word_classes().find(w);
  return c ? c->boost : 0;
}

bool is_negation(std::string_view w) {
  const WordClass* c = word_classes().find(w);
  return (c && c->negation) || has_nt(w);
}

// True when the parts joined by single spaces spell s (no string is built).
bool joined_equals(std::initializer_list<std::string_view> parts, std::string_view s) {
  std::size_t len = parts.size() - 1;
  for (auto p : parts) len += p.size();
  if (len != s.size()) return false;
  std::size_t at = 0;
  bool first = true;
  for (auto p : parts) {
    if (!first) {
      if (s[at] != ' ') return false;
      ++at;
    }
    first = false;
    if (s.compare(at, p.size(), p) != 0) return false;
    at += p.size();
  }
  return true;
}

const Idiom* find_idiom(std::initializer_list<std::string_view> parts) {
  for (const Idiom& idiom : kIdioms)
    if (joined_equals(parts, idiom.text)) return &idiom;
  return nullptr;
}

double booster_bigram(std::initializer_list<std::string_view> parts) {
  for (auto b : kBoosterBigrams)
    if (joined_equals(parts, b)) return booster(b);
  return 0;
}

std::string fmt(const char* format, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

// One VADER "word": a token, or a CX phrase matched as a unit, with every
// fact about it the rules need.
struct Item {
  std::string_view key;   // folded text (phrase: words joined by ' ')
  std::string_view last;  // folded last word (for negation and "no" checks)
  std::string_view raw;   // as written (single tokens only; phrases empty)
  double fixed_value = 0;
  bool fixed = false;     // CX phrase or wait valence
  const double* value = nullptr;  // lexicon valence (or &fixed_value); null: not a lexicon word
  double boost = 0;       // booster(key), 0 for fixed items
  bool caps = false;      // written in capitals
  bool negation = false;  // is_negation(last)
  bool idiom_part = false;  // may be part of an idiom or booster bigram: a phrase, or a word of one
  const char* source = "";  // for the trace
};

class Scorer {
 public:
  Scorer(std::vector<Item>& items, SentimentTrace* trace) : w_(items), trace_(trace) {
    int caps = 0;
    for (const Item& it : w_) caps += it.caps ? 1 : 0;
    const int n = static_cast<int>(w_.size());
    cap_diff_ = caps > 0 && caps < n;  // some, not all, words in capitals
  }

  void run(std::vector<double>& s) {
    const std::size_t n = w_.size();
    s.clear();
    for (std::size_t i = 0; i < n; ++i) {
      const Item& it = w_[i];
      if (!it.fixed && ((i + 1 < n && it.key == "kind" && w_[i + 1].key == "of") || it.boost != 0)) {
        if (trace_) trace_->words[i].role = it.key == "kind" ? "kind of" : it.boost > 0 ? "booster" : "dampener";
        s.push_back(0);
        continue;
      }
      s.push_back(valence_at(i));
      if (trace_ && !it.value && it.negation) trace_->words[i].role = "negation";
    }
    // "but": halve what comes before, boost what comes after (first "but").
    for (std::size_t b = 0; b < n; ++b) {
      if (w_[b].key != "but") continue;
      for (std::size_t i = 0; i < n; ++i) {
        const double before = s[i];
        if (i < b) s[i] *= 0.5;
        else if (i > b) s[i] *= 1.5;
        if (trace_ && before != 0 && i != b)
          note(i, "but", i < b ? "x0.5: before 'but'" : "x1.5: after 'but'", before, s[i]);
      }
      if (trace_) trace_->words[b].role = "but";
      break;
    }
  }

 private:
  bool in_lexicon(std::size_t i) const { return w_[i].value != nullptr; }
  std::string_view last(std::size_t i) const { return w_[i].last; }
  std::string_view key(std::size_t i) const { return w_[i].key; }

  void note(std::size_t i, const char* rule, std::string detail, double before, double after) {
    trace_->words[i].rules.push_back({rule, std::move(detail), before, after});
  }

  double scalar_inc_dec(std::size_t j, double valence) const {
    double scalar = w_[j].boost;  // 0 for fixed items
    if (scalar == 0) return 0;
    if (valence < 0) scalar = -scalar;
    if (cap_diff_ && w_[j].caps) scalar += valence > 0 ? kCIncr : -kCIncr;
    return scalar;
  }

  double negation_check(double v, int start_i, std::size_t i) {
    auto at = [&](std::size_t back) { return last(i - back); };
    const double before = v;
    bool never_so = false;  // x1.25 instead of x-0.74
    std::size_t by = 0;     // distance of the word that fired, 0: none
    if (start_i == 0) {
      if (w_[i - 1].negation) by = 1;
    } else if (start_i == 1) {
      if (at(2) == "never" && (at(1) == "so" || at(1) == "this")) never_so = true, by = 2;
      else if (at(2) == "without" && at(1) == "doubt") {
      } else if (w_[i - 2].negation) by = 2;
    } else {
      if (at(3) == "never" && (at(2) == "so" || at(2) == "this")) never_so = true, by = 3;
      else if (at(1) == "so" || at(1) == "this") never_so = true, by = 1;  // as in VADER 3.3
      else if (at(3) == "without" && (at(2) == "doubt" || at(1) == "doubt")) {
      } else if (w_[i - 3].negation) by = 3;
    }
    if (by == 0) return v;
    v *= never_so ? 1.25 : kNScalar;
    if (trace_) {
      std::string d = std::string(never_so ? "x1.25 by '" : "x-0.74 by '") + std::string(key(i - by)) +
                      "' at distance " + std::to_string(by);
      note(i, never_so ? "never so" : "negation", std::move(d), before, v);
    }
    return v;
  }

  double idioms_check(double v, std::size_t i) {
    const double before = v;
    const Idiom* hit = nullptr;
    // A run with a word that is in no idiom cannot spell one: most words
    // skip every comparison.
    auto part = [&](std::size_t j) { return w_[j].idiom_part; };
    const bool p3 = part(i - 3), p2 = part(i - 2), p1 = part(i - 1), p0 = part(i);
    for (const Idiom* x : {p1 && p0 ? find_idiom({key(i - 1), key(i)}) : nullptr,
                           p2 && p1 && p0 ? find_idiom({key(i - 2), key(i - 1), key(i)}) : nullptr,
                           p2 && p1 ? find_idiom({key(i - 2), key(i - 1)}) : nullptr,
                           p3 && p2 && p1 ? find_idiom({key(i - 3), key(i - 2), key(i - 1)}) : nullptr,
                           p3 && p2 ? find_idiom({key(i - 3), key(i - 2)}) : nullptr})
      if (x) {
        hit = x;
        break;
      }
    if (hit) v = hit->valence;
    if (p0 && i + 1 < w_.size() && part(i + 1))
      if (const Idiom* x = find_idiom({key(i), key(i + 1)})) v = x->valence, hit = x;
    if (p0 && i + 2 < w_.size() && part(i + 1) && part(i + 2))
      if (const Idiom* x = find_idiom({key(i), key(i + 1), key(i + 2)})) v = x->valence, hit = x;
    if (trace_ && hit) {
      std::string d = "'";
      d.append(hit->text).append("' = ").append(fmt("%g", hit->valence));
      note(i, "idiom", std::move(d), before, v);
    }
    // "kind of", "sort of", "just enough" before the word
    const double b = (p3 && p2 && p1 ? booster_bigram({key(i - 3), key(i - 2), key(i - 1)}) : 0) +
                     (p3 && p2 ? booster_bigram({key(i - 3), key(i - 2)}) : 0) +
                     (p2 && p1 ? booster_bigram({key(i - 2), key(i - 1)}) : 0);
    if (b != 0) {
      const double x = v;
      v += b;
      if (trace_) note(i, "kind of", fmt("%+.3f from a two-word dampener before it", b), x, v);
    }
    return v;
  }

  double valence_at(std::size_t i) {
    const Item& it = w_[i];
    if (!it.value) return 0;
    const double base = *it.value;
    double v = base;
    const std::size_t n = w_.size();
    if (trace_) {
      trace_->words[i].base = base;
      trace_->words[i].source = it.source;
    }
    if (it.key == "no" && i + 1 < n && in_lexicon(i + 1)) {  // "no" modifies the next word
      v = 0;
      if (trace_) note(i, "no", "0: 'no' acts on the next word", base, v);
    }
    if ((i > 0 && last(i - 1) == "no") || (i > 1 && last(i - 2) == "no") ||
        (i > 2 && last(i - 3) == "no" && (last(i - 1) == "or" || last(i - 1) == "nor"))) {
      const double before = v;
      v = base * kNScalar;
      if (trace_) note(i, "no", "x-0.74 of the base by a preceding 'no'", before, v);
    }
    if (cap_diff_ && it.caps) {
      const double before = v;
      v += v > 0 ? kCIncr : -kCIncr;
      if (trace_) note(i, "caps", fmt("%+.3f: written in capitals", v - before), before, v);
    }
    for (int start_i = 0; start_i < 3; ++start_i) {
      const std::size_t back = static_cast<std::size_t>(start_i) + 1;
      if (i > static_cast<std::size_t>(start_i) && !in_lexicon(i - back)) {
        double s = scalar_inc_dec(i - back, v);
        if (start_i == 1) s *= 0.95;
        if (start_i == 2) s *= 0.9;
        if (trace_ && s != 0) {
          std::string d = fmt("%+.3f from '", s) + std::string(key(i - back)) + "' at distance " + std::to_string(back);
          if (cap_diff_ && w_[i - back].caps) d += " (in capitals: +-0.733)";
          note(i, w_[i - back].boost > 0 ? "booster" : "dampener", std::move(d), v, v + s);
        }
        v += s;
        v = negation_check(v, start_i, i);
        if (start_i == 2) v = idioms_check(v, i);
      }
    }
    // "least": "least helpful" negates, "at least" / "very least" do not.
    const double before = v;
    if (i > 1 && !in_lexicon(i - 1) && key(i - 1) == "least") {
      if (key(i - 2) != "at" && key(i - 2) != "very") v *= kNScalar;
    } else if (i > 0 && !in_lexicon(i - 1) && key(i - 1) == "least") {
      v *= kNScalar;
    }
    if (trace_ && v != before) note(i, "least", "x-0.74 by 'least'", before, v);
    return v;
  }

  std::vector<Item>& w_;
  SentimentTrace* trace_;
  bool cap_diff_ = false;
};

// Reused buffers: scoring a sentence allocates nothing once they have grown.
struct Scratch {
  std::vector<std::size_t> idx;
  std::vector<Item> items;
  std::vector<std::string> phrase_keys;
  std::vector<double> s;
  std::string key;                // candidate CX phrase
  std::vector<std::size_t> ends;  // ends[n]: length of key's first n words
};

}  // namespace

double wait_valence(double minutes) {
  if (minutes <= 0) return 0;
  return -std::min(3.0, 0.5 * minutes / 15.0);
}

Sentiment score_sentence(const std::vector<Token>& tokens, const ValenceLexicon& lex, const SentimentOptions& options,
                         SentimentTrace* trace) {
  thread_local Scratch scratch;
  Scratch& sc = scratch;
  if (trace) *trace = SentimentTrace{};
  // Words for VADER; punctuation only counts for emphasis.
  std::vector<std::size_t>& idx = sc.idx;
  idx.clear();
  int excl = 0, quest = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind == TokenKind::punct) {
      excl += static_cast<int>(std::count(t.text.begin(), t.text.end(), '!'));
      quest += static_cast<int>(std::count(t.text.begin(), t.text.end(), '?'));
      continue;
    }
    idx.push_back(i);
  }
  if (idx.empty()) {
    if (trace) trace->result = Sentiment{0, 0, 1, 0};
    return Sentiment{0, 0, 1, 0};
  }

  std::optional<Duration> wait;
  if (options.cx_layer) wait = find_wait(tokens);

  std::vector<Item>& items = sc.items;
  items.clear();
  sc.phrase_keys.clear();
  sc.phrase_keys.reserve(idx.size());  // views into it must not move
  const int maxw = options.cx_layer ? lex.max_cx_phrase_words() : 1;
  for (std::size_t k = 0; k < idx.size();) {
    bool merged = false;
    const std::uint64_t hash = folded_hash_of(tokens[idx[k]]);  // for the lexicon and the word classes
    const ValenceWord* vw = lex.lookup(tokens[idx[k]].folded, hash);
    const int from = maxw > 1 && vw ? vw->cx_phrase_words : 1;
    // The key of the longest candidate is built once; each shorter one is
    // a prefix of it (ends[n]: the length of the first n words).
    const int longest = std::min<int>(from, static_cast<int>(idx.size() - k));
    if (longest >= 2) {
      sc.key = tokens[idx[k]].folded;
      sc.ends.assign(1, 0);
      sc.ends.push_back(sc.key.size());
      for (int m = 1; m < longest; ++m) {
        sc.key += ' ';
        sc.key += tokens[idx[k + static_cast<std::size_t>(m)]].folded;
        sc.ends.push_back(sc.key.size());
      }
    }
    for (int len = longest; len >= 2 && !merged; --len) {
      const std::string_view key = std::string_view(sc.key).substr(0, sc.ends[static_cast<std::size_t>(len)]);
      if (const double* v = lex.find_layer(key, ValenceLayer::cx)) {
        sc.phrase_keys.emplace_back(key);
        Item& it = items.emplace_back();
        it.key = sc.phrase_keys.back();
        it.last = tokens[idx[k + static_cast<std::size_t>(len) - 1]].folded;
        it.fixed = true;
        it.fixed_value = *v;
        it.source = "cx phrase";
        it.idiom_part = true;  // its key has spaces: it could spell part of an idiom
        it.negation = is_negation(it.last);
        k += static_cast<std::size_t>(len);
        merged = true;
      }
    }
    if (merged) continue;
    const Token& t = tokens[idx[k]];
    Item& it = items.emplace_back();
    it.key = t.folded;
    it.last = t.folded;
    it.raw = t.text;
    if (wait && idx[k] == wait->last) {
      it.fixed = true;
      it.fixed_value = wait_valence(wait->minutes);
      it.source = "cx wait";
    } else {
      if (vw && options.cx_layer && vw->has_cx) {
        it.value = &vw->cx;
        it.source = "cx";
      } else if (vw && vw->has_base) {
        it.value = &vw->base;
        it.source = "vader";
      }
    }
    // key == last for a single token: one lookup serves both rules.
    const WordClass* wc = word_classes().find(it.key, hash);
    if (!it.fixed && wc) it.boost = wc->boost;
    // (the key, last word and raw text are the token's own: its facts)
    it.idiom_part = (wc && wc->idiom) || has_space_of(t);
    it.negation = (wc && wc->negation) || has_nt_of(t);
    it.caps = all_caps_of(t);
    ++k;
  }
  // Fixed values live in the items; point at them once the vector is final.
  for (Item& it : items)
    if (it.fixed) it.value = &it.fixed_value;

  if (trace) {
    trace->words.resize(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) trace->words[i].text = items[i].raw.empty() ? items[i].key : items[i].raw;
  }
  std::vector<double>& s = sc.s;
  Scorer(items, trace).run(s);

  double sum = 0;
  for (double x : s) sum += x;
  double ep = std::min(excl, 4) * 0.292;
  double qm = quest > 1 ? (quest <= 3 ? quest * 0.18 : 0.96) : 0;
  double amp = ep + qm;
  const double raw_sum = sum;
  if (sum > 0) sum += amp;
  else if (sum < 0) sum -= amp;
  double compound = std::clamp(sum / std::sqrt(sum * sum + 15.0), -1.0, 1.0);

  double pos = 0, neg = 0, neu = 0;
  for (double x : s) {
    if (x > 0) pos += x + 1;
    else if (x < 0) neg += x - 1;
    else neu += 1;
  }
  if (pos > std::fabs(neg)) pos += amp;
  else if (pos < std::fabs(neg)) neg -= amp;
  double total = pos + std::fabs(neg) + neu;
  Sentiment out;
  out.compound = compound;
  out.pos = std::fabs(pos / total);
  out.neg = std::fabs(neg / total);
  out.neu = std::fabs(neu / total);

  if (trace) {
    for (std::size_t i = 0; i < s.size(); ++i) trace->words[i].valence = s[i];
    trace->sum = raw_sum;
    trace->emphasis = raw_sum == 0 ? 0 : amp;
    if (raw_sum != 0 && ep > 0)
      trace->sentence_rules.push_back({"'!'", fmt("%+.3f", raw_sum > 0 ? ep : -ep) + " (0.292 x " +
                                                  std::to_string(std::min(excl, 4)) + " '!', at most 4)",
                                       raw_sum, raw_sum > 0 ? raw_sum + ep : raw_sum - ep});
    if (raw_sum != 0 && qm > 0) {
      const double at = raw_sum > 0 ? raw_sum + ep : raw_sum - ep;
      trace->sentence_rules.push_back({"'?'", fmt("%+.3f", raw_sum > 0 ? qm : -qm) + " (" + std::to_string(quest) +
                                                  " '?': 0.18 each for 2-3, 0.96 for more)",
                                       at, raw_sum > 0 ? at + qm : at - qm});
    }
    trace->result = out;
  }
  return out;
}

}  // namespace cxmap
