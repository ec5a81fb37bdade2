// bench/sentiment_eval: how well the tagger's sentiment agrees with human
// ratings on a labelled file.
//
//   sentiment_eval FILE.tsv [--no-cx] [--npm] [--errors N]
//
// FILE has rows id<TAB>human rating in [-4, 4]<TAB>text ('#' comments and a
// header line allowed). Each text is scored as `cxmap tag` scores it:
// Pipeline::tag_text(text).sentiment.compound (the mean of the opinionated
// customer sentences). Prints n, Pearson r between rating and compound,
// 3-class accuracy and macro-F1 (labels as in report/metrics.h), per-class
// precision/recall/F1 and the confusion matrix.
// --no-cx scores the same way through a pipeline built with the CX layer off
// (PipelineOptions{false}: plain VADER rules per sentence, same text-level mean).
// --npm also scores each whole text with the npm VADER port (as the original
// VADER is used: one unit per text), when node and the package are present.
// --errors N lists the N worst disagreements. Prints figures; asserts nothing.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/context.h"
#include "report/metrics.h"

using namespace cxmap;

namespace {

// Compounds from the npm port, one per text; empty when it cannot run.
std::vector<double> npm_compounds(const std::vector<RatedText>& rows) {
  const std::string npm = std::string(CXMAP_BUILD_DIR) + "/npm/node_modules/vader-sentiment";
  if (!std::filesystem::exists(npm) || std::system("command -v node >/dev/null 2>&1") != 0) return {};
  const auto tmp = std::filesystem::temp_directory_path() / "cxmap-sentiment-eval.txt";
  {
    std::ofstream out(tmp);
    for (const auto& r : rows) {
      std::string t = r.text;
      std::replace(t.begin(), t.end(), '\n', ' ');
      out << t << '\n';
    }
  }
  const std::string cmd = "CXMAP_NPM_DIR='" + std::string(CXMAP_BUILD_DIR) + "/npm' node '" +
                          std::string(CXMAP_SOURCE_DIR) + "/tests/tools/vader_reference.js' --stdin < '" +
                          tmp.string() + "'";
  std::vector<double> out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[64];
    while (std::fgets(buf, sizeof buf, p)) out.push_back(std::atof(buf));
    ::pclose(p);
  }
  std::filesystem::remove(tmp);
  if (out.size() != rows.size()) return {};
  return out;
}

void report(const char* title, const std::vector<RatedText>& rows, const std::vector<double>& scores,
            int errors) {
  std::vector<double> ratings;
  std::vector<Polarity> gold, predicted;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ratings.push_back(rows[i].rating);
    gold.push_back(polarity_of_rating(rows[i].rating));
    predicted.push_back(polarity_of_score(scores[i]));
  }
  const ClassificationFigures f = classification_figures(gold, predicted);
  std::printf("== %s\n", title);
  std::printf("n %d  pearson_r %.3f  accuracy %.3f  macro_f1 %.3f\n", f.n, pearson(ratings, scores),
              f.accuracy, f.macro_f1);
  std::fputs(format_figures(f).c_str(), stdout);
  if (errors <= 0) return;
  std::vector<std::size_t> wrong;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (gold[i] != predicted[i]) wrong.push_back(i);
  std::sort(wrong.begin(), wrong.end(), [&](std::size_t a, std::size_t b) {
    return std::fabs(rows[a].rating / 4 - scores[a]) > std::fabs(rows[b].rating / 4 - scores[b]);
  });
  std::printf("disagreements (%zu; human rating, score):\n", wrong.size());
  for (std::size_t k = 0; k < wrong.size() && k < static_cast<std::size_t>(errors); ++k) {
    const auto& r = rows[wrong[k]];
    std::printf("  %s\t%+.1f\t%+.3f\t%s\n", r.id.c_str(), r.rating, scores[wrong[k]], r.text.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Sentiment against human ratings: Pearson r, 3-class accuracy and macro-F1"};
  std::string file;
  bool no_cx = false, npm = false;
  int errors = 0;
  GlobalOptions options;
  app.add_option("file", file, "TSV: id, human rating in [-4, 4], text")->required();
  app.add_flag("--no-cx", no_cx, "Score with the CX layer off (plain VADER rules)");
  app.add_flag("--npm", npm, "Also score each whole text with the npm VADER port");
  app.add_option("--errors", errors, "List this many of the worst disagreements");
  app.add_option("--share", options.share_dir, "Resource dir");
  CLI11_PARSE(app, argc, argv);
  resolve_defaults(options, argv[0]);

  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(make_error(ErrorKind::input, "cannot read " + file));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string error;
  const std::vector<RatedText> rows = parse_rated_texts(ss.str(), &error);
  if (rows.empty()) return fail(make_error(ErrorKind::input, file + ": " + error));

  auto resources = load_pipeline_resources(options);
  if (!resources) return fail(resources.error());
  const Pipeline pipeline(*resources, cx_options(!no_cx));

  std::printf("file %s\n", file.c_str());
  std::vector<double> scores;
  for (const auto& r : rows) scores.push_back(pipeline.tag_text(r.text).sentiment.compound);
  report(no_cx ? "cxmap, CX layer off (VADER rules per sentence, mean of opinionated sentences)"
               : "cxmap tag_text (CX layer on)",
         rows, scores, errors);
  if (npm) {
    std::vector<double> ref = npm_compounds(rows);
    if (ref.empty())
      std::printf("== npm vader-sentiment: skipped (node or the package missing)\n");
    else
      report("npm vader-sentiment 1.1.3, whole text as one unit", rows, ref, errors);
  }
  return 0;
}
