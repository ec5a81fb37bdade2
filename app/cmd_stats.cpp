// cxmap stats: what the store and index hold, and the last ingest run.
#include <xapian.h>

#include <iostream>

#include "app/commands.h"
#include "db/index.h"
#include "report/writer.h"

namespace cxmap {

namespace {

int run(bool json, const GlobalOptions& options) {
  auto store = Store::open(options.data_dir, OpenMode::read_only);
  if (!store) return fail(store.error());
  auto stats = store->stats();
  if (!stats) return fail(stats.error());
  auto index = open_index_readonly(options.data_dir);
  if (!index) return fail(index.error());
  std::int64_t indexed = 0;
  if (auto s = xapian_guard("reading index", [&] { indexed = index->get_doccount(); }); !s) return fail(s.error());
  const StoreStats& s = *stats;
  const IngestCounts& r = s.last_run;
  const bool reconciles = r.read == r.ingested + r.duplicate + r.quarantined;
  if (json) {
    JsonWriter j(std::cout);
    j.begin_object();
    j.key("feedback").value(s.feedback);
    j.key("events").value(s.events);
    j.key("customer_events").value(s.customer_events);
    j.key("indexed_events").value(indexed);
    j.key("quarantined").value(s.quarantined);
    j.key("runs").value(s.runs);
    j.key("by_channel").begin_object();
    for (const auto& [k, v] : s.by_channel) j.key(k).value(v);
    j.end_object();
    j.key("by_source").begin_object();
    for (const auto& [k, v] : s.by_source) j.key(k).value(v);
    j.end_object();
    j.key("last_run").begin_object();
    j.key("id").value(s.last_run_id).key("status").value(s.last_run_status);
    j.key("read").value(r.read).key("ingested").value(r.ingested).key("duplicate").value(r.duplicate);
    j.key("quarantined").value(r.quarantined).key("events").value(r.events);
    j.key("reconciles").value(reconciles);
    j.end_object();
    j.end_object();
    j.finish();
    return 0;
  }
  std::cout << "feedback     " << s.feedback << '\n'
            << "events       " << s.events << " (" << s.customer_events << " by customers)\n"
            << "indexed      " << indexed << '\n'
            << "quarantined  " << s.quarantined << '\n'
            << "runs         " << s.runs << '\n';
  for (const auto& [k, v] : s.by_channel) std::cout << "channel      " << k << ' ' << v << '\n';
  for (const auto& [k, v] : s.by_source) std::cout << "source       " << k << ' ' << v << '\n';
  if (s.last_run_id)
    std::cout << "last run     #" << s.last_run_id << ' ' << s.last_run_status << ": read " << r.read
              << " = ingested " << r.ingested << " + duplicate " << r.duplicate << " + quarantined "
              << r.quarantined << (reconciles ? "" : "  (DOES NOT RECONCILE)") << '\n';
  return 0;
}

}  // namespace

void setup_stats(CLI::App& root, CommandEnv env) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = root.add_subcommand("stats", "Counts of feedback, events, index and quarantine; the last run");
  cmd->add_flag("--json", *json, "JSON for scripts");
  cmd->callback([json, env] { env.exit_code = run(*json, env.options); });
}

}  // namespace cxmap
