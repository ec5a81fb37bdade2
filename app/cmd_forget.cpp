// cxmap forget: remove one customer's data on request (--customer), or
// everything older than a retention date (--before), from store and index.
#include <filesystem>
#include <iostream>

#include "app/commands.h"
#include "connectors/customer_keys.h"
#include "db/forget.h"
#include "db/index.h"
#include "db/journey_links.h"
#include "db/writer_lock.h"

namespace cxmap {

namespace {

struct ForgetArgs {
  std::string customer, before, config;
  bool purge = false;
};

int run(const ForgetArgs& args, const GlobalOptions& options) {
  if (args.customer.empty() == args.before.empty())
    return fail(make_error(ErrorKind::usage, "forget: give exactly one of --customer ID or --before DATE"));
  auto lock = WriterLock::acquire(options.data_dir);
  if (!lock) return fail(lock.error());
  // Checked before the store forgets anything: a remote shard cannot be
  // updated (or rebuilt by --purge) from here, and the store and the index
  // would disagree.
  auto existing = index_shards(options.data_dir);
  if (!existing) return fail(existing.error());
  if (auto local = only_local_shards(options.data_dir, *existing); !local) return fail(local.error());
  auto store = Store::open(options.data_dir, OpenMode::read_write);
  if (!store) return fail(store.error());
  // Journey links of the customers who keep feedback are recomputed below.
  auto resources = load_pipeline_resources(options);
  if (!resources) return fail(resources.error());

  // The sources config's aliases and HMAC key (privacy mode) turn the id
  // into the key the store holds; without it the id is only normalised.
  CustomerAliases customers;
  if (!args.config.empty()) {
    auto loaded = load_customer_aliases(args.config);
    if (!loaded) return fail(loaded.error());
    customers = std::move(*loaded);
  }
  const std::string key = args.customer.empty() ? "" : customers.resolve(args.customer);
  auto report = key.empty() ? forget_before(*store, args.before) : forget_customer(*store, key);
  if (!report) return fail(report.error());

  auto links = update_journey_links(*store, report->customers, (*resources)->journey);
  if (!links) return fail(links.error());
  auto remaining = events_of_customers(*store, report->customers);
  if (!remaining) return fail(remaining.error());

  int shards = 0;  // as the index has now
  if (args.purge) {
    // A rebuilt index holds nothing of the removed data, not even in free blocks.
    shards = static_cast<int>(existing->size());
    std::error_code ec;
    std::filesystem::remove_all(index_path(options.data_dir), ec);
    if (ec) return fail(make_error(ErrorKind::store, "cannot remove " + index_path(options.data_dir)));
  }
  auto index = Index::open_writable(options.data_dir, shards);
  if (!index) return fail(index.error());
  // Marked before the deletions commit, so no reader sees them under the
  // old mark (a server would keep serving cached answers holding the text).
  if (auto s = index->note_forget(); !s) return fail(s.error());
  auto synced = sync_index(*store, *index);
  if (!synced) return fail(synced.error());
  if (!args.purge) {
    auto re = reindex_events(*store, *index, *remaining);
    if (!re) return fail(re.error());
  }
  if (auto s = index->commit(index->last_event_id()); !s) return fail(s.error());

  const ForgetReport& r = *report;
  std::cout << "forgot " << (key.empty() ? "feedback received before " + args.before : "customer " + key) << ": "
            << r.feedback << " feedback, " << r.events << " events, " << r.links << " journey links, "
            << r.quarantined << " quarantined records\n";
  std::cout << (args.purge ? "index rebuilt from the store (" + std::to_string(*synced) + " events)\n"
                           : "index: their documents are deleted; --purge also rebuilds it so no old block remains\n");
  if (r.feedback == 0 && r.quarantined == 0 && !key.empty())
    std::cerr << "cxmap: no data for customer " << key
              << " (keys are normalised: lowercased emails, +digits phones; in privacy mode pass --config)\n";
  return 0;
}

}  // namespace

void setup_forget(CLI::App& root, CommandEnv env) {
  auto args = std::make_shared<ForgetArgs>();
  CLI::App* cmd = root.add_subcommand(
      "forget",
      "Remove a customer's feedback, events, journey links, quarantined records and index documents\n"
      "(a deletion request), or everything received before a date (retention). SQLite pages are\n"
      "zeroed (secure_delete) and the WAL truncated.");
  cmd->add_option("--customer", args->customer, "Customer id: email address, phone number or account id");
  cmd->add_option("--before", args->before, "Remove feedback received before this date (YYYY-MM-DD)");
  cmd->add_option("--config", args->config, "Sources config: its customer aliases and HMAC key name the customer");
  cmd->add_flag("--purge", args->purge, "Also rebuild the index from the store, so no old block holds their text");
  cmd->callback([env, args] { env.exit_code = run(*args, env.options); });
}

}  // namespace cxmap
