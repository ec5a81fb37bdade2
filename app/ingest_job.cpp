// The ingest job: batching, dedupe, quarantine, index catch-up, run records.
#include "app/ingest_job.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <chrono>
#include <deque>

#include "db/index.h"
#include "db/journey_links.h"
#include "db/writer_lock.h"

namespace cxmap {

namespace {

// Receives records from a connector and writes them in batches. Errors from
// the store stop the job (they are not the record's fault); the first one is
// kept and reported.
class BatchingSink : public RecordSink {
 public:
  BatchingSink(Store& store, Index& index, const Pipeline& pipeline, const IngestOptions& options,
               IngestReport& report)
      : store_(store), index_(index), pipeline_(&pipeline), options_(options), report_(report) {}

  void feedback(RawFeedback&& raw) override {
    if (!error_.message.empty() || halted()) return;
    ++report_.counts.read;
    const std::string id = feedback_id(raw.source, raw.external_id);
    if (!ensure_batch()) return;
    auto stored = store_.stored_revision(id);
    if (!stored) return set_error(stored.error());
    raw.customer_key = options_.customers.resolve(raw.customer_key);
    const bool newer = *stored && !raw.revision.empty() && raw.revision > **stored;
    if (*stored && !newer) {
      ++report_.counts.duplicate;
    } else {
      if (newer) {
        // The source changed it (a conversation gained turns): the old
        // events go to the index's tombstones in this same batch.
        if (auto d = store_.delete_feedback(id); !d) return set_error(d.error());
        ++report_.counts.replaced;
      }
      AnalyzedFeedback fb = pipeline_->analyze(std::move(raw));
      for (std::size_t t = 0; t < fb.redactions.size(); ++t) report_.counts.redacted[t] += fb.redactions[t];
      auto written = store_.insert_feedback(fb, report_.run_id);
      if (!written) return set_error(written.error());
      ++report_.counts.ingested;
      report_.counts.events += *written;
    }
    after_record();
  }

  void checkpoint(const std::string& cursor) override {
    if (!error_.message.empty() || halted()) return;
    if (!ensure_batch()) return;
    if (auto s = store_.save_cursor(source_, cursor); !s) set_error(s.error());
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
    ++report_.counts.read;
    ++report_.counts.quarantined;
    if (!ensure_batch()) return;
    if (auto s = store_.quarantine(q, report_.run_id); !s) return set_error(s.error());
    if (options_.on_reject) options_.on_reject(q);
    after_record();
  }

  // Commits the open batch and brings the index up to date.
  Status flush() {
    if (!error_.message.empty()) return error_;
    if (in_batch_) {
      if (auto s = store_.commit(); !s) return record_failure(s.error());
      in_batch_ = false;
    }
    auto n = sync_index(store_, index_);
    if (!n) return record_failure(n.error());
    report_.indexed += *n;
    pending_ = 0;
    return ok_status();
  }

  const Error& error() const { return error_; }
  bool failed() const { return !error_.message.empty(); }

 private:
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
  std::string source_;
  bool halted_ = false;
  bool in_batch_ = false;
  int pending_ = 0;
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
  auto index = Index::open_writable(options.data_dir);
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

  BatchingSink sink(*store, *index, pipeline, options, report);
  std::deque<Pipeline> pipelines;
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
    if (auto s = (*source)->pull(sink, *cursor); !s) report.failures.push_back({spec.name, s.error()});
    if (sink.failed()) break;
  }
  if (sink.stop_requested()) report.stopped = true;
  Status flushed = sink.flush();
  if (!flushed) {
    (void)store->rollback();
    (void)store->finish_run(report.run_id, report.counts, "failed");
    return flushed.error();
  }
  // Journey links of the customers this run touched (db/journey_links.h),
  // then the events whose derived pains changed are re-indexed.
  if (report.counts.ingested > 0 || !unfinished->empty()) {
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
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace cxmap
