// Pearson r and 3-class figures (see metrics.h for the label thresholds).
#include "report/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace cxmap {

const char* polarity_name(Polarity p) {
  switch (p) {
    case Polarity::neg:
      return "neg";
    case Polarity::neu:
      return "neu";
    case Polarity::pos:
      return "pos";
  }
  return "neu";
}

Polarity polarity_of_score(double compound, double threshold) {
  if (compound >= threshold) return Polarity::pos;
  if (compound <= -threshold) return Polarity::neg;
  return Polarity::neu;
}

Polarity polarity_of_rating(double rating, double threshold) {
  if (rating > threshold) return Polarity::pos;
  if (rating < -threshold) return Polarity::neg;
  return Polarity::neu;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t n = x.size();
  if (n < 2 || y.size() != n) return std::numeric_limits<double>::quiet_NaN();
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx <= 0 || syy <= 0) return std::numeric_limits<double>::quiet_NaN();
  return sxy / std::sqrt(sxx * syy);
}

ClassificationFigures classification_figures(const std::vector<Polarity>& gold,
                                             const std::vector<Polarity>& predicted) {
  ClassificationFigures f;
  const std::size_t n = std::min(gold.size(), predicted.size());
  f.n = static_cast<int>(n);
  if (n == 0) return f;
  int correct = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto g = static_cast<std::size_t>(gold[i]), p = static_cast<std::size_t>(predicted[i]);
    ++f.confusion[g][p];
    if (g == p) ++correct;
  }
  f.accuracy = static_cast<double>(correct) / static_cast<double>(n);
  double f1_sum = 0;
  for (std::size_t c = 0; c < kPolarities; ++c) {
    ClassFigures& k = f.per_class[c];
    for (std::size_t o = 0; o < kPolarities; ++o) {
      k.support += f.confusion[c][o];
      k.predicted += f.confusion[o][c];
    }
    const int tp = f.confusion[c][c];
    k.precision = k.predicted > 0 ? static_cast<double>(tp) / k.predicted : 0.0;
    k.recall = k.support > 0 ? static_cast<double>(tp) / k.support : 0.0;
    k.f1 = k.precision + k.recall > 0 ? 2 * k.precision * k.recall / (k.precision + k.recall) : 0.0;
    f1_sum += k.f1;
  }
  f.macro_f1 = f1_sum / static_cast<double>(kPolarities);
  return f;
}

std::string format_figures(const ClassificationFigures& f) {
  std::string out;
  char line[160];
  out += "class  precision  recall     f1  support\n";
  for (std::size_t c = 0; c < kPolarities; ++c) {
    const ClassFigures& k = f.per_class[c];
    std::snprintf(line, sizeof line, "%-5s  %9.3f  %6.3f  %5.3f  %7d\n",
                  polarity_name(static_cast<Polarity>(c)), k.precision, k.recall, k.f1, k.support);
    out += line;
  }
  out += "confusion (rows: human, columns: tagger)\n";
  out += "         neg    neu    pos\n";
  for (std::size_t g = 0; g < kPolarities; ++g) {
    std::snprintf(line, sizeof line, "%-5s %6d %6d %6d\n", polarity_name(static_cast<Polarity>(g)),
                  f.confusion[g][0], f.confusion[g][1], f.confusion[g][2]);
    out += line;
  }
  return out;
}

std::vector<RatedText> parse_rated_texts(std::string_view content, std::string* error) {
  std::vector<RatedText> rows;
  std::size_t pos = 0;
  int line_no = 0;
  bool seen_header = false;
  while (pos < content.size()) {
    std::size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    const std::size_t t1 = line.find('\t');
    const std::size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) {
      if (error) *error = "line " + std::to_string(line_no) + ": expected id<TAB>score<TAB>text";
      return {};
    }
    RatedText r;
    r.line = line_no;
    r.id = std::string(line.substr(0, t1));
    const std::string score(line.substr(t1 + 1, t2 - t1 - 1));
    r.text = std::string(line.substr(t2 + 1));
    char* stop = nullptr;
    r.rating = std::strtod(score.c_str(), &stop);
    if (score.empty() || stop != score.c_str() + score.size()) {
      if (rows.empty() && !seen_header) {  // a header line before the first row
        seen_header = true;
        continue;
      }
      if (error) *error = "line " + std::to_string(line_no) + ": score '" + score + "' is not a number";
      return {};
    }
    if (r.rating < -4 || r.rating > 4) {
      if (error) *error = "line " + std::to_string(line_no) + ": score outside [-4, 4]";
      return {};
    }
    rows.push_back(std::move(r));
  }
  if (rows.empty() && error) *error = "no rated texts";
  return rows;
}

}  // namespace cxmap
