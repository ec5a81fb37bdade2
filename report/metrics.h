// Agreement between a tagger's sentiment scores and human ratings: Pearson r
// and 3-class (negative / neutral / positive) classification figures.
//
// Pure functions over vectors of numbers; no I/O. Used by bench/sentiment_eval
// and the unit tests that keep the dev-set figures from falling.
//
// Labels:
// - a tagger score (VADER compound in [-1, 1]) is positive at >= +0.05,
//   negative at <= -0.05, else neutral (VADER's own thresholds);
// - a human rating on [-4, 4] is positive above +0.5, negative below -0.5,
//   else neutral, so a rating of 0 or +-0.5 ("factual, barely coloured") is
//   neutral.
// Precision of a class that is never predicted is 0 (and so is its F1), as in
// scikit-learn's default; macro-F1 is the unweighted mean over the three
// classes.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cxmap {

enum class Polarity { neg = 0, neu = 1, pos = 2 };
inline constexpr std::size_t kPolarities = 3;

const char* polarity_name(Polarity p);  // "neg" | "neu" | "pos"

inline constexpr double kScoreThreshold = 0.05;
inline constexpr double kRatingThreshold = 0.5;

Polarity polarity_of_score(double compound, double threshold = kScoreThreshold);
Polarity polarity_of_rating(double rating, double threshold = kRatingThreshold);

// Pearson's product-moment correlation; NaN when fewer than two pairs, the
// sizes differ or either side has no variance.
double pearson(const std::vector<double>& x, const std::vector<double>& y);

struct ClassFigures {
  double precision = 0, recall = 0, f1 = 0;
  int support = 0;    // gold items of this class
  int predicted = 0;  // items predicted as this class
};

struct ClassificationFigures {
  int n = 0;
  double accuracy = 0;
  double macro_f1 = 0;
  std::array<ClassFigures, kPolarities> per_class{};                  // indexed by Polarity
  std::array<std::array<int, kPolarities>, kPolarities> confusion{};  // [gold][predicted]
};

// Figures of predicted labels against gold labels (same length; extra items
// of the longer vector are ignored). n = 0 gives all zeros.
ClassificationFigures classification_figures(const std::vector<Polarity>& gold,
                                             const std::vector<Polarity>& predicted);

// The figures as a small plain-text table (per-class P/R/F1 and the confusion
// matrix), as bench/sentiment_eval prints them.
std::string format_figures(const ClassificationFigures& f);

// One row of an evaluation file: id<TAB>human rating in [-4, 4]<TAB>text.
struct RatedText {
  int line = 0;
  std::string id;
  double rating = 0;
  std::string text;
};

// Parses the content of an evaluation file: '#' lines and blank lines are
// skipped, and so is a header line (a first row whose score is not a
// number). On a bad row returns {} and sets *error to "line N: what".
std::vector<RatedText> parse_rated_texts(std::string_view content, std::string* error);

}  // namespace cxmap
