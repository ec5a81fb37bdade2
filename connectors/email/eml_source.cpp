// .eml connector: a single .eml file, or a folder of *.eml files read in
// file-name order (not recursive). Locator: the file's path.
#include "connectors/email/mime_message.h"
#include "connectors/source_kinds.h"

namespace cxmap {

namespace {

class EmlSource : public Source {
 public:
  explicit EmlSource(SourceSpec spec) : spec_(std::move(spec)) {}
  const SourceSpec& spec() const override { return spec_; }

  Status pull(RecordSink& sink, const std::string& /*cursor*/) override {
    auto listed = file_or_folder_files(spec_.path, ".eml");
    if (!listed) return listed.error();
    const std::vector<std::string> files = keep_inside_root(spec_, std::move(*listed), sink);
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
