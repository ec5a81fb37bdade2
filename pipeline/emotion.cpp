// Emotion detection over tokens with the CX emotion lexicon.
#include "pipeline/emotion.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

#include "pipeline/flat_map.h"

namespace cxmap {

const std::vector<std::string>& emotion_labels() {
  static const std::vector<std::string> labels = {
      "frustrated", "angry",   "confused",  "anxious",  "disappointed", "impatient",
      "curious",    "relieved", "satisfied", "grateful", "delighted",    "neutral"};
  return labels;
}

namespace {

// Index of an emotion label in emotion_labels(), by one lookup.
std::size_t label_index(std::string_view e) {
  static const FlatMap<std::size_t> index = [] {
    FlatMap<std::size_t> m;
    const auto& labels = emotion_labels();
    for (std::size_t i = 0; i < labels.size(); ++i) m[labels[i]] = i;
    return m;
  }();
  const std::size_t* i = index.find(e);
  return i ? *i : emotion_labels().size();
}

bool positive_emotion(std::size_t label) {
  static const std::size_t relieved = label_index("relieved"), satisfied = label_index("satisfied"),
                           grateful = label_index("grateful"), delighted = label_index("delighted");
  return label == relieved || label == satisfied || label == grateful || label == delighted;
}

// What a word does to an emotion word after it: negate it, boost it.
enum : unsigned char { kNegates = 1, kBoosts = 2 };

unsigned char modifier_roles(std::string_view w) {
  static const FlatMap<unsigned char> roles = [] {
    FlatMap<unsigned char> m;
    for (std::string_view x : {"not", "no", "never", "nothing", "none", "nor", "neither", "without", "hardly",
                               "barely", "cannot", "nobody"})
      m[x] |= kNegates;
    for (std::string_view x : {"very", "really", "so", "extremely", "absolutely", "totally", "completely",
                               "incredibly", "utterly", "truly", "super", "beyond", "seriously", "deeply", "hugely",
                               "massively", "too"})
      m[x] |= kBoosts;
    return m;
  }();
  const unsigned char* r = roles.find(w);
  unsigned char out = r ? *r : 0;
  if (w.size() > 3 && w.substr(w.size() - 3) == "n't") out |= kNegates;
  return out;
}

}  // namespace

EmotionResult detect_emotions(const std::vector<Token>& tokens, const EmotionLexicon& lex, EmotionTrace* trace) {
  if (trace) *trace = EmotionTrace{};
  // Reused buffers: tagging a sentence allocates nothing once they have grown.
  thread_local std::vector<const Token*> w;
  thread_local std::string key;
  thread_local std::vector<std::size_t> ends;
  w.clear();
  bool question = false;
  for (const Token& t : tokens) {
    if (t.kind == TokenKind::punct) {
      if (t.text.size() == 1 && t.text[0] == '?') question = true;
      continue;
    }
    w.push_back(&t);
  }
  std::array<double, 12> acc{};
  const int maxw = lex.max_phrase_words();
  for (std::size_t k = 0; k < w.size();) {
    const std::vector<EmotionWeight>* hit = nullptr;
    std::size_t len = 0;
    const std::uint64_t hash = folded_hash_of(*w[k]);
    const EmotionWord* ew = lex.lookup(w[k]->folded, hash);  // one lookup: emotions and phrase starts
    const int from = maxw > 1 && ew ? ew->phrase_words : 1;
    // The key of the longest candidate is built once; each shorter one is a
    // prefix of it (ends[n]: the length of the first n words).
    const int longest = std::min<int>(from, static_cast<int>(w.size() - k));
    if (longest >= 2) {
      key = w[k]->folded;
      ends.assign(1, 0);
      ends.push_back(key.size());
      for (int m = 1; m < longest; ++m) {
        key += ' ';
        key += w[k + static_cast<std::size_t>(m)]->folded;
        ends.push_back(key.size());
      }
    }
    for (int n = longest; n >= 2 && !hit; --n)
      if ((hit = lex.find(std::string_view(key).substr(0, ends[static_cast<std::size_t>(n)]))))
        len = static_cast<std::size_t>(n);
    const char* how = "phrase";
    if (!hit && ew && !ew->emotions.empty()) hit = &ew->emotions, len = 1, how = "word";
    if (!hit && w[k]->kind == TokenKind::word) {
      const std::string& stem = w[k]->stem;
      if ((hit = lex.find_stem(stem, stem == w[k]->folded ? hash : stem_hash_of(*w[k])))) len = 1, how = "stem";
    }
    if (!hit) {
      ++k;
      continue;
    }
    // Look back up to three words for negation and boosters; a phrase that
    // itself starts with a negation ("not happy" in the lexicon) is final.
    bool negated = false, boosted = false;
    const std::string* negator = nullptr;
    const std::string* booster = nullptr;
    bool phrase_negated = len > 1 && (modifier_roles(w[k]->folded) & kNegates);
    unsigned char next_roles = 0;  // of the word after w[k - b]
    for (std::size_t b = 1; b <= 3 && b <= k; ++b) {
      const std::string& p = w[k - b]->folded;
      const unsigned char roles = modifier_roles(p);  // one lookup per word
      if (!phrase_negated && (roles & kNegates)) negated = true, negator = &p;
      if (b == 1 && (roles & kBoosts)) boosted = true, booster = &p;
      if (b == 2 && (roles & kBoosts) && (next_roles & kBoosts)) boosted = true, booster = &p;
      next_roles = roles;
    }
    // "no problem", "not bad": handled in the lexicon; "not only" is not negation.
    if (k >= 1 && w[k - 1]->folded == "only") negated = false;
    for (const EmotionWeight& e : *hit) {
      double weight = e.weight * (boosted ? 1.3 : 1.0);
      EmotionHit* h = nullptr;
      if (trace) {
        trace->hits.push_back({});
        h = &trace->hits.back();
        for (std::size_t m = 0; m < len; ++m) h->text += (m ? " " : "") + w[k + m]->folded;
        h->match = how;
        h->emotion = e.emotion;
        h->weight = e.weight;
        if (boosted) h->effect = "x1.3 by '" + *booster + "'";
      }
      const std::size_t label = label_index(e.emotion);
      if (negated) {
        const bool positive = positive_emotion(label);
        if (positive) acc[label_index("disappointed")] += 0.8 * weight;
        if (h) {
          if (!h->effect.empty()) h->effect += "; ";
          h->effect += "negated by '" + *negator + "': ";
          h->effect += positive ? "x0.8 as disappointed" : "dropped";
          if (positive) h->counted = "disappointed", h->counted_weight = 0.8 * weight;
        }
        continue;  // a negated negative emotion is suppressed
      }
      acc[label] += weight;
      if (h) h->counted = e.emotion, h->counted_weight = weight;
    }
    k += len;
  }
  if (question && !w.empty()) {
    static constexpr std::string_view openers[] = {"how", "what", "where", "when", "which", "can", "could", "is",
                                                  "are", "do", "does", "will", "would", "who", "should"};
    for (auto o : openers)
      if (w[0]->folded == o) {
        acc[label_index("curious")] += 0.6;
        if (trace) trace->question_curious = true;
        break;
      }
  }
  EmotionResult r;
  const auto& labels = emotion_labels();
  for (std::size_t i = 0; i + 1 < labels.size(); ++i)
    if (acc[i] > 0) r.weights.emplace_back(labels[i], acc[i]);
  // (stable_sort asks for a buffer even for one element)
  if (r.weights.size() > 1)
    std::stable_sort(r.weights.begin(), r.weights.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
  if (!r.weights.empty() && r.weights.front().second >= 0.5) r.dominant = r.weights.front().first;
  return r;
}

}  // namespace cxmap
