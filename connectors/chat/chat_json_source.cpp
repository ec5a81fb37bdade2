// Chat transcript connector: JSON files, each holding one conversation
// object, an array of them, or {"conversations": [...]}; a folder is read in
// file-name order. Locator: "path#index" (index of the conversation in the
// file, 0-based). A file that is not valid JSON is one reject naming the file
// and Poco's message; a conversation with a bad turn is one reject naming the
// turn. Poco exceptions stay in this file and chat_fields.cpp.
//
//   {"conversation_id": "CH-1", "customer": "a@b.com", "started_at": "...",
//    "subject": "...", "turns": [{"speaker": "bot|customer|agent",
//                                 "time": "...", "text": "..."}]}
//
// Other member names are mapped with the entry's "fields" (chat_fields.h).
#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "connectors/chat/chat_fields.h"
#include "connectors/email/mime_message.h"
#include "connectors/source_kinds.h"

namespace cxmap {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

class ChatJsonSource : public Source {
 public:
  explicit ChatJsonSource(SourceSpec spec) : spec_(std::move(spec)) {}
  const SourceSpec& spec() const override { return spec_; }

  Status pull(RecordSink& sink, const std::string& /*cursor*/) override {
    auto fields = chat::read_field_map(spec_);
    if (!fields) return fields.error();
    fields_ = std::move(fields).value();
    auto listed = file_or_folder_files(spec_.path, ".json");
    if (!listed) return listed.error();
    const std::vector<std::string> files = keep_inside_root(spec_, std::move(*listed), sink);
    for (const auto& path : files) {
      auto bytes = read_file(path);
      if (!bytes) {
        sink.reject(Quarantined{spec_.name, path, bytes.error().message, ""});
        continue;
      }
      read_one_file(path, *bytes, sink);
    }
    return ok_status();
  }

 private:
  void reject(RecordSink& sink, const std::string& locator, const std::string& reason, const std::string& raw) {
    sink.reject(Quarantined{spec_.name, locator, reason, raw.substr(0, email::kMaxQuarantineBytes)});
  }

  void read_one_file(const std::string& path, const std::string& bytes, RecordSink& sink) {
    Poco::Dynamic::Var root;
    try {
      Poco::JSON::Parser parser;
      root = parser.parse(bytes);
    } catch (const Poco::Exception& e) {
      reject(sink, path, "invalid JSON in " + path + ": " + e.displayText(), bytes);
      return;
    } catch (const std::exception& e) {
      reject(sink, path, "invalid JSON in " + path + ": " + e.what(), bytes);
      return;
    }
    // Only Poco's own failures are rejects; what the sink throws is not
    // caught here (GuardedSource turns it into an error of the run).
    Array::Ptr list;
    Object::Ptr single;
    try {
      if (root.type() == typeid(Array::Ptr)) {
        list = root.extract<Array::Ptr>();
      } else if (root.type() == typeid(Object::Ptr)) {
        single = root.extract<Object::Ptr>();
        if (single->has("conversations")) {
          list = single->getArray("conversations");
          if (!list) {
            reject(sink, path, path + ": \"conversations\" is not an array", bytes);
            return;
          }
          single = nullptr;
        }
      } else {
        reject(sink, path, path + ": top level is neither an object nor an array", bytes);
        return;
      }
    } catch (const Poco::Exception& e) {
      reject(sink, path, path + ": " + e.displayText(), bytes);
      return;
    }
    std::size_t count = list ? list->size() : 1;
    for (std::size_t i = 0; i < count; ++i) {
      std::string locator = path + "#" + std::to_string(i);
      Object::Ptr obj;
      try {
        obj = list ? list->getObject(static_cast<unsigned>(i)) : single;
      } catch (const Poco::Exception&) {
      }
      if (!obj) {
        reject(sink, locator, path + " conversation " + std::to_string(i) + " is not an object", "");
        continue;
      }
      auto fb = chat::conversation_from_json(obj, fields_, spec_.name, locator);
      if (fb) {
        RawFeedback& record = fb->record;
        if (record.external_id.empty()) record.external_id = content_hash(bytes + "#" + std::to_string(i));
        sink.feedback(std::move(record));
        continue;
      }
      reject(sink, locator, path + " conversation " + std::to_string(i) + ": " + fb.error().message,
             chat::json_text(obj));
    }
  }

  SourceSpec spec_;
  chat::FieldMap fields_;
};

}  // namespace

std::unique_ptr<Source> make_chat_json_source(const SourceSpec& spec) {
  return std::make_unique<ChatJsonSource>(spec);
}

}  // namespace cxmap
