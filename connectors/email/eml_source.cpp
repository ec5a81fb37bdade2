// .eml connector: a single .eml file, or a folder of *.eml files read in
// file-name order (not recursive). Locator: the file's path.
#include <filesystem>

#include "connectors/email/mime_message.h"
#include "connectors/source_kinds.h"

namespace cxmap {

namespace {

namespace fs = std::filesystem;

class EmlSource : public Source {
 public:
  explicit EmlSource(SourceSpec spec) : spec_(std::move(spec)) {}
  const SourceSpec& spec() const override { return spec_; }

  Status pull(RecordSink& sink) override {
    std::error_code ec;
    std::vector<std::string> files;
    if (fs::is_directory(spec_.path, ec)) {
      auto listed = list_files(spec_.path, ".eml");
      if (!listed) return listed.error();
      files = std::move(*listed);
    } else if (fs::is_regular_file(spec_.path, ec)) {
      files.push_back(spec_.path);
    } else {
      return make_error(ErrorKind::input, "cannot open " + spec_.path);
    }
    for (const auto& path : files) {
      auto bytes = read_file(path);
      if (!bytes) {
        if (files.size() == 1 && files[0] == spec_.path) return bytes.error();
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

std::unique_ptr<Source> make_eml_source(const SourceSpec& spec) { return std::make_unique<EmlSource>(spec); }

}  // namespace cxmap
