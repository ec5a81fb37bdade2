// open_source (kind -> connector) and detect_source (path -> kind).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

#include "connectors/source_kinds.h"
#include "connectors/survey/survey_csv.h"

namespace cxmap {

namespace {

namespace fs = std::filesystem;

constexpr SourceKind kKinds[] = {
    {"mbox", make_mbox_source, true},
    {"maildir", make_maildir_source, true},
    {"eml", make_eml_source, true},
    {"pop3", make_pop3_source, false},
    {"imap", make_imap_source, false},
    {"chat_json", make_chat_json_source, true},
    {"chat_jsonl", make_chat_jsonl_source, true},
    {"chat_text", make_chat_text_source, true},
    {"chat_api", make_chat_api_source, false},
    {"survey_csv", make_survey_csv_source, true},
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Keeps the promise that pull() never throws: anything a connector (or the
// sink) throws becomes an internal error naming the source.
class GuardedSource : public Source {
 public:
  explicit GuardedSource(std::unique_ptr<Source> inner) : inner_(std::move(inner)) {}
  const SourceSpec& spec() const override { return inner_->spec(); }
  Status pull(RecordSink& sink, const std::string& cursor) override {
    try {
      return inner_->pull(sink, cursor);
    } catch (const std::exception& e) {
      return make_error(ErrorKind::internal, "source '" + spec().name + "': " + e.what());
    } catch (...) {
      return make_error(ErrorKind::internal, "source '" + spec().name + "': unknown exception");
    }
  }

 private:
  std::unique_ptr<Source> inner_;
};

bool starts_with_from(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char buf[5] = {};
  in.read(buf, 5);
  return in.gcount() == 5 && std::string(buf, 5) == "From ";
}

}  // namespace

const SourceKind* find_source_kind(const std::string& name) {
  for (const SourceKind& k : kKinds)
    if (name == k.name) return &k;
  return nullptr;
}

std::string source_kind_names() {
  std::string out;
  for (const SourceKind& k : kKinds) {
    if (!out.empty()) out += ", ";
    out += k.name;
  }
  return out;
}

Result<std::unique_ptr<Source>> open_source(const SourceSpec& spec) {
  const std::string who = "source '" + spec.name + "'";
  if (spec.name.empty()) return make_error(ErrorKind::config, "a source has no name");
  const SourceKind* kind = find_source_kind(spec.kind);
  if (!kind)
    return make_error(ErrorKind::config,
                      who + ": unknown kind '" + spec.kind + "' (expected one of " + source_kind_names() + ")");
  if (kind->needs_path) {
    if (spec.path.empty()) return make_error(ErrorKind::config, who + ": no path");
    std::error_code ec;
    if (!fs::exists(spec.path, ec))
      return make_error(ErrorKind::config, who + ": path does not exist: " + spec.path);
  }
  return std::unique_ptr<Source>(std::make_unique<GuardedSource>(kind->make(spec)));
}

Result<SourceSpec> detect_source(const std::string& path) {
  std::error_code ec;
  fs::path p(path);
  SourceSpec spec;
  spec.path = path;
  std::string base = p.filename().string();
  if (base.empty()) base = p.parent_path().filename().string();  // "dir/"
  spec.name = base;
  if (fs::is_directory(p, ec)) {
    if (fs::is_directory(p / "cur", ec) && fs::is_directory(p / "new", ec)) {
      spec.kind = "maildir";
      return spec;
    }
    auto json = list_files(path, ".json");
    if (!json) return json.error();
    auto eml = list_files(path, ".eml");
    if (!eml) return eml.error();
    if (!json->empty() && json->size() >= eml->size()) spec.kind = "chat_json";
    else if (!eml->empty()) spec.kind = "eml";
    else
      return make_error(ErrorKind::usage,
                        "cannot tell the kind of folder " + path + ": no cur/+new/, .json or .eml files");
    return spec;
  }
  if (!fs::is_regular_file(p, ec)) return make_error(ErrorKind::usage, "no such file or folder: " + path);
  std::string ext = lower(p.extension().string());
  if (ext == ".csv") {
    auto columns = survey::detect_csv_columns(path);  // Qualtrics/SurveyMonkey aware
    if (!columns) return columns.error();
    spec.kind = "survey_csv";
    spec.columns = *columns;
    return spec;
  }
  if (ext == ".eml") spec.kind = "eml";
  else if (ext == ".json") spec.kind = "chat_json";
  else if (ext == ".jsonl") spec.kind = "chat_jsonl";
  else if (ext == ".txt" && looks_like_chat_text(path)) spec.kind = "chat_text";
  else if (ext == ".mbox" || ext == ".mbx" || starts_with_from(path)) spec.kind = "mbox";
  else
    return make_error(ErrorKind::usage, "cannot tell the kind of " + path +
                                            " (expected a Maildir, .mbox, .eml, .json, .jsonl,"
                                            " a .txt chat transcript or .csv)");
  return spec;
}

}  // namespace cxmap
