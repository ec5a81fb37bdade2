// Where a chat conversation's fields sit in a JSON object, and the one
// function that turns such an object into RawFeedback. Shared by chat_json,
// chat_jsonl and chat_api, so a help-desk export that needs a mapping gets
// the same mapping whichever way it arrives.
//
// The mapping is the "fields" object of the source's config entry; each value
// is a member name or a dotted path into nested objects ("author.type"). The
// defaults are the chat_json format:
//
//   {"conversation_id": "CH-1", "customer": "a@b.com", "started_at": "...",
//    "updated_at": "...", "subject": "...",
//    "turns": [{"speaker": "bot|customer|agent", "time": "...", "text": "..."}]}
//
// Times may be any form to_iso_utc() reads, or Unix epoch seconds /
// milliseconds (a JSON number, or a string of 10 or 13 digits). This file
// knows nothing of files or HTTP, and Poco exceptions never leave
// chat_fields.cpp.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "connectors/source.h"
#include "pipeline/record.h"
#include "pipeline/result.h"

namespace cxmap::chat {

struct FieldMap {
  std::string id = "conversation_id";
  std::string updated = "updated_at";
  std::string started = "started_at";
  std::string customer = "customer";
  std::string subject = "subject";
  std::string messages = "turns";   // the array of turns
  std::string speaker = "speaker";  // in each turn
  std::string text = "text";        // in each turn
  std::string time = "time";        // in each turn
  bool html = false;                // turn texts are HTML: converted to plain text
  // Raw speaker values (lowercased) -> speaker, consulted before the built-in
  // names of parse_speaker() and the help-desk roles (admin, teammate: agent;
  // lead, contact, requester: customer).
  std::vector<std::pair<std::string, Speaker>> speakers;
  // Paths copied into RawFeedback::metadata (key = the path) when present.
  std::vector<std::string> metadata;
};

// The source's config entry (SourceSpec::settings) as a JSON object; a config
// error naming the source when it is not one.
Result<Poco::JSON::Object::Ptr> settings_object(const SourceSpec& spec);

// The "fields" member of the settings, over the defaults. Errors (config)
// name the source and the offending key.
Result<FieldMap> read_field_map(const SourceSpec& spec, const Poco::JSON::Object::Ptr& settings);
Result<FieldMap> read_field_map(const SourceSpec& spec);

// Parses JSON text; the error message is the parser's, e.g. "Syntax error".
Result<Poco::Dynamic::Var> parse_json(const std::string& text);

// The value at a member name or dotted path; an empty Var when a step is
// missing or null. A member whose name holds the dot itself wins.
Poco::Dynamic::Var value_at(const Poco::JSON::Object::Ptr& obj, const std::string& path);

// value_at() as text ("" when absent; numbers printed). Never throws.
std::string string_at(const Poco::JSON::Object::Ptr& obj, const std::string& path);

// A JSON time value (string or epoch number) as ISO-8601 UTC; nullopt when it
// is absent or unreadable.
std::optional<std::string> time_of(const Poco::Dynamic::Var& value);

// "Agent", " admin " ... -> Speaker through the mapping, parse_speaker() and
// the help-desk roles; nullopt when unknown.
std::optional<Speaker> map_speaker(const FieldMap& fields, const std::string& raw);

struct Conversation {
  RawFeedback record;
  // When the conversation last changed (ISO-8601 UTC): the "updated" field,
  // else its latest turn time, else its start; "" when none is known.
  std::string updated;
};

// One conversation object -> record. external_id is left empty when the
// object has no id: the caller supplies a stable fallback (a content hash).
// A missing or non-array turns member, a turn that is not an object or has an
// unknown speaker is an error whose message is the quarantine reason. Times
// that cannot be read are kept in metadata as "<what>_unparsed".
Result<Conversation> conversation_from_json(const Poco::JSON::Object::Ptr& obj, const FieldMap& fields,
                                            const std::string& source, const std::string& locator);

// The object as JSON text, for a quarantine's raw bytes ("" if it cannot be
// printed). Never throws.
std::string json_text(const Poco::JSON::Object::Ptr& obj);

}  // namespace cxmap::chat
