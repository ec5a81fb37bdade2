// Global options, exit codes and resource loading shared by the subcommands.
#include "app/context.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "lexicons/resources_loader.h"

namespace cxmap {

void resolve_defaults(GlobalOptions& o, const char* argv0) {
  namespace fs = std::filesystem;
  if (o.data_dir.empty()) {
    const char* env = std::getenv("CXMAP_DATA");
    o.data_dir = env && *env ? env : "cxmap-data";
  }
  if (o.share_dir.empty()) {
    if (const char* env = std::getenv("CXMAP_SHARE"); env && *env) {
      o.share_dir = env;
    } else {
      // The share/ folder beside the executable (build/cxmap -> build/share).
      std::error_code ec;
      fs::path exe = fs::read_symlink("/proc/self/exe", ec);
      if (ec) exe = fs::absolute(argv0, ec);
      fs::path beside = exe.parent_path() / "share";
      o.share_dir = fs::exists(beside / "journey.json", ec) ? beside.string() : CXMAP_DEFAULT_SHARE_DIR;
    }
  }
}

int exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage: return 2;
    case ErrorKind::config: return 3;
    case ErrorKind::input: return 4;
    case ErrorKind::store: return 5;
    case ErrorKind::busy: return 6;
    case ErrorKind::internal: return 70;
  }
  return 70;
}

int fail(const Error& error) {
  std::cerr << "cxmap: " << error.message << '\n';
  return exit_code(error.kind);
}

Result<std::shared_ptr<const Resources>> load_pipeline_resources(const GlobalOptions& o) {
  return load_resources(o.share_dir, o.journey);
}

}  // namespace cxmap
