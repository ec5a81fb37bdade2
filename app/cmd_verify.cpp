// cxmap verify: check that the store is sound and the index agrees with it.
#include <iostream>

#include "app/commands.h"
#include "db/verify.h"
#include "report/writer.h"

namespace cxmap {

namespace {

int run(bool json, const GlobalOptions& options) {
  auto store = Store::open(options.data_dir, OpenMode::read_only);
  if (!store) return fail(store.error());
  auto report = verify_data_dir(*store, options.data_dir);
  if (!report) return fail(report.error());
  const VerifyReport& r = *report;
  if (json) {
    JsonWriter j(std::cout);
    j.begin_object();
    j.key("ok").value(r.ok());
    j.key("feedback").value(r.feedback);
    j.key("events").value(r.events);
    j.key("documents").value(r.documents);
    j.key("store_last_event_id").value(r.store_max_event_id);
    j.key("index_last_event_id").value(r.index_last_event_id);
    j.key("runs_checked").value(r.runs_checked);
    j.key("runs_interrupted").value(r.runs_interrupted);
    j.key("problem_count").value(r.problem_count);
    j.key("problems").begin_array();
    for (const std::string& p : r.problems) j.value(p);
    j.end_array();
    j.end_object();
    std::cout << '\n';
  } else {
    std::cout << "store: " << r.feedback << " feedback, " << r.events << " events, last event "
              << r.store_max_event_id << ", " << r.runs_checked << " finished runs reconcile";
    if (r.runs_interrupted > 0) std::cout << " (" << r.runs_interrupted << " interrupted)";
    std::cout << "\nindex: " << r.documents << " documents, last event " << r.index_last_event_id << '\n';
    for (const std::string& p : r.problems) std::cout << "problem: " << p << '\n';
    if (r.problem_count > static_cast<std::int64_t>(r.problems.size()))
      std::cout << "... and " << (r.problem_count - static_cast<std::int64_t>(r.problems.size())) << " more\n";
    std::cout << (r.ok() ? "ok: store and index agree\n"
                         : "FAILED: " + std::to_string(r.problem_count) + " problems (`cxmap reindex` rebuilds the index)\n");
  }
  return r.ok() ? 0 : kExitVerifyFailed;
}

}  // namespace

void setup_verify(CLI::App& root, CommandEnv env) {
  CLI::App* cmd = root.add_subcommand(
      "verify", "Check the store (SQLite integrity, run counts) and that the index holds exactly its events");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print the report as JSON");
  cmd->footer("Exit codes: 0 the store and index agree, 11 they do not (see the problem lines), 5 unreadable.");
  cmd->callback([env, json] { env.exit_code = run(*json, env.options); });
}

}  // namespace cxmap
