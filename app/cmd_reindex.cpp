// cxmap reindex: rebuild the Xapian index from the store.
#include <filesystem>
#include <iostream>

#include "app/commands.h"
#include "db/index.h"
#include "db/writer_lock.h"

namespace cxmap {

namespace {

int run(const GlobalOptions& options) {
  // Dropping the index under a running ingest would lose its documents.
  auto lock = WriterLock::acquire(options.data_dir);
  if (!lock) return fail(lock.error());
  auto store = Store::open(options.data_dir, OpenMode::read_write);
  if (!store) return fail(store.error());
  // The index is derived data: rebuilding means dropping it and catching up
  // from event id 0.
  std::error_code ec;
  std::filesystem::remove_all(index_path(options.data_dir), ec);
  if (ec) return fail(make_error(ErrorKind::store, "cannot remove " + index_path(options.data_dir) + ": " + ec.message()));
  auto index = Index::open_writable(options.data_dir);
  if (!index) return fail(index.error());
  auto n = sync_index(*store, *index);
  if (!n) return fail(n.error());
  std::cout << "reindexed " << *n << " events\n";
  return 0;
}

}  // namespace

void setup_reindex(CLI::App& root, CommandEnv env) {
  CLI::App* cmd = root.add_subcommand("reindex", "Rebuild the search index from the store");
  cmd->callback([env] { env.exit_code = run(env.options); });
}

}  // namespace cxmap
