// bench/tag_throughput: how fast the pipeline tags text on one core.
//
// Collects the customer texts of a corpus (default: the bundled demo corpus,
// read through the real connectors), repeats them until --mb megabytes, and
// times Pipeline::tag_text over all of it on this thread: normalize, segment,
// sentiment, emotion, touchpoint/stage and pain points. When node and the
// npm vader-sentiment package are present, the same text (a --node-mb
// sample) goes through the npm VADER port in the same run, and the ratio is
// printed. Prints figures; asserts nothing.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/context.h"
#include "connectors/source.h"

using namespace cxmap;

namespace {

class TextCollector : public RecordSink {
 public:
  void feedback(RawFeedback&& r) override {
    for (auto& t : r.turns)
      if (t.speaker == Speaker::customer && !t.text.empty()) texts.push_back(std::move(t.text));
  }
  void reject(Quarantined&&) override {}
  std::vector<std::string> texts;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Tagging throughput on one core, and the npm VADER port on the same text"};
  std::vector<std::string> paths;
  double mb = 100, node_mb = 2;
  GlobalOptions options;
  std::string npm_dir;
  app.add_option("--corpus", paths, "Files or folders to read texts from (default: examples/)");
  app.add_option("--mb", mb, "Megabytes of text to tag");
  app.add_option("--node-mb", node_mb, "Megabytes to run through the npm port (0: skip)");
  app.add_option("--share", options.share_dir, "Resource dir");
  CLI11_PARSE(app, argc, argv);
  resolve_defaults(options, argv[0]);
  if (paths.empty())
    for (const char* p : {"examples/email/support.mbox", "examples/email/Maildir", "examples/chat",
                          "examples/survey/responses.csv"})
      paths.push_back(std::string(CXMAP_SOURCE_DIR) + "/" + p);

  TextCollector collector;
  for (const auto& p : paths) {
    auto spec = detect_source(p);
    if (!spec) return fail(spec.error());
    auto source = open_source(*spec);
    if (!source) return fail(source.error());
    if (auto s = (*source)->pull(collector); !s) return fail(s.error());
  }
  if (collector.texts.empty()) return fail(make_error(ErrorKind::input, "no customer text in the corpus"));
  auto resources = load_pipeline_resources(options);
  if (!resources) return fail(resources.error());
  Pipeline pipeline(*resources);

  const std::size_t target = static_cast<std::size_t>(mb * 1e6);
  std::size_t bytes = 0, sentences = 0, texts = 0;
  double checksum = 0;
  auto t0 = std::chrono::steady_clock::now();
  while (bytes < target) {
    for (const auto& t : collector.texts) {
      TextTags tags = pipeline.tag_text(t);
      sentences += tags.events.size();
      checksum += tags.sentiment.compound;
      bytes += t.size();
      ++texts;
      if (bytes >= target) break;
    }
  }
  const double secs = seconds_since(t0);
  const double ours = bytes / 1e6 / secs;
  std::printf("corpus: %zu distinct texts from %zu paths, repeated to %.1f MB\n", collector.texts.size(),
              paths.size(), bytes / 1e6);
  std::printf("cxmap tag_text (1 core): %.2f MB/s, %.0f sentences/s, %.0f texts/s (%.2f s; checksum %.3f)\n",
              ours, sentences / secs, texts / secs, secs, checksum);

  // The npm port on a sample of the same texts.
  const std::string npm = std::string(CXMAP_BUILD_DIR) + "/npm/node_modules/vader-sentiment";
  if (node_mb <= 0 || !std::filesystem::exists(npm) || std::system("command -v node >/dev/null 2>&1") != 0) {
    std::printf("npm vader-sentiment: skipped (node or %s missing)\n", npm.c_str());
    return 0;
  }
  const std::string sample = (std::filesystem::temp_directory_path() / "cxmap-bench-sample.txt").string();
  std::size_t sample_bytes = 0;
  {
    std::ofstream out(sample);
    while (sample_bytes < node_mb * 1e6)
      for (const auto& t : collector.texts) {
        std::string line = t;
        for (char& c : line)
          if (c == '\n' || c == '\r') c = ' ';
        out << line << '\n';
        sample_bytes += t.size();
        if (sample_bytes >= node_mb * 1e6) break;
      }
  }
  const std::string script =
      "const v=require('" + npm + "');const fs=require('fs');"
      "const lines=fs.readFileSync('" + sample + "','utf8').split('\\n');"
      "let b=0;for(const l of lines)b+=Buffer.byteLength(l);"
      "const t0=process.hrtime.bigint();let s=0;"
      "for(const l of lines)s+=v.SentimentIntensityAnalyzer.polarity_scores(l).compound;"
      "const secs=Number(process.hrtime.bigint()-t0)/1e9;"
      "console.log((b/1e6/secs).toFixed(3)+' '+secs.toFixed(2));";
  const std::string script_path = sample + ".js";
  std::ofstream(script_path) << script;
  FILE* p = ::popen(("node " + script_path).c_str(), "r");
  char buf[128] = {0};
  double node_rate = 0, node_secs = 0;
  if (p && std::fgets(buf, sizeof buf, p)) std::sscanf(buf, "%lf %lf", &node_rate, &node_secs);
  if (p) ::pclose(p);
  std::filesystem::remove(sample);
  std::filesystem::remove(script_path);
  if (node_rate <= 0) {
    std::printf("npm vader-sentiment: failed to run\n");
    return 0;
  }
  std::printf("npm vader-sentiment (sentiment only, 1 core): %.3f MB/s on %.1f MB (%.2f s)\n", node_rate,
              sample_bytes / 1e6, node_secs);
  std::printf("ratio cxmap / npm port: %.1fx\n", ours / node_rate);
  return 0;
}
