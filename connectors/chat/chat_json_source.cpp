// Chat transcript connector: JSON files, each holding one conversation
// object, an array of them, or {"conversations": [...]}; a folder is read in
// file-name order. Locator: "path#index" (index of the conversation in the
// file, 0-based). A file that is not valid JSON is one reject naming the file
// and Poco's message; a conversation with a bad turn is one reject naming the
// turn. Poco exceptions stay in this file.
//
//   {"conversation_id": "CH-1", "customer": "a@b.com", "started_at": "...",
//    "subject": "...", "turns": [{"speaker": "bot|customer|agent",
//                                 "time": "...", "text": "..."}]}
#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cctype>
#include <sstream>

#include "connectors/email/mime_message.h"
#include "connectors/source_kinds.h"
#include "connectors/timestamp.h"

namespace cxmap {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string trim_lower(std::string s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  s = s.substr(b, e - b);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A string member, or "" when absent or null; numbers are printed.
std::string string_member(const Object::Ptr& obj, const std::string& key) {
  if (!obj->has(key) || obj->isNull(key)) return "";
  return obj->get(key).convert<std::string>();
}

// Normalised time; an unparseable value is kept in metadata.
std::string iso_or_note(const std::string& raw, const std::string& what, RawFeedback& fb) {
  if (raw.empty()) return "";
  if (auto iso = to_iso_utc(raw)) return *iso;
  fb.metadata.emplace_back(what + "_unparsed", raw);
  return "";
}

Result<RawFeedback> conversation(const Object::Ptr& obj, const std::string& source, const std::string& locator,
                                 const std::string& file_bytes, std::size_t index) {
  RawFeedback fb;
  fb.source = source;
  fb.channel = "chat";
  fb.locator = locator;
  fb.external_id = string_member(obj, "conversation_id");
  if (fb.external_id.empty()) fb.external_id = content_hash(file_bytes + "#" + std::to_string(index));
  fb.customer_key = trim_lower(string_member(obj, "customer"));
  fb.received_at = iso_or_note(string_member(obj, "started_at"), "started_at", fb);
  fb.subject = string_member(obj, "subject");
  Array::Ptr turns = obj->getArray("turns");
  if (!turns) {
    if (obj->has("turns")) return make_error(ErrorKind::input, "\"turns\" is not an array");
    return make_error(ErrorKind::input, "no \"turns\" array");
  }
  for (std::size_t t = 0; t < turns->size(); ++t) {
    Object::Ptr turn = turns->getObject(static_cast<unsigned>(t));
    if (!turn) return make_error(ErrorKind::input, "turn " + std::to_string(t) + " is not an object");
    std::string who = string_member(turn, "speaker");
    auto speaker = parse_speaker(trim_lower(who));
    if (!speaker)
      return make_error(ErrorKind::input, "turn " + std::to_string(t) + ": unknown speaker '" + who + "'");
    Turn out;
    out.speaker = *speaker;
    out.time = iso_or_note(string_member(turn, "time"), "turn" + std::to_string(t) + "_time", fb);
    out.text = string_member(turn, "text");
    fb.turns.push_back(std::move(out));
  }
  if (fb.received_at.empty() && !fb.turns.empty()) fb.received_at = fb.turns.front().time;
  return fb;
}

class ChatJsonSource : public Source {
 public:
  explicit ChatJsonSource(SourceSpec spec) : spec_(std::move(spec)) {}
  const SourceSpec& spec() const override { return spec_; }

  Status pull(RecordSink& sink, const std::string& /*cursor*/) override {
    auto listed = file_or_folder_files(spec_.path, ".json");
    if (!listed) return listed.error();
    const std::vector<std::string>& files = *listed;
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
      Result<RawFeedback> fb = make_error(ErrorKind::internal, "");
      try {
        fb = conversation(obj, spec_.name, locator, bytes, i);
      } catch (const Poco::Exception& e) {
        fb = make_error(ErrorKind::input, e.displayText());
      }
      if (fb) {
        sink.feedback(std::move(fb).value());
        continue;
      }
      std::ostringstream raw;
      try {
        obj->stringify(raw);
      } catch (const Poco::Exception&) {
      }
      reject(sink, locator, path + " conversation " + std::to_string(i) + ": " + fb.error().message, raw.str());
    }
  }

  SourceSpec spec_;
};

}  // namespace

std::unique_ptr<Source> make_chat_json_source(const SourceSpec& spec) {
  return std::make_unique<ChatJsonSource>(spec);
}

}  // namespace cxmap
