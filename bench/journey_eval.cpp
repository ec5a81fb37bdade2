// bench/journey_eval: scores stage, touchpoint and pain points against a
// hand-labelled set (default tests/data/journey/journey_dev.tsv): per-label
// precision, recall and F1, macro-F1, a confusion matrix per axis, and
// pain-point precision and recall. --errors lists the rows it gets wrong.
// Prints figures; asserts nothing (tests/unit/journey_eval_test.cpp keeps
// the floor).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "app/context.h"
#include "bench/journey_scoring.h"

using namespace cxmap;
using namespace cxmap::eval;

namespace {

void print_axis(const char* name, const AxisScore& a, const std::vector<std::string>& order) {
  std::printf("\n%s: accuracy %.3f, macro-F1 %.3f (%d rows)\n", name, a.accuracy(), a.macro_f1(), a.total);
  std::printf("  %-20s %9s %9s %9s %8s\n", "label", "precision", "recall", "F1", "support");
  for (const auto& l : order) {
    auto it = a.labels.find(l);
    if (it == a.labels.end()) continue;
    const LabelScore& s = it->second;
    std::printf("  %-20s %9.3f %9.3f %9.3f %8d\n", l.c_str(), s.precision(), s.recall(), s.f1(), s.support);
  }
  std::printf("  confusion (rows gold, columns predicted):\n  %-14s", "");
  std::vector<std::string> cols;
  for (const auto& l : order)
    if (a.labels.count(l)) cols.push_back(l);
  for (const auto& c : cols) std::printf(" %6.6s", c.c_str());
  std::printf("\n");
  for (const auto& g : cols) {
    auto row = a.confusion.find(g);
    if (row == a.confusion.end()) continue;
    std::printf("  %-14s", g.c_str());
    for (const auto& c : cols) {
      auto it = row->second.find(c);
      std::printf(" %6d", it == row->second.end() ? 0 : it->second);
    }
    std::printf("\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Journey classification figures against a hand-labelled TSV"};
  std::string file = std::string(CXMAP_SOURCE_DIR) + "/tests/data/journey/journey_dev.tsv";
  GlobalOptions options;
  bool errors = false;
  app.add_option("FILE", file, "Labelled TSV: id, stage, touchpoint, pains, text");
  app.add_option("--share", options.share_dir, "Resource dir");
  app.add_option("--journey", options.journey, "Journey definition (default: config/journey.json)");
  app.add_flag("--errors", errors, "List the rows whose stage, touchpoint or pains differ");
  CLI11_PARSE(app, argc, argv);
  resolve_defaults(options, argv[0]);
  if (options.journey.empty()) options.journey = std::string(CXMAP_SOURCE_DIR) + "/config/journey.json";
  auto res = load_pipeline_resources(options);
  if (!res) {
    std::cerr << "journey_eval: " << res.error().message << '\n';
    return 3;
  }
  Pipeline pipeline(*res);
  std::vector<int> bad;
  auto rows = read_labelled(file, &bad);
  for (int l : bad) std::cerr << file << ":" << l << ": expected 5 tab-separated fields\n";
  if (rows.empty()) {
    std::cerr << "journey_eval: no rows in " << file << '\n';
    return 2;
  }
  EvalResult r = evaluate(pipeline, rows);
  std::printf("journey_eval: %s, %zu rows\n", file.c_str(), rows.size());
  auto stages = (*res)->journey.stage_names();
  stages.push_back("none");
  auto touchpoints = (*res)->journey.touchpoint_names();
  touchpoints.push_back("none");
  print_axis("stage", r.stage, stages);
  print_axis("touchpoint", r.touchpoint, touchpoints);
  std::printf("\npain points: precision %.3f, recall %.3f, F1 %.3f (tp %d, fp %d, fn %d)\n", r.pains.precision(),
              r.pains.recall(), r.pains.f1(), r.pains.tp, r.pains.fp, r.pains.fn);
  std::printf("  %-20s %9s %9s %9s %8s\n", "kind", "precision", "recall", "F1", "support");
  for (const auto& [k, s] : r.pain_kinds)
    std::printf("  %-20s %9.3f %9.3f %9.3f %8d\n", k.c_str(), s.precision(), s.recall(), s.f1(), s.support);
  std::printf("\nsummary: stage macro-F1 %.3f, touchpoint macro-F1 %.3f, pain precision %.3f, recall %.3f\n",
              r.stage.macro_f1(), r.touchpoint.macro_f1(), r.pains.precision(), r.pains.recall());
  if (errors) {
    std::printf("\nerrors:\n");
    for (const auto& [row, p] : r.predictions) {
      bool s = row->stage != p.stage, t = row->touchpoint != p.touchpoint, pn = row->pains != p.pains;
      if (!s && !t && !pn) continue;
      std::string gp, pp;
      for (const auto& k : row->pains) gp += (gp.empty() ? "" : ",") + k;
      for (const auto& k : p.pains) pp += (pp.empty() ? "" : ",") + k;
      std::printf("%s  %s%s/%s -> %s/%s  pains [%s] -> [%s]\n    %s\n", row->id.c_str(), s ? "S " : "", row->stage.c_str(),
                  row->touchpoint.c_str(), p.stage.c_str(), p.touchpoint.c_str(), gp.c_str(), pp.c_str(),
                  row->text.c_str());
    }
  }
  return 0;
}
