// cxmap reindex: rebuild the Xapian index from the store.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <iostream>

#include "app/commands.h"
#include "db/index.h"
#include "db/writer_lock.h"

namespace cxmap {

namespace {

int run(const GlobalOptions& options, int shards) {
  // Dropping the index under a running ingest would lose its documents.
  auto lock = WriterLock::acquire(options.data_dir);
  if (!lock) return fail(lock.error());
  auto store = Store::open(options.data_dir, OpenMode::read_write);
  if (!store) return fail(store.error());
  // The index is derived data: rebuilding means dropping it and catching up
  // from event id 0. Without --shards it keeps its shard count.
  auto existing = index_shards(options.data_dir);
  if (!existing) return fail(existing.error());
  if (auto local = only_local_shards(options.data_dir, *existing); !local) return fail(local.error());
  if (shards == 0) shards = std::max(1, static_cast<int>(existing->size()));
  std::error_code ec;
  std::filesystem::remove_all(index_path(options.data_dir), ec);
  if (ec) return fail(make_error(ErrorKind::store, "cannot remove " + index_path(options.data_dir) + ": " + ec.message()));
  auto index = Index::open_writable(options.data_dir, shards);
  if (!index) return fail(index.error());
  auto n = sync_index(*store, *index);
  if (!n) return fail(n.error());
  std::cout << "reindexed " << *n << " events";
  if (index->shard_count() > 1) std::cout << " into " << index->shard_count() << " shards";
  std::cout << '\n';
  return 0;
}

}  // namespace

void setup_reindex(CLI::App& root, CommandEnv env) {
  CLI::App* cmd = root.add_subcommand("reindex", "Rebuild the search index from the store");
  auto shards = std::make_shared<int>(0);
  cmd->add_option("--shards", *shards,
                  "Split the rebuilt index into N Xapian databases (default: as many as it has now)")
      ->check(CLI::Range(1, 64));
  cmd->callback([env, shards] { env.exit_code = run(env.options, *shards); });
}

}  // namespace cxmap
