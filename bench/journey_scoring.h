// Scoring of the journey classifier against a hand-labelled TSV (shared by
// bench/journey_eval and tests/unit/journey_eval_test.cpp): reads rows
// (id, stage, touchpoint, pains, text), tags each text with Pipeline::tag_text
// (the text-level stage and touchpoint `cxmap tag` prints, and the union of
// its events' pain kinds), and computes per-label precision, recall and F1,
// macro-F1 over the labels present in the gold column, a confusion matrix,
// and pain-point precision and recall over (row, kind) pairs. Header-only,
// standard library and the pipeline only.
#pragma once

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/pipeline.h"

namespace cxmap::eval {

struct LabelledRow {
  int line = 0;
  std::string id, stage, touchpoint, text;
  std::set<std::string> pains;
};

inline std::set<std::string> split_pains(const std::string& s) {
  std::set<std::string> out;
  if (s == "-" || s.empty()) return out;
  std::stringstream ss(s);
  std::string k;
  while (std::getline(ss, k, ','))
    if (!k.empty()) out.insert(k);
  return out;
}

// Rows of a TSV file; '#' lines and blank lines are skipped; a malformed row
// is reported through bad (line numbers).
inline std::vector<LabelledRow> read_labelled(const std::string& path, std::vector<int>* bad = nullptr) {
  std::ifstream in(path);
  std::vector<LabelledRow> rows;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string x;
    while (std::getline(ss, x, '\t')) f.push_back(x);
    if (f.size() != 5) {
      if (bad) bad->push_back(n);
      continue;
    }
    rows.push_back({n, f[0], f[1], f[2], f[4], split_pains(f[3])});
  }
  return rows;
}

struct LabelScore {
  int tp = 0, fp = 0, fn = 0, support = 0;
  double precision() const { return tp + fp ? double(tp) / (tp + fp) : 0; }
  double recall() const { return tp + fn ? double(tp) / (tp + fn) : 0; }
  double f1() const {
    double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

struct AxisScore {
  std::map<std::string, LabelScore> labels;
  std::map<std::string, std::map<std::string, int>> confusion;  // gold -> predicted -> n
  int correct = 0, total = 0;
  void add(const std::string& gold, const std::string& pred) {
    ++total;
    ++confusion[gold][pred];
    ++labels[gold].support;
    if (gold == pred) {
      ++correct;
      ++labels[gold].tp;
    } else {
      ++labels[gold].fn;
      ++labels[pred].fp;
    }
  }
  // Macro-F1 over labels that occur in the gold column.
  double macro_f1() const {
    double sum = 0;
    int n = 0;
    for (const auto& [name, s] : labels)
      if (s.support > 0) {
        sum += s.f1();
        ++n;
      }
    return n ? sum / n : 0;
  }
  double accuracy() const { return total ? double(correct) / total : 0; }
};

struct Prediction {
  std::string stage, touchpoint;
  std::set<std::string> pains;
};

struct EvalResult {
  AxisScore stage, touchpoint;
  std::map<std::string, LabelScore> pain_kinds;
  LabelScore pains;  // micro over (row, kind)
  std::vector<std::pair<const LabelledRow*, Prediction>> predictions;
};

inline Prediction predict(const Pipeline& p, const std::string& text) {
  TextTags t = p.tag_text(text);
  Prediction out{t.stage, t.touchpoint, {}};
  for (const Event& e : t.events)
    for (const PainPoint& pp : e.pains) out.pains.insert(pp.kind);
  return out;
}

inline EvalResult evaluate(const Pipeline& p, const std::vector<LabelledRow>& rows) {
  EvalResult r;
  for (const LabelledRow& row : rows) {
    Prediction pred = predict(p, row.text);
    r.stage.add(row.stage, pred.stage);
    r.touchpoint.add(row.touchpoint, pred.touchpoint);
    for (const auto& k : row.pains) {
      ++r.pain_kinds[k].support;
      if (pred.pains.count(k)) ++r.pain_kinds[k].tp, ++r.pains.tp;
      else ++r.pain_kinds[k].fn, ++r.pains.fn;
    }
    for (const auto& k : pred.pains)
      if (!row.pains.count(k)) ++r.pain_kinds[k].fp, ++r.pains.fp;
    r.predictions.emplace_back(&row, std::move(pred));
  }
  return r;
}

}  // namespace cxmap::eval
