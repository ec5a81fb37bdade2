// Chat JSON Lines connector (kind "chat_jsonl"): one conversation object per
// line, in the chat_json format or the entry's "fields" mapping
// (chat_fields.h); a folder is read as its .jsonl files in name order.
//
// Files are streamed line by line, never read whole, so a large export keeps
// memory at one line. Blank lines are skipped; a UTF-8 BOM and a trailing CR
// are dropped. A line that is not a JSON object, or not a valid conversation,
// is one reject with locator "path:line" (1-based) and the line as its raw
// bytes; the run goes on with the next line. A conversation without an id
// gets the content hash of its line, so an unchanged line keeps its id.
// Poco exceptions stay in chat_fields.cpp.
#include <fstream>

#include "connectors/chat/chat_fields.h"
#include "connectors/email/mime_message.h"
#include "connectors/source_kinds.h"

namespace cxmap {

namespace {

class ChatJsonlSource : public Source {
 public:
  explicit ChatJsonlSource(SourceSpec spec) : spec_(std::move(spec)) {}
  const SourceSpec& spec() const override { return spec_; }

  Status pull(RecordSink& sink, const std::string& /*cursor*/) override {
    auto fields = chat::read_field_map(spec_);
    if (!fields) return fields.error();
    fields_ = std::move(fields).value();
    auto listed = file_or_folder_files(spec_.path, ".jsonl");
    if (!listed) return listed.error();
    for (const auto& path : keep_inside_root(spec_, std::move(*listed), sink)) read_one_file(path, sink);
    return ok_status();
  }

 private:
  void reject(RecordSink& sink, const std::string& locator, const std::string& reason,
              const std::string& raw) {
    sink.reject(
        Quarantined{spec_.name, locator, locator + ": " + reason, raw.substr(0, email::kMaxQuarantineBytes)});
  }

  void read_one_file(const std::string& path, RecordSink& sink) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      reject(sink, path, "cannot open the file", "");
      return;
    }
    std::string line;
    std::size_t number = 0;
    while (!sink.stop_requested() && std::getline(in, line)) {
      ++number;
      if (number == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      const std::string locator = path + ":" + std::to_string(number);
      auto parsed = chat::parse_json(line);
      if (!parsed) {
        reject(sink, locator, "invalid JSON: " + parsed.error().message, line);
        continue;
      }
      if (parsed->type() != typeid(Poco::JSON::Object::Ptr)) {
        reject(sink, locator, "the line is not a JSON object", line);
        continue;
      }
      auto conv = chat::conversation_from_json(parsed->extract<Poco::JSON::Object::Ptr>(), fields_,
                                               spec_.name, locator);
      if (!conv) {
        reject(sink, locator, conv.error().message, line);
        continue;
      }
      RawFeedback& record = conv->record;
      if (record.external_id.empty()) record.external_id = content_hash(line);
      sink.feedback(std::move(record));
    }
    if (in.bad()) reject(sink, path, "read error after line " + std::to_string(number), "");
  }

  SourceSpec spec_;
  chat::FieldMap fields_;
};

}  // namespace

std::unique_ptr<Source> make_chat_jsonl_source(const SourceSpec& spec) {
  return std::make_unique<ChatJsonlSource>(spec);
}

}  // namespace cxmap
