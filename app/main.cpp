// cxmap: customer feedback in, searchable customer-journey map out.
// The entry point: global options, then one subcommand from the table.
#include <sys/stat.h>

#include <iostream>

#include "app/commands.h"

int main(int argc, char** argv) {
  using namespace cxmap;
  // Everything cxmap writes (SQLite, WAL, Xapian tables, exports) holds
  // customers' words: readable by its owner only, whatever the caller's umask.
  ::umask(077);
  CLI::App app{
      "cxmap mines customer feedback (email, chat, surveys) into a customer-journey map:\n"
      "every customer sentence gets a stage, touchpoint, emotion, sentiment and pain points,\n"
      "stored in SQLite and searchable through Xapian."};
  app.set_version_flag("--version", std::string("cxmap ") + CXMAP_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  GlobalOptions options;
  app.add_option("--data", options.data_dir, "Data dir holding the store and index (default: $CXMAP_DATA or ./cxmap-data)");
  app.add_option("--share", options.share_dir, "Resource dir with lexicons/ and journey.json (default: share/ beside the binary)");
  app.add_option("--journey", options.journey, "Journey definition to use instead of share/journey.json");
  app.footer(
      "Exit codes: 0 ok, 2 usage, 3 config, 4 a source could not be read, 5 store,\n"
      "6 busy (another writer holds the lock), 10 ingest finished with quarantined records,\n"
      "11 verify found problems, 70 internal error, 128+N stopped by signal N.");
  int exit_code = 0;
  for (const CommandEntry& c : kCommands) c.setup(app, CommandEnv{options, exit_code});
  resolve_defaults(options, argv[0]);  // env defaults apply unless flags override them
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return exit_code;
}
