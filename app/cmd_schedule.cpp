// cxmap schedule: one long-running process that ingests each configured
// source on its own interval, for months, logging one line per run.
//
// Each run is an ordinary ingest of one source (app/ingest_job.h), so it
// takes the writer lock, resumes from the source's cursor and commits in
// batches. A run that finds the lock held (a manual `cxmap ingest`) is logged
// as busy and tried again at the next interval. SIGTERM or SIGINT lets the
// current batch commit, then the process exits 0.
#include <chrono>
#include <iostream>
#include <thread>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "app/commands.h"
#include "app/ingest_job.h"
#include "app/progress_line.h"
#include "app/stop_signal.h"
#include "report/writer.h"

namespace cxmap {

namespace {

using Clock = std::chrono::steady_clock;

struct ScheduleArgs {
  std::string config;
  std::string default_interval = "15m";
  bool once = false;
  int batch = 1000;
  int jobs = 0;
  int shards = 0;
};

// "90", "90s", "15m", "2h", "1d" -> seconds; -1 when malformed or not positive.
long parse_interval(const std::string& text) {
  if (text.empty()) return -1;
  std::size_t used = 0;
  long n = 0;
  try {
    n = std::stol(text, &used);
  } catch (const std::exception&) {
    return -1;
  }
  const std::string unit = text.substr(used);
  long scale = 0;
  if (unit.empty() || unit == "s") scale = 1;
  else if (unit == "m") scale = 60;
  else if (unit == "h") scale = 3600;
  else if (unit == "d") scale = 86400;
  if (scale == 0 || n <= 0) return -1;
  return n * scale;
}

// The source's "interval" setting (a string like "5m" or a number of
// seconds), or the default.
Result<long> interval_of(const SourceSpec& spec, long fallback) {
  Poco::JSON::Parser parser;
  auto settings = parser.parse(spec.settings).extract<Poco::JSON::Object::Ptr>();
  if (!settings->has("interval")) return fallback;
  const std::string text = settings->get("interval").convert<std::string>();
  const long seconds = parse_interval(text);
  if (seconds < 0)
    return make_error(ErrorKind::config, "source '" + spec.name + "': bad \"interval\" '" + text +
                                             "' (expected seconds, or a number with s, m, h or d)");
  return seconds;
}

struct Slot {
  SourceSpec spec;
  long interval_s = 0;
  Clock::time_point due;
};

// One log line per run: time, source, outcome and counts, key=value so a log
// shipper can parse it.
void log_run(const std::string& source, const Result<IngestReport>& report) {
  std::cout << utc_now() << " source=" << source;
  if (!report) {
    std::cout << " status=" << (report.error().kind == ErrorKind::busy ? "busy" : "error")
              << " error=\"" << report.error().message << "\"\n";
  } else {
    const IngestReport& r = *report;
    const IngestCounts& c = r.counts;
    const char* status = !r.failures.empty()    ? "failed"
                         : r.stopped            ? "stopped"
                         : c.quarantined > 0    ? "rejects"
                                                : "ok";
    std::cout << " run=" << r.run_id << " status=" << status << " read=" << c.read << " ingested=" << c.ingested
              << " duplicate=" << c.duplicate << " quarantined=" << c.quarantined << " events=" << c.events
              << " redacted=" << c.redacted_total()
              << " seconds=" << format_fixed(r.seconds, 2);
    for (const SourceFailure& f : r.failures) std::cout << " error=\"" << f.error.message << "\"";
    std::cout << '\n';
  }
  std::cout.flush();
}

int run(const ScheduleArgs& args, const GlobalOptions& options) {
  install_stop_handlers();
  const long fallback = parse_interval(args.default_interval);
  if (fallback < 0)
    return fail(make_error(ErrorKind::usage, "schedule: bad --interval '" + args.default_interval + "'"));
  auto sources = load_sources_config(args.config);
  if (!sources) return fail(sources.error());
  auto customers = load_customer_aliases(args.config);
  if (!customers) return fail(customers.error());
  std::vector<Slot> slots;
  const auto start = Clock::now();
  for (SourceSpec& spec : *sources) {
    auto interval = interval_of(spec, fallback);
    if (!interval) return fail(interval.error());
    slots.push_back({std::move(spec), *interval, start});
  }
  if (slots.empty()) return fail(make_error(ErrorKind::config, args.config + ": no sources to schedule"));

  auto resources = load_pipeline_resources(options);
  if (!resources) return fail(resources.error());
  Pipeline pipeline(*resources);

  std::cout << utc_now() << " schedule: " << slots.size() << " sources from " << args.config << " into "
            << options.data_dir << '\n';
  std::cout.flush();
  int worst = kExitOk;
  while (!stop_signal_received()) {
    for (Slot& slot : slots) {
      if (stop_signal_received()) break;
      if (Clock::now() < slot.due) continue;
      ProgressLine progress(slot.spec.name + ": ");
      IngestOptions io;
      io.data_dir = options.data_dir;
      io.batch_size = args.batch;
      io.jobs = args.jobs;
      io.shards = args.shards;
      io.customers = *customers;
      io.stop_requested = stop_signal_received;
      io.progress = [&](const IngestCounts& c) { progress.update(c); };
      auto report = run_ingest({slot.spec}, pipeline, io);
      progress.clear();
      log_run(slot.spec.name, report);
      // A busy lock is not a failure of the job: the next interval retries.
      if (!report) {
        if (report.error().kind != ErrorKind::busy) worst = std::max(worst, exit_code(report.error().kind));
      } else if (!report->failures.empty()) {
        worst = std::max(worst, exit_code(report->failures.front().error.kind));
      }
      // The next run is an interval after this one ended, so a slow source
      // never queues runs behind itself.
      slot.due = Clock::now() + std::chrono::seconds(slot.interval_s);
    }
    if (args.once) return worst;
    auto next = slots.front().due;
    for (const Slot& s : slots) next = std::min(next, s.due);
    // Short naps, so a signal is seen within a fraction of a second even if
    // it arrived between the check and the sleep.
    while (!stop_signal_received() && Clock::now() < next)
      std::this_thread::sleep_for(std::min<Clock::duration>(next - Clock::now(), std::chrono::milliseconds(200)));
  }
  std::cout << utc_now() << " schedule: stopped by signal " << stop_signal_number() << '\n';
  return kExitOk;
}

}  // namespace

void setup_schedule(CLI::App& root, CommandEnv env) {
  auto args = std::make_shared<ScheduleArgs>();
  CLI::App* cmd = root.add_subcommand(
      "schedule",
      "Ingest each configured source on its own interval, in one long-running process.\n"
      "A source's \"interval\" setting (\"30s\", \"5m\", \"1h\", \"1d\" or seconds) overrides --interval.\n"
      "Logs one line per run on stdout; SIGTERM finishes the current batch and exits 0.");
  cmd->add_option("--config", args->config, "JSON config listing the sources")->required();
  cmd->add_option("--interval", args->default_interval, "Interval for sources without one")
      ->capture_default_str();
  add_ingest_tuning_options(*cmd, args->batch, args->jobs, args->shards);
  cmd->add_flag("--once", args->once, "Run every source once, then exit (for cron and tests)");
  cmd->footer(
      "Exit codes: 0 after SIGTERM/SIGINT; with --once, the worst of its runs (4 input, 5 store, 3 config).");
  cmd->callback([env, args] { env.exit_code = run(*args, env.options); });
}

}  // namespace cxmap
