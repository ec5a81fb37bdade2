// What every subcommand shares: the global options (data dir, resource dir,
// journey definition), the mapping from errors to exit codes, and the one
// place that loads the pipeline resources.
//
// Exit codes (documented in README):
//   0  success
//   2  usage: bad arguments or query
//   3  config: bad configuration, journey definition or lexicon
//   4  input: a source could not be read at all (other sources still ran)
//   5  store: SQLite or Xapian failed
//   6  busy: another cxmap process is writing to the data dir (writer lock)
//   10 ingest finished, but some records were quarantined
//   11 verify found the store and index disagree
//   70 internal error
#pragma once

#include <memory>
#include <string>

#include "pipeline/pipeline.h"
#include "pipeline/result.h"

namespace cxmap {

inline constexpr int kExitOk = 0;
inline constexpr int kExitQuarantined = 10;
inline constexpr int kExitVerifyFailed = 11;

struct GlobalOptions {
  std::string data_dir;    // --data, $CXMAP_DATA, else ./cxmap-data
  std::string share_dir;   // --share, $CXMAP_SHARE, else <exe dir>/share, else the build's share/
  std::string journey;     // --journey FILE overrides share/journey.json
};

// Fills the defaults that come from the environment and the executable's place.
void resolve_defaults(GlobalOptions& options, const char* argv0);

int exit_code(ErrorKind kind);
// Prints "cxmap: <message>" on stderr and returns the exit code for it.
int fail(const Error& error);

// Loads lexicons and the journey definition once, for commands that tag.
Result<std::shared_ptr<const Resources>> load_pipeline_resources(const GlobalOptions& options);

}  // namespace cxmap
