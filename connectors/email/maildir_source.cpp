// Maildir connector: one message per file in cur/ and new/ (tmp/ holds
// deliveries in progress and is skipped). Files are read in file-name order
// across both folders (Maildir names start with the delivery time), so runs
// are deterministic. Locator: the file's path.
#include <algorithm>
#include <filesystem>

#include "connectors/email/mime_message.h"
#include "connectors/source_kinds.h"

namespace cxmap {

namespace {

namespace fs = std::filesystem;

class MaildirSource : public Source {
 public:
  explicit MaildirSource(SourceSpec spec) : spec_(std::move(spec)) {}
  const SourceSpec& spec() const override { return spec_; }

  Status pull(RecordSink& sink, const std::string& /*cursor*/) override {
    std::error_code ec;
    if (!fs::is_directory(spec_.path, ec))
      return make_error(ErrorKind::input, "cannot open Maildir " + spec_.path + ": not a folder");
    std::vector<std::pair<std::string, std::string>> files;  // (file name, path)
    bool any = false;
    for (const char* sub : {"cur", "new"}) {
      fs::path dir = fs::path(spec_.path) / sub;
      if (!fs::is_directory(dir, ec)) continue;
      any = true;
      auto listed = list_files(dir.string(), "");
      if (!listed) return listed.error();
      for (auto& p : keep_inside_root(spec_, std::move(*listed), sink))
        files.emplace_back(fs::path(p).filename().string(), p);
    }
    if (!any) return make_error(ErrorKind::input, "not a Maildir (no cur/ or new/): " + spec_.path);
    std::sort(files.begin(), files.end());
    for (const auto& [name, path] : files) {
      auto bytes = read_file(path);
      if (!bytes) {
        sink.reject(Quarantined{spec_.name, path, bytes.error().message, ""});
        continue;
      }
      email::deliver_message(*bytes, spec_.name, path, sink);
    }
    return ok_status();
  }

 private:
  SourceSpec spec_;
};

}  // namespace

std::unique_ptr<Source> make_maildir_source(const SourceSpec& spec) {
  return std::make_unique<MaildirSource>(spec);
}

}  // namespace cxmap
