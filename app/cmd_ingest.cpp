// cxmap ingest: read sources into the store and index.
#include <iostream>

#include "app/commands.h"
#include "app/ingest_job.h"
#include "app/progress_line.h"
#include "app/stop_signal.h"
#include "report/writer.h"

namespace cxmap {

namespace {

struct IngestArgs {
  std::vector<std::string> paths;
  std::string config;
  int batch = 1000;
  int jobs = 0;
  int shards = 0;
  bool quiet = false;
  bool timings = false;
};

// One line per stage with its share of the summed stage time.
void print_stage_times(const IngestStageTimes& t, double wall) {
  const std::pair<const char*, double> stages[] = {{"read", t.read},   {"tag", t.tag},     {"store", t.store},
                                                   {"index", t.index}, {"links", t.links}, {"wait", t.wait}};
  double sum = 0;
  for (const auto& [name, seconds] : stages) sum += seconds;
  std::cout << "stage times (seconds summed over threads; wall " << format_fixed(wall, 2) << " s):\n";
  for (const auto& [name, seconds] : stages) {
    std::string label = name;
    label.resize(8, ' ');
    std::cout << "  " << label << format_fixed(seconds, 2) << " s  "
              << format_fixed(sum > 0 ? 100 * seconds / sum : 0, 1) << "%\n";
  }
}

int run(const IngestArgs& args, const GlobalOptions& options) {
  install_stop_handlers();
  std::vector<SourceSpec> sources;
  CustomerAliases customers;
  if (!args.config.empty()) {
    auto loaded = load_sources_config(args.config);
    if (!loaded) return fail(loaded.error());
    sources = std::move(*loaded);
    auto aliases = load_customer_aliases(args.config);
    if (!aliases) return fail(aliases.error());
    customers = std::move(*aliases);
  }
  for (const std::string& path : args.paths) {
    auto spec = detect_source(path);
    if (!spec) return fail(spec.error());
    sources.push_back(std::move(*spec));
  }
  if (sources.empty())
    return fail(make_error(ErrorKind::usage, "ingest: give one or more PATHs or --config FILE"));

  auto resources = load_pipeline_resources(options);
  if (!resources) return fail(resources.error());
  Pipeline pipeline(*resources);

  ProgressLine progress;
  IngestOptions io;
  io.stop_requested = stop_signal_received;
  io.data_dir = options.data_dir;
  io.batch_size = args.batch;
  io.jobs = args.jobs;
  io.shards = args.shards;
  io.customers = std::move(customers);
  if (!args.quiet) io.progress = [&](const IngestCounts& c) { progress.update(c); };
  io.on_reject = [&](const Quarantined& q) {
    progress.clear();
    std::cerr << "cxmap: quarantined " << q.locator << ": " << q.reason << '\n';
  };
  auto report = run_ingest(sources, pipeline, io);
  progress.clear();
  if (!report) return fail(report.error());
  for (const SourceFailure& f : report->failures) {
    // Connectors name their source already ("source 'x': ..."); don't say it twice.
    const bool named = f.error.message.rfind("source '", 0) == 0;
    std::cerr << "cxmap: " << (named ? "" : "source " + f.source + ": ") << f.error.message << '\n';
  }

  const IngestCounts& c = report->counts;
  const double rate = report->seconds > 0 ? c.read / report->seconds : 0;
  std::cout << "ingest run " << report->run_id << ": read " << c.read << ", ingested " << c.ingested
            << ", duplicate " << c.duplicate << ", quarantined " << c.quarantined;
  if (c.replaced > 0) std::cout << " (" << c.replaced << " of the ingested replaced older revisions)";
  std::cout << "; " << c.events
            << " events, " << report->indexed << " indexed in " << format_fixed(report->seconds, 2)
            << " s (" << format_fixed(rate, 0) << " records/s)";
  if (c.redacted_total() > 0) {
    std::cout << "; redacted";
    const char* sep = " ";
    for (std::size_t t = 0; t < c.redacted.size(); ++t) {
      if (c.redacted[t] == 0) continue;
      std::cout << sep << c.redacted[t] << ' ' << redaction_type_name(static_cast<RedactionType>(t));
      sep = ", ";
    }
  }
  if (report->links_dead_end + report->links_repeat_contact > 0)
    std::cout << "; journey links: " << report->links_dead_end << " dead_end, " << report->links_repeat_contact
              << " repeat_contact";
  std::cout << '\n';
  if (args.timings) print_stage_times(report->times, report->seconds);
  if (report->stopped)
    std::cerr << "cxmap: stopped by signal " << stop_signal_number()
              << " after committing the records read so far; rerun to continue\n";
  if (report->stopped) return 128 + stop_signal_number();
  if (!report->failures.empty()) return exit_code(report->failures.front().error.kind);
  return c.quarantined > 0 ? kExitQuarantined : kExitOk;
}

}  // namespace

void add_ingest_tuning_options(CLI::App& cmd, int& batch, int& jobs, int& shards) {
  cmd.add_option("--batch", batch, "Records per transaction")->check(CLI::Range(1, 1000000));
  cmd.add_option("--jobs", jobs,
                 "Threads tagging feedback (0: one per core); above 1 the index is also built on a thread "
                 "of its own, 1 does all work on one thread")
      ->check(CLI::Range(0, 256));
  cmd.add_option("--shards", shards,
                 "For a new index: split it into N Xapian databases, searched as one (default 1). An "
                 "existing index keeps its count; another N is an error (`cxmap reindex --shards N` changes it)")
      ->check(CLI::Range(1, 64));
}

void setup_ingest(CLI::App& root, CommandEnv env) {
  auto args = std::make_shared<IngestArgs>();
  CLI::App* cmd = root.add_subcommand(
      "ingest",
      "Read feedback from files or configured sources into the store and index.\n"
      "Each PATH is detected: mbox file, Maildir, .eml file or folder, chat .json file or\n"
      "folder, survey .csv. Re-ingesting the same input adds nothing.");
  cmd->add_option("PATH", args->paths, "Files or folders to ingest");
  cmd->add_option("--config", args->config, "JSON config listing the sources (see config/demo.json)")
      ->check(CLI::ExistingFile);
  add_ingest_tuning_options(*cmd, args->batch, args->jobs, args->shards);
  cmd->add_flag("--quiet,-q", args->quiet, "No progress line");
  cmd->add_flag("--timings", args->timings,
                "After the summary, print where the time went: read, tag, store, index, links and "
                "the writer's waits, summed over threads");
  cmd->footer("Exit codes: 0 ok, 10 finished with quarantined records, 4 a source could not be read,\n"
              "3 bad config, 5 store error.");
  cmd->callback([args, env] { env.exit_code = run(*args, env.options); });
}

}  // namespace cxmap
