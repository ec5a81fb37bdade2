// VADER over tokens. The rule order and constants follow vaderSentiment 3.3
// (Python); where the npm port differs (it drops one-letter words and lacks
// the "no" rule) we follow the Python reference. The code is ours.
#include "pipeline/sentiment.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "pipeline/pain_points.h"

namespace cxmap {

namespace {

constexpr double kBIncr = 0.293;
constexpr double kBDecr = -0.293;
constexpr double kCIncr = 0.733;
constexpr double kNScalar = -0.74;

// One VADER "word": a token, or a CX phrase matched as a unit.
struct Item {
  std::string key;       // folded text (phrase: words joined by ' ')
  std::string last;      // folded last word (for negation and "no" checks)
  std::string_view raw;  // as written (single tokens only; phrases empty)
  std::optional<double> fixed;  // CX phrase or wait valence
};

using WordSet = std::unordered_set<std::string_view>;

double booster(std::string_view w) {
  static const WordSet up = {
      "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably", "decidedly",
      "deeply", "effing", "enormous", "enormously", "entirely", "especially", "exceptional",
      "exceptionally", "extreme", "extremely", "fabulously", "flipping", "flippin", "frackin",
      "fracking", "fricking", "frickin", "frigging", "friggin", "fully", "fuckin", "fucking",
      "fuggin", "fugging", "greatly", "hella", "highly", "hugely", "incredible", "incredibly",
      "intensely", "major", "majorly", "more", "most", "particularly", "purely", "quite", "really",
      "remarkably", "so", "substantially", "thoroughly", "total", "totally", "tremendous",
      "tremendously", "uber", "unbelievably", "unusually", "utter", "utterly", "very"};
  static const WordSet down = {
      "almost", "barely", "hardly", "just enough", "kind of", "kinda", "kindof", "kind-of", "less",
      "little", "marginal", "marginally", "occasional", "occasionally", "partly", "scarce",
      "scarcely", "slight", "slightly", "somewhat", "sort of", "sorta", "sortof", "sort-of"};
  if (up.count(w)) return kBIncr;
  if (down.count(w)) return kBDecr;
  return 0;
}

bool is_negation(std::string_view w) {
  static const WordSet negate = {
      "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "ain't", "aren't",
      "can't", "couldn't", "daren't", "didn't", "doesn't", "dont", "hadnt", "hasnt", "havent",
      "isnt", "mightnt", "mustnt", "neither", "don't", "hadn't", "hasn't", "haven't", "isn't",
      "mightn't", "mustn't", "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing",
      "nowhere", "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent", "oughtn't", "shan't",
      "shouldn't", "uh-uh", "wasn't", "weren't", "without", "wont", "wouldnt", "won't", "wouldn't",
      "rarely", "seldom", "despite"};
  return negate.count(w) || w.find("n't") != std::string_view::npos;
}

double special_idiom(std::string_view s, bool& found) {
  static const std::pair<std::string_view, double> idioms[] = {
      {"the shit", 3}, {"the bomb", 3}, {"bad ass", 1.5}, {"badass", 1.5}, {"bus stop", 0.0},
      {"yeah right", -2}, {"kiss of death", -1.5}, {"to die for", 3}, {"beating heart", 3.1},
      {"broken heart", -2.9}, {"cut the mustard", 2}, {"hand to mouth", -2}};
  for (auto& [k, v] : idioms)
    if (k == s) {
      found = true;
      return v;
    }
  found = false;
  return 0;
}

class Scorer {
 public:
  Scorer(std::vector<Item> items, const ValenceLexicon& lex, bool cx) : w_(std::move(items)), lex_(lex), cx_(cx) {
    int caps = 0;
    for (const Item& it : w_)
      if (!it.raw.empty() && is_all_caps(it.raw)) ++caps;
    int n = static_cast<int>(w_.size());
    cap_diff_ = caps > 0 && caps < n;  // some, not all, words in capitals
  }

  std::vector<double> run() {
    std::vector<double> s;
    const std::size_t n = w_.size();
    for (std::size_t i = 0; i < n; ++i) {
      const std::string& k = w_[i].key;
      if (!w_[i].fixed && ((i + 1 < n && k == "kind" && w_[i + 1].key == "of") || booster(k) != 0)) {
        s.push_back(0);
        continue;
      }
      s.push_back(valence_at(i));
    }
    // "but": halve what comes before, boost what comes after (first "but").
    for (std::size_t b = 0; b < n; ++b) {
      if (w_[b].key != "but") continue;
      for (std::size_t i = 0; i < n; ++i) {
        if (i < b) s[i] *= 0.5;
        else if (i > b) s[i] *= 1.5;
      }
      break;
    }
    return s;
  }

 private:
  const double* lookup(std::size_t i) const {
    if (w_[i].fixed) return &*w_[i].fixed;
    return lex_.find(w_[i].key, cx_);
  }
  bool in_lexicon(std::size_t i) const { return lookup(i) != nullptr; }
  const std::string& last(std::size_t i) const { return w_[i].last; }

  double scalar_inc_dec(std::size_t j, double valence) const {
    if (w_[j].fixed) return 0;
    double scalar = booster(w_[j].key);
    if (scalar == 0) return 0;
    if (valence < 0) scalar = -scalar;
    if (cap_diff_ && !w_[j].raw.empty() && is_all_caps(w_[j].raw)) scalar += valence > 0 ? kCIncr : -kCIncr;
    return scalar;
  }

  double negation_check(double v, int start_i, std::size_t i) const {
    auto at = [&](std::size_t back) -> const std::string& { return last(i - back); };
    if (start_i == 0) {
      if (is_negation(at(1))) v *= kNScalar;
    } else if (start_i == 1) {
      if (at(2) == "never" && (at(1) == "so" || at(1) == "this")) v *= 1.25;
      else if (at(2) == "without" && at(1) == "doubt") {
      } else if (is_negation(at(2))) v *= kNScalar;
    } else {
      if ((at(3) == "never" && (at(2) == "so" || at(2) == "this")) || at(1) == "so" || at(1) == "this") v *= 1.25;
      else if (at(3) == "without" && (at(2) == "doubt" || at(1) == "doubt")) {
      } else if (is_negation(at(3))) v *= kNScalar;
    }
    return v;
  }

  double idioms_check(double v, std::size_t i) const {
    auto k = [&](std::size_t j) -> const std::string& { return w_[j].key; };
    const std::string seqs[] = {k(i - 1) + " " + k(i), k(i - 2) + " " + k(i - 1) + " " + k(i),
                                k(i - 2) + " " + k(i - 1), k(i - 3) + " " + k(i - 2) + " " + k(i - 1),
                                k(i - 3) + " " + k(i - 2)};
    bool found = false;
    for (const auto& s : seqs) {
      double x = special_idiom(s, found);
      if (found) {
        v = x;
        break;
      }
    }
    if (i + 1 < w_.size()) {
      double x = special_idiom(k(i) + " " + k(i + 1), found);
      if (found) v = x;
    }
    if (i + 2 < w_.size()) {
      double x = special_idiom(k(i) + " " + k(i + 1) + " " + k(i + 2), found);
      if (found) v = x;
    }
    for (const auto& g : {seqs[3], seqs[4], seqs[2]}) v += booster(g);  // "kind of", "sort of"
    return v;
  }

  double valence_at(std::size_t i) {
    const double* lv = lookup(i);
    if (!lv) return 0;
    const double base = *lv;
    double v = base;
    const std::size_t n = w_.size();
    if (w_[i].key == "no" && i + 1 < n && in_lexicon(i + 1)) v = 0;  // "no" modifies the next word
    if ((i > 0 && last(i - 1) == "no") || (i > 1 && last(i - 2) == "no") ||
        (i > 2 && last(i - 3) == "no" && (last(i - 1) == "or" || last(i - 1) == "nor")))
      v = base * kNScalar;
    if (cap_diff_ && !w_[i].raw.empty() && is_all_caps(w_[i].raw)) v += v > 0 ? kCIncr : -kCIncr;
    for (int start_i = 0; start_i < 3; ++start_i) {
      std::size_t back = static_cast<std::size_t>(start_i) + 1;
      if (i > static_cast<std::size_t>(start_i) && !in_lexicon(i - back)) {
        double s = scalar_inc_dec(i - back, v);
        if (start_i == 1) s *= 0.95;
        if (start_i == 2) s *= 0.9;
        v += s;
        v = negation_check(v, start_i, i);
        if (start_i == 2) v = idioms_check(v, i);
      }
    }
    // "least": "least helpful" negates, "at least" / "very least" do not.
    if (i > 1 && !in_lexicon(i - 1) && w_[i - 1].key == "least") {
      if (w_[i - 2].key != "at" && w_[i - 2].key != "very") v *= kNScalar;
    } else if (i > 0 && !in_lexicon(i - 1) && w_[i - 1].key == "least") {
      v *= kNScalar;
    }
    return v;
  }

  std::vector<Item> w_;
  const ValenceLexicon& lex_;
  bool cx_;
  bool cap_diff_ = false;
};

}  // namespace

double wait_valence(double minutes) {
  if (minutes <= 0) return 0;
  return -std::min(3.0, 0.5 * minutes / 15.0);
}

Sentiment score_sentence(const std::vector<Token>& tokens, const ValenceLexicon& lex,
                         const SentimentOptions& options) {
  // Words for VADER; punctuation only counts for emphasis.
  std::vector<std::size_t> idx;
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
  if (idx.empty()) return Sentiment{0, 0, 1, 0};

  std::optional<Duration> wait;
  if (options.cx_layer) wait = find_wait(tokens);

  std::vector<Item> items;
  items.reserve(idx.size());
  const int maxw = options.cx_layer ? lex.max_cx_phrase_words() : 1;
  for (std::size_t k = 0; k < idx.size();) {
    bool merged = false;
    const int from = maxw > 1 ? lex.cx_phrase_words_from(tokens[idx[k]].folded) : 1;
    for (int len = std::min<int>(from, static_cast<int>(idx.size() - k)); len >= 2 && !merged; --len) {
      std::string key = tokens[idx[k]].folded;
      for (int m = 1; m < len; ++m) {
        key += ' ';
        key += tokens[idx[k + static_cast<std::size_t>(m)]].folded;
      }
      if (const double* v = lex.find(key, true); v && lex.find(key, false) != v) {
        Item it;
        it.key = std::move(key);
        it.last = tokens[idx[k + static_cast<std::size_t>(len) - 1]].folded;
        it.fixed = *v;
        items.push_back(std::move(it));
        k += static_cast<std::size_t>(len);
        merged = true;
      }
    }
    if (merged) continue;
    const Token& t = tokens[idx[k]];
    Item it;
    it.key = t.folded;
    it.last = t.folded;
    it.raw = t.text;
    if (wait && idx[k] == wait->last) it.fixed = wait_valence(wait->minutes);
    items.push_back(std::move(it));
    ++k;
  }

  std::vector<double> s = Scorer(std::move(items), lex, options.cx_layer).run();

  double sum = 0;
  for (double x : s) sum += x;
  double ep = std::min(excl, 4) * 0.292;
  double qm = quest > 1 ? (quest <= 3 ? quest * 0.18 : 0.96) : 0;
  double amp = ep + qm;
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
  return out;
}

}  // namespace cxmap
