// bench/tag_throughput: how fast the pipeline tags text on one core.
//
// Collects the customer texts of a corpus (default: the bundled demo corpus,
// read through the real connectors) and repeats them until --mb megabytes.
// Three timed passes on this thread, then the npm VADER port:
//   1. the tagger (issue 3's target): normalize + segment + sentiment +
//      emotion, calling the pipeline's stage functions directly;
//   2. Pipeline::tag_text: the same plus language, touchpoint/stage, pain
//      points and the text-level summary;
//   3. a per-stage breakdown with a timer around every stage call (on
//      --stage-mb of text; the timers cost a little, so the sum is a bit
//      above pass 2);
// then, when node and the npm vader-sentiment package are present, a --node-mb
// sample of the same text through the npm port, with the ratios.
// --dump FILE writes every field tag_text produces for each distinct text at
// full precision and exits: diff two dumps to prove a speed change kept the
// results. Rates are per second of this thread's CPU time (one core, and
// fair while other processes load the machine); the npm port is timed by its
// process CPU time. Prints figures; asserts nothing.
#include <CLI/CLI.hpp>

#include <time.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/context.h"
#include "connectors/source.h"
#include "pipeline/emotion.h"
#include "pipeline/journey.h"
#include "pipeline/language.h"
#include "pipeline/normalize.h"
#include "pipeline/pain_points.h"
#include "pipeline/segment.h"
#include "pipeline/sentiment.h"

using namespace cxmap;

namespace {

using Clock = std::chrono::steady_clock;

class TextCollector : public RecordSink {
 public:
  void feedback(RawFeedback&& r) override {
    for (auto& t : r.turns)
      if (t.speaker == Speaker::customer && !t.text.empty()) texts.push_back(std::move(t.text));
  }
  void reject(Quarantined&&) override {}
  std::vector<std::string> texts;
};

// CPU time of this thread: the one-core figure, and fair when other
// processes share the machine (wall time is printed beside it).
double thread_cpu_seconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Timer {
  Clock::time_point wall0 = Clock::now();
  double cpu0 = thread_cpu_seconds();
  double wall() const { return std::chrono::duration<double>(Clock::now() - wall0).count(); }
  double cpu() const { return thread_cpu_seconds() - cpu0; }
};

// Calls f(text) over the texts, round and round, until `target` bytes.
template <typename F>
std::size_t repeat_until(const std::vector<std::string>& texts, std::size_t target, F&& f) {
  std::size_t bytes = 0;
  while (bytes < target)
    for (const auto& t : texts) {
      f(t);
      bytes += t.size();
      if (bytes >= target) break;
    }
  return bytes;
}

void dump(const Pipeline& pipeline, const std::vector<std::string>& texts, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    TextTags t = pipeline.tag_text(texts[i]);
    std::fprintf(f, "text %zu: %.17g %.17g %.17g %.17g %s stage=%s tp=%s lang=%s invalid=%d emotions=", i,
                 t.sentiment.compound, t.sentiment.pos, t.sentiment.neu, t.sentiment.neg, t.label.c_str(),
                 t.stage.c_str(), t.touchpoint.c_str(), t.language.c_str(), t.invalid_utf8);
    for (const auto& e : t.emotions) std::fprintf(f, "%s,", e.c_str());
    std::fprintf(f, "\n");
    for (const Event& e : t.events) {
      std::fprintf(f, "  [%d %zu-%zu] %s\n    %.17g %.17g %.17g %.17g %s %s %s |", e.ordinal, e.start, e.end,
                   e.sentence.c_str(), e.sentiment.compound, e.sentiment.pos, e.sentiment.neu, e.sentiment.neg,
                   e.emotion.c_str(), e.stage.c_str(), e.touchpoint.c_str());
      for (const auto& [label, w] : e.emotions) std::fprintf(f, " %s=%.17g", label.c_str(), w);
      std::fprintf(f, " |");
      for (const PainPoint& p : e.pains) std::fprintf(f, " %s=%.17g%s", p.kind.c_str(), p.value, p.unit.c_str());
      std::fprintf(f, "\n");
    }
  }
  std::fclose(f);
}

// Per-stage seconds for pass 3.
struct StageTimes {
  double normalize = 0, segment = 0, language = 0, sentiment = 0, emotion = 0, journey = 0, pain = 0;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Tagging throughput on one core, and the npm VADER port on the same text"};
  std::vector<std::string> paths;
  double mb = 100, node_mb = 2, stage_mb = 20;
  bool skip_full = false, icu_words = false;
  GlobalOptions options;
  std::string dump_path;
  app.add_option("--corpus", paths, "Files or folders to read texts from (default: examples/)");
  app.add_option("--mb", mb, "Megabytes of text to tag");
  app.add_flag("--skip-full", skip_full, "Time only the tagger pass (for profiling it)");
  app.add_flag("--icu-words", icu_words,
               "Tagger pass: ICU's word iterator for every sentence (tokenize_icu), to compare with the ASCII fast path");
  app.add_option("--stage-mb", stage_mb, "Megabytes for the per-stage breakdown (0: skip)");
  app.add_option("--node-mb", node_mb, "Megabytes to run through the npm port (0: skip)");
  app.add_option("--share", options.share_dir, "Resource dir");
  app.add_option("--dump", dump_path, "Write tag_text output of every distinct text to FILE and exit");
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
  const Resources& res = **resources;
  const auto& texts = collector.texts;

  if (!dump_path.empty()) {
    dump(pipeline, texts, dump_path);
    std::printf("dumped %zu texts to %s\n", texts.size(), dump_path.c_str());
    return 0;
  }

  const std::size_t target = static_cast<std::size_t>(mb * 1e6);
  std::size_t distinct_bytes = 0;
  for (const auto& t : texts) distinct_bytes += t.size();
  std::printf("corpus: %zu distinct texts (%.2f MB) from %zu paths, repeated to %.1f MB\n", texts.size(),
              distinct_bytes / 1e6, paths.size(), mb);

  // 1. The tagger: normalize + segment + sentiment + emotion.
  std::size_t sentences = 0;
  double checksum = 0;
  Timer t1;
  std::size_t bytes = repeat_until(texts, target, [&](const std::string& t) {
    NormalizedText norm = normalize_text(t);
    for (const SentenceSpan& span : split_sentences(norm.text)) {
      const std::string_view sentence = std::string_view(norm.text).substr(span.start, span.end - span.start);
      std::vector<Token> tokens = icu_words ? tokenize_icu(sentence) : tokenize(sentence);
      checksum += score_sentence(tokens, res.valence).compound;
      checksum += static_cast<double>(detect_emotions(tokens, res.emotions).weights.size());
      ++sentences;
    }
  });
  double secs = t1.cpu();
  const double tagger_rate = bytes / 1e6 / secs;
  std::printf("TARGET normalize+segment+sentiment+emotion (1 core): %.2f MB/s, %.0f sentences/s (%.1f MB in %.2f s CPU, %.2f s wall; checksum %.3f)\n",
              tagger_rate, sentences / secs, bytes / 1e6, secs, t1.wall(), checksum);

  // 2. The whole of tag_text.
  if (skip_full) return 0;
  sentences = 0;
  checksum = 0;
  std::size_t ntexts = 0;
  Timer t2;
  bytes = repeat_until(texts, target, [&](const std::string& t) {
    TextTags tags = pipeline.tag_text(t);
    sentences += tags.events.size();
    checksum += tags.sentiment.compound;
    ++ntexts;
  });
  secs = t2.cpu();
  const double full_rate = bytes / 1e6 / secs;
  std::printf("TARGET full tag_text (1 core): %.2f MB/s, %.0f sentences/s, %.0f texts/s (%.1f MB in %.2f s CPU, %.2f s wall; checksum %.3f)\n",
              full_rate, sentences / secs, ntexts / secs, bytes / 1e6, secs, t2.wall(), checksum);

  // 3. Per stage, with a timer around each call.
  if (stage_mb > 0) {
    StageTimes st;
    auto lap = [](Clock::time_point& t, double& acc) {
      auto now = Clock::now();
      acc += std::chrono::duration<double>(now - t).count();
      t = now;
    };
    std::size_t stage_bytes = repeat_until(texts, static_cast<std::size_t>(stage_mb * 1e6), [&](const std::string& t) {
      auto c = Clock::now();
      NormalizedText norm = normalize_text(t);
      lap(c, st.normalize);
      for (const SentenceSpan& span : split_sentences(norm.text)) {
        std::string_view sentence = std::string_view(norm.text).substr(span.start, span.end - span.start);
        std::vector<Token> tokens = tokenize(sentence);
        lap(c, st.segment);
        checksum += detect_language(tokens, "en").size();
        lap(c, st.language);
        checksum += score_sentence(tokens, res.valence).compound;
        lap(c, st.sentiment);
        checksum += static_cast<double>(detect_emotions(tokens, res.emotions).weights.size());
        lap(c, st.emotion);
        std::string folded = fold_case(sentence);
        checksum += classify(tokens, folded, res.journey).stage_score;
        lap(c, st.journey);
        checksum += static_cast<double>(detect_pain_points(tokens, folded).size());
        lap(c, st.pain);
      }
      lap(c, st.segment);  // split_sentences of an empty text, loop exit
    });
    const double mbs = stage_bytes / 1e6;
    const double total = st.normalize + st.segment + st.language + st.sentiment + st.emotion + st.journey + st.pain;
    std::printf("per stage on %.1f MB (timer around each call; journey includes fold_case of the sentence):\n", mbs);
    const std::pair<const char*, double> rows[] = {{"normalize", st.normalize}, {"segment", st.segment},
                                                   {"language", st.language},   {"sentiment", st.sentiment},
                                                   {"emotion", st.emotion},     {"journey", st.journey},
                                                   {"pain", st.pain}};
    for (const auto& [name, s] : rows)
      std::printf("  %-10s %7.3f s  %5.1f%%  %8.1f MB/s alone\n", name, s, 100 * s / total, mbs / s);
    std::printf("  %-10s %7.3f s          %8.1f MB/s\n", "sum", total, mbs / total);
  }

  // The npm port on a sample of the same texts.
  const std::string npm = std::string(CXMAP_BUILD_DIR) + "/npm/node_modules/vader-sentiment";
  if (node_mb <= 0 || !std::filesystem::exists(npm) || std::system("command -v node >/dev/null 2>&1") != 0) {
    std::printf("npm vader-sentiment: skipped (--node-mb 0, or node or %s missing)\n", npm.c_str());
    return 0;
  }
  const std::string sample = (std::filesystem::temp_directory_path() / "cxmap-bench-sample.txt").string();
  std::size_t sample_bytes = 0;
  {
    std::ofstream out(sample);
    while (sample_bytes < node_mb * 1e6)
      for (const auto& t : texts) {
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
      "const c0=process.cpuUsage();let s=0;"
      "for(const l of lines)s+=v.SentimentIntensityAnalyzer.polarity_scores(l).compound;"
      "const c=process.cpuUsage(c0);const secs=(c.user+c.system)/1e6;"
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
  std::printf("npm vader-sentiment (sentiment only, 1 core): %.3f MB/s on %.1f MB (%.2f s CPU)\n", node_rate,
              sample_bytes / 1e6, node_secs);
  std::printf("ratio tagger / npm port: %.1fx; full tag_text / npm port: %.1fx\n", tagger_rate / node_rate,
              full_rate / node_rate);
  return 0;
}
