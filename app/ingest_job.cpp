// The ingest job: batching, dedupe, quarantine, index catch-up, run records.
#include "app/ingest_job.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <exception>
#include <future>
#include <memory>
#include <thread>
#include <unordered_set>

#include "app/index_follower.h"
#include "app/worker_pool.h"
#include "db/index.h"
#include "db/journey_links.h"
#include "db/writer_lock.h"
#include "pipeline/elapsed.h"

namespace cxmap {

namespace {

using Clock = std::chrono::steady_clock;

// Adds the time from its construction to its end to a stage's total.
class StageClock {
 public:
  explicit StageClock(double& total) : total_(total), start_(Clock::now()) {}
  ~StageClock() { total_ += seconds_since(start_); }
  StageClock(const StageClock&) = delete;
  StageClock& operator=(const StageClock&) = delete;

 private:
  double& total_;
  Clock::time_point start_;
};

// Receives records from a connector and writes them in batches. Errors from
// the store stop the job (they are not the record's fault); the first one is
// kept and reported.
//
// With a worker pool, tagging runs on the workers: a new feedback is handed
// to the pool and joins a window of records in arrival order; the oldest is
// written when the window is full, and flush() writes them all before the
// batch commits. Checkpoints wait in the same window, so a cursor is still
// saved after (and in the transaction of) the records it covers. A feedback
// id that comes again while its first copy is in the window drains the window
// first, so the duplicate test sees the store as it would without the pool.
// With an index follower, the index catches up on a thread of its own.
class BatchingSink : public RecordSink {
 public:
  BatchingSink(Store& store, Index& index, const Pipeline& pipeline, const IngestOptions& options,
               IngestReport& report, WorkerPool* pool, std::size_t window, IndexFollower* follower)
      : store_(store), index_(index), pipeline_(&pipeline), options_(options), report_(report), pool_(pool),
        window_limit_(window), follower_(follower) {}

  void feedback(RawFeedback&& raw) override {
    if (!error_.message.empty() || halted()) return;
    StageClock in_sink(sink_seconds_);
    ++report_.counts.read;
    std::string id = feedback_id(raw.source, raw.external_id);
    if (!ensure_batch()) return;
    if (window_ids_.count(id)) drain();
    if (failed()) return;
    auto stored = [&] {
      StageClock clock(times().store);
      return store_.stored_revision(id);
    }();
    if (!stored) return set_error(stored.error());
    raw.customer_key = options_.customers.resolve(raw.customer_key);
    const bool newer = *stored && !raw.revision.empty() && raw.revision > **stored;
    if (*stored && !newer) {
      ++report_.counts.duplicate;
    } else {
      if (newer) {
        // The source changed it (a conversation gained turns): the old
        // events go to the index's tombstones in this same batch.
        StageClock clock(times().store);
        if (auto d = store_.delete_feedback(id); !d) return set_error(d.error());
        ++report_.counts.replaced;
        tombstoned_ = true;
      }
      if (pool_) {
        Pending p;
        p.analyzed = pool_->submit([pipeline = pipeline_, raw = std::move(raw), tag_ns = &tag_ns_]() mutable {
          const auto start = Clock::now();
          AnalyzedFeedback fb = pipeline->analyze(std::move(raw));
          *tag_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
          return fb;
        });
        window_ids_.insert(id);
        p.feedback_id = std::move(id);
        window_.push_back(std::move(p));
        while (window_.size() > window_limit_ && !failed()) retire_oldest();
      } else {
        AnalyzedFeedback fb = [&] {
          StageClock clock(times().tag);
          return pipeline_->analyze(std::move(raw));
        }();
        write(std::move(fb));
      }
    }
    after_record();
  }

  void checkpoint(const std::string& cursor) override {
    if (!error_.message.empty() || halted()) return;
    StageClock in_sink(sink_seconds_);
    if (!ensure_batch()) return;
    if (window_.empty()) return save_cursor(source_, cursor);
    Pending p;
    p.cursor_source = source_;
    p.cursor = cursor;
    window_.push_back(std::move(p));
  }

  bool stop_requested() const override { return options_.stop_requested && options_.stop_requested(); }

  // Once a stop is seen, records and cursors that still arrive are ignored
  // (not counted, not saved): a cursor must not cover a record the store
  // never got. Latched so the run's counts and cursor agree.
  bool halted() {
    if (!halted_ && stop_requested()) halted_ = true;
    return halted_;
  }

  // The source whose records (and cursor) come next, and the pipeline with
  // its redaction settings.
  void set_source(const std::string& name, const Pipeline& pipeline) {
    source_ = name;
    pipeline_ = &pipeline;
  }

  void reject(Quarantined&& q) override {
    if (!error_.message.empty() || halted()) return;
    StageClock in_sink(sink_seconds_);
    ++report_.counts.read;
    ++report_.counts.quarantined;
    if (!ensure_batch()) return;
    StageClock clock(times().store);
    if (auto s = store_.quarantine(q, report_.run_id); !s) return set_error(s.error());
    if (options_.on_reject) options_.on_reject(q);
    after_record();
  }

  // Writes the window, commits the open batch and brings the index up to
  // date, or with a follower asks it to (after the pass asked for one batch
  // ago is done: at most one batch of indexing waits behind the store).
  Status flush() {
    drain();
    if (!error_.message.empty()) return error_;
    if (in_batch_) {
      StageClock clock(times().store);
      if (auto s = store_.commit(); !s) return record_failure(s.error());
      in_batch_ = false;
    }
    if (follower_ && !tombstoned_) {
      {
        StageClock clock(times().wait);
        if (auto s = follower_->wait(last_pass_); !s) return record_failure(s.error());
      }
      {
        // The follower is idle: the only moment the log can be copied whole.
        StageClock clock(times().store);
        if (auto s = store_.checkpoint_wal(); !s) return record_failure(s.error());
      }
      last_pass_ = follower_->request();
    } else {
      // Tombstones are applied here, with the follower idle (it never
      // reads them): the index is this thread's until the next request.
      if (follower_) {
        StageClock clock(times().wait);
        if (auto s = follower_->wait(); !s) return record_failure(s.error());
      }
      StageClock clock(times().index);
      auto n = sync_index(store_, index_);
      if (!n) return record_failure(n.error());
      report_.indexed += *n;
      tombstoned_ = false;
    }
    pending_ = 0;
    return ok_status();
  }

  const Error& error() const { return error_; }
  bool failed() const { return !error_.message.empty(); }

  // Time spent inside the sink's callbacks (the rest of a pull is reading).
  double sink_seconds() const { return sink_seconds_; }
  // Tagging time summed over the workers.
  double pool_tag_seconds() const { return static_cast<double>(tag_ns_.load()) / 1e9; }

 private:
  // A record waiting in the window: a feedback being tagged, or a cursor.
  struct Pending {
    std::string feedback_id;  // empty for a cursor
    std::future<AnalyzedFeedback> analyzed;
    std::string cursor_source, cursor;
  };

  IngestStageTimes& times() { return report_.times; }

  void write(AnalyzedFeedback&& fb) {
    StageClock clock(times().store);
    for (std::size_t t = 0; t < fb.redactions.size(); ++t) report_.counts.redacted[t] += fb.redactions[t];
    auto written = store_.insert_feedback(fb, report_.run_id);
    if (!written) return set_error(written.error());
    ++report_.counts.ingested;
    report_.counts.events += *written;
  }

  void save_cursor(const std::string& source, const std::string& cursor) {
    StageClock clock(times().store);
    if (auto s = store_.save_cursor(source, cursor); !s) set_error(s.error());
  }

  void retire_oldest() {
    Pending p = std::move(window_.front());
    window_.pop_front();
    if (p.feedback_id.empty()) return save_cursor(p.cursor_source, p.cursor);
    window_ids_.erase(p.feedback_id);
    try {
      AnalyzedFeedback fb = [&] {
        StageClock clock(times().wait);
        return p.analyzed.get();
      }();
      write(std::move(fb));
    } catch (const std::exception& e) {
      set_error(make_error(ErrorKind::internal, "tagging feedback " + p.feedback_id + ": " + e.what()));
    }
  }

  void drain() {
    while (!window_.empty() && !failed()) retire_oldest();
  }

  bool ensure_batch() {
    if (in_batch_) return true;
    if (auto s = store_.begin(); !s) {
      set_error(s.error());
      return false;
    }
    in_batch_ = true;
    return true;
  }
  void after_record() {
    if (++pending_ >= options_.batch_size) (void)flush();
    if (options_.progress && (report_.counts.read % 100) == 0) options_.progress(report_.counts);
  }
  // Keeps the first error and returns it, for the paths that return a Status.
  Status record_failure(const Error& e) {
    set_error(e);
    return error_;
  }
  void set_error(const Error& e) {
    if (error_.message.empty()) error_ = e;
  }

  Store& store_;
  Index& index_;
  const Pipeline* pipeline_;
  const IngestOptions& options_;
  IngestReport& report_;
  WorkerPool* pool_;
  std::size_t window_limit_;
  IndexFollower* follower_;
  std::deque<Pending> window_;
  std::unordered_set<std::string> window_ids_;
  std::uint64_t last_pass_ = 0;
  std::string source_;
  bool halted_ = false;
  bool in_batch_ = false;
  bool tombstoned_ = false;  // this batch deleted events the index may hold
  int pending_ = 0;
  double sink_seconds_ = 0;
  std::atomic<std::int64_t> tag_ns_{0};
  Error error_{ErrorKind::store, ""};
};

// The pipeline for one source: its "redact" setting (true, false, or a list
// of types: "email", "phone", "card", "iban", "secret") over the default (all).
Result<Pipeline> pipeline_for(const SourceSpec& spec, const Pipeline& base) {
  PipelineOptions options = base.options();
  try {
    Poco::JSON::Parser parser;
    auto settings = parser.parse(spec.settings).extract<Poco::JSON::Object::Ptr>();
    if (!settings->has("redact")) return base.with_options(options);
    Poco::Dynamic::Var v = settings->get("redact");
    if (v.isBoolean()) {
      options.redact = v.extract<bool>();
      return base.with_options(options);
    }
    auto list = settings->getArray("redact");
    if (!list) throw Poco::Exception("expected true, false or a list of types");
    options.redaction = RedactionOptions{false, false, false, false, false};
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string type = list->get(static_cast<unsigned>(i)).convert<std::string>();
      bool* flag = type == "email"    ? &options.redaction.email
                   : type == "phone"  ? &options.redaction.phone
                   : type == "card"   ? &options.redaction.card
                   : type == "iban"   ? &options.redaction.iban
                   : type == "secret" ? &options.redaction.secret
                                      : nullptr;
      if (!flag) throw Poco::Exception("unknown type '" + type + "' (email, phone, card, iban, secret)");
      *flag = true;
    }
    return base.with_options(options);
  } catch (const Poco::Exception& e) {
    const std::string why = e.message().empty() ? e.displayText() : e.message();
    return make_error(ErrorKind::config, "source '" + spec.name + "': \"redact\": " + why);
  }
}

}  // namespace

Result<IngestReport> run_ingest(const std::vector<SourceSpec>& sources, const Pipeline& pipeline,
                                const IngestOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  auto lock = WriterLock::acquire(options.data_dir);
  if (!lock) return lock.error();
  auto store = Store::open(options.data_dir, OpenMode::read_write);
  if (!store) return store.error();
  auto index = Index::open_writable(options.data_dir, options.shards);
  if (!index) return index.error();

  IngestReport report;
  // A previous run may have stopped between its SQLite and Xapian commits.
  auto caught_up = sync_index(*store, *index);
  if (!caught_up) return caught_up.error();
  report.indexed += *caught_up;

  // Runs a kill cut short: their batches are committed, their journey links
  // are made up for below.
  auto unfinished = store->unfinished_runs();
  if (!unfinished) return unfinished.error();

  std::string names;
  for (const auto& s : sources) names += (names.empty() ? "" : ",") + s.name;
  auto run = store->begin_run(names);
  if (!run) return run.error();
  report.run_id = *run;

  // Tagging on every core and indexing on a thread of its own (invariants
  // in BatchingSink and app/index_follower.h); jobs = 1 does both inline.
  const int jobs = options.jobs > 0 ? options.jobs : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  std::unique_ptr<IndexFollower> follower;
  if (jobs > 1) {
    auto started_follower = IndexFollower::start(options.data_dir, *index);
    if (!started_follower) return started_follower.error();
    follower = std::move(*started_follower);
  }
  std::deque<Pipeline> pipelines;  // before the pool: tasks read them
  std::unique_ptr<WorkerPool> pool;
  if (jobs > 1) pool = std::make_unique<WorkerPool>(jobs);
  BatchingSink sink(*store, *index, pipeline, options, report, pool.get(), static_cast<std::size_t>(32 * jobs),
                    follower.get());
  for (const SourceSpec& spec : sources) {
    if (sink.stop_requested()) {
      report.stopped = true;
      break;
    }
    auto source = open_source(spec);
    if (!source) {
      report.failures.push_back({spec.name, source.error()});
      continue;
    }
    auto cursor = store->load_cursor(spec.name);
    if (!cursor) return cursor.error();
    auto source_pipeline = pipeline_for(spec, pipeline);
    if (!source_pipeline) {
      report.failures.push_back({spec.name, source_pipeline.error()});
      continue;
    }
    pipelines.push_back(std::move(*source_pipeline));  // outlives the sink's use of it
    sink.set_source(spec.name, pipelines.back());
    const auto pull_started = Clock::now();
    const double sink_before = sink.sink_seconds();
    if (auto s = (*source)->pull(sink, *cursor); !s) report.failures.push_back({spec.name, s.error()});
    report.times.read += seconds_since(pull_started) - (sink.sink_seconds() - sink_before);
    if (sink.failed()) break;
  }
  if (sink.stop_requested()) report.stopped = true;
  Status flushed = sink.flush();
  if (follower) {
    // The index is this thread's again once the last pass is done.
    if (Status f = follower->wait(); flushed && !f) flushed = f;
    report.indexed += follower->indexed();
    report.times.index += follower->busy_seconds();
    follower.reset();
  }
  if (!flushed) {
    (void)store->rollback();
    (void)store->finish_run(report.run_id, report.counts, "failed");
    return flushed.error();
  }
  // Journey links of the customers this run touched (db/journey_links.h),
  // then the events whose derived pains changed are re-indexed.
  report.times.tag += sink.pool_tag_seconds();
  if (report.counts.ingested > 0 || !unfinished->empty()) {
    StageClock clock(report.times.links);
    std::vector<std::string> customers;
    for (std::int64_t run : *unfinished) {
      auto more = customers_of_run(*store, run);
      if (!more) return more.error();
      customers.insert(customers.end(), more->begin(), more->end());
    }
    auto mine = customers_of_run(*store, report.run_id);
    if (!mine) return mine.error();
    customers.insert(customers.end(), mine->begin(), mine->end());
    std::sort(customers.begin(), customers.end());
    customers.erase(std::unique(customers.begin(), customers.end()), customers.end());
    auto links = update_journey_links(*store, customers, pipeline.resources().journey);
    if (!links) return links.error();
    report.links_dead_end = links->dead_end;
    report.links_repeat_contact = links->repeat_contact;
    std::vector<std::int64_t> to_reindex = links->changed_events;
    if (!unfinished->empty() || report.counts.replaced > 0) {
      // A kill between a link update and its re-index, or a replaced
      // feedback whose deleted events took links (and their derived pains)
      // with them, leaves changes the link update cannot see: re-index all
      // of those customers' events.
      auto all = events_of_customers(*store, customers);
      if (!all) return all.error();
      to_reindex = std::move(*all);
    }
    auto re = reindex_events(*store, *index, to_reindex);
    if (!re) return re.error();
    for (std::int64_t run : *unfinished)
      if (auto s = store->mark_interrupted(run); !s) return s.error();
  }
  const char* status = !report.failures.empty()        ? "failed"
                       : report.stopped                ? "stopped"
                       : report.counts.quarantined > 0 ? "rejects"
                                                       : "ok";
  if (auto s = store->finish_run(report.run_id, report.counts, status); !s) return s.error();
  if (options.progress) options.progress(report.counts);
  report.seconds = seconds_since(started);
  return report;
}

}  // namespace cxmap
