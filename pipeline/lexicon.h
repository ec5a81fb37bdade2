// Lexicons: term -> valence and term -> emotions, plus the pure parsers that
// build them from TSV text.
//
// Keys are folded: a single term is fold_case(term); a phrase (a term with a
// space) is phrase_key(phrase), its folded non-punctuation tokens joined by
// ' '. The valence lexicon has two layers: `base` (VADER, imported at set-up)
// and `cx` (the project's customer-care overrides), so the CX layer can be
// switched off at scoring time. Parsers never read files; errors name
// origin:line so a person can fix the data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pipeline/flat_map.h"
#include "pipeline/result.h"

namespace cxmap {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

struct ValenceEntry {
  std::string term;  // as written in the file
  double valence = 0;
};
using ValenceTable = std::vector<ValenceEntry>;

enum class ValenceLayer { base, cx };

// Everything the valence lexicon knows about one folded key (a word or a
// phrase), so the scorer needs one lookup per token.
struct ValenceWord {
  double base = 0, cx = 0;
  bool has_base = false, has_cx = false;
  int cx_phrase_words = 1;  // longest cx phrase starting with this word; 1 when none
};

class ValenceLexicon {
 public:
  // Folds the term (phrase_key for phrases) and stores it in the layer;
  // a later entry for the same key replaces the earlier one.
  void add(std::string_view term, double valence, ValenceLayer layer);
  void add_all(const ValenceTable& table, ValenceLayer layer);

  // Everything about a folded key, or null when it is in neither layer and
  // starts no phrase.
  const ValenceWord* lookup(std::string_view key) const { return words_.find(key); }
  // The same with hash = flat_hash(key), computed once by a caller that also
  // looks the key up elsewhere.
  const ValenceWord* lookup(std::string_view key, std::uint64_t hash) const { return words_.find(key, hash); }
  // Looks up a folded key; with cx on, the cx layer wins over base.
  const double* find(std::string_view key, bool cx) const;
  bool contains(std::string_view key, bool cx) const { return find(key, cx) != nullptr; }
  // Looks up a folded key in one layer only.
  const double* find_layer(std::string_view key, ValenceLayer layer) const;
  // Longest phrase (in words) of the cx layer; 1 when it has no phrases.
  int max_cx_phrase_words() const { return max_cx_words_; }
  // Longest cx phrase starting with this folded word; 1 when none.
  int cx_phrase_words_from(std::string_view first) const;
  std::size_t size(ValenceLayer layer) const { return layer == ValenceLayer::base ? base_n_ : cx_n_; }

 private:
  FlatMap<ValenceWord> words_;
  std::size_t base_n_ = 0, cx_n_ = 0;
  int max_cx_words_ = 1;
};

struct EmotionWeight {
  std::string emotion;
  double weight = 1;
};

// Everything the emotion lexicon knows about one folded key.
struct EmotionWord {
  std::vector<EmotionWeight> emotions;  // empty: the key only starts phrases
  int phrase_words = 1;                 // longest phrase starting with this word; 1 when none
};

class EmotionLexicon {
 public:
  // Adds (emotion, weight) for a term or phrase; single words are also
  // indexed by their Snowball stem so inflections match.
  void add(std::string_view term, std::string emotion, double weight);
  const std::vector<EmotionWeight>* find(std::string_view folded_key) const;
  const std::vector<EmotionWeight>* find_stem(std::string_view stem) const { return stems_.find(stem); }
  // Emotions of a folded key and the phrases it starts, in one lookup.
  const EmotionWord* lookup(std::string_view folded_key) const { return terms_.find(folded_key); }
  // The same two with hash = flat_hash(key): a word whose stem is itself is
  // hashed once for both.
  const EmotionWord* lookup(std::string_view folded_key, std::uint64_t hash) const {
    return terms_.find(folded_key, hash);
  }
  const std::vector<EmotionWeight>* find_stem(std::string_view stem, std::uint64_t hash) const {
    return stems_.find(stem, hash);
  }
  int max_phrase_words() const { return max_words_; }
  // Longest phrase starting with this folded word; 1 when none.
  int phrase_words_from(std::string_view first) const;
  std::size_t size() const { return size_; }

 private:
  FlatMap<EmotionWord> terms_;
  FlatMap<std::vector<EmotionWeight>> stems_;
  std::size_t size_ = 0;
  int max_words_ = 1;
};

// term<TAB>valence lines; '#' starts a comment line; blank lines skipped.
// Valence must be a number in [-4, 4].
Result<ValenceTable> parse_valence_tsv(std::string_view text, std::string_view origin);

// VADER's vader_lexicon.txt: token<TAB>mean<TAB>sd<TAB>ratings.
Result<ValenceTable> parse_vader_lexicon(std::string_view text, std::string_view origin);

// AFINN: word<TAB>integer in [-5, 5]; valence is scaled by 4/5 to VADER's range.
Result<ValenceTable> parse_afinn(std::string_view text, std::string_view origin);

// term_or_phrase<TAB>emotion<TAB>weight; emotion must be one of
// emotion_labels() other than "neutral"; weight in [0, 3] (0: a stop phrase
// such as "best regards" that consumes its words without an emotion).
Result<EmotionLexicon> parse_emotion_tsv(std::string_view text, std::string_view origin);

// Serialises a table in our valence TSV format, with a header comment.
std::string write_valence_tsv(const ValenceTable& table, std::string_view header);

}  // namespace cxmap
