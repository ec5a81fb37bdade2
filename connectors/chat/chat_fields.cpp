// Chat field mapping and JSON conversation -> RawFeedback; see chat_fields.h.
#include "connectors/chat/chat_fields.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timestamp.h>

#include <cctype>
#include <sstream>

#include "connectors/email/html_text.h"
#include "connectors/timestamp.h"

namespace cxmap::chat {

namespace {

using Poco::Dynamic::Var;
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

std::string var_text(const Var& v) {
  if (v.isEmpty()) return "";
  try {
    return v.convert<std::string>();
  } catch (const Poco::Exception&) {
    return "";
  }
}

// Epoch seconds (1e8 .. 1e11) or milliseconds (1e11 .. 1e14) -> ISO.
std::optional<std::string> epoch_iso(double value) {
  double seconds = value;
  if (value >= 1e11 && value < 1e14)
    seconds = value / 1000.0;
  else if (!(value >= 1e8 && value < 1e11))
    return std::nullopt;
  Poco::Timestamp ts(static_cast<Poco::Timestamp::TimeVal>(seconds * 1e6));
  return Poco::DateTimeFormatter::format(ts, "%Y-%m-%dT%H:%M:%SZ");
}

// A time value as ISO, or a note of the raw value in metadata.
std::string time_or_note(const Var& value, const std::string& what, RawFeedback& fb) {
  if (value.isEmpty()) return "";
  if (auto iso = time_of(value)) return *iso;
  std::string raw = var_text(value);
  if (!raw.empty()) fb.metadata.emplace_back(what + "_unparsed", raw);
  return "";
}

const char* const kFieldKeys[] = {"id",      "updated", "started", "customer", "subject",  "messages",
                                  "speaker", "text",    "time",    "html",     "speakers", "metadata"};

}  // namespace

Result<Poco::JSON::Object::Ptr> settings_object(const SourceSpec& spec) {
  const std::string who = "source '" + spec.name + "'";
  auto parsed = parse_json(spec.settings.empty() ? "{}" : spec.settings);
  if (!parsed)
    return make_error(ErrorKind::config, who + ": settings are not JSON: " + parsed.error().message);
  if (parsed->type() != typeid(Object::Ptr))
    return make_error(ErrorKind::config, who + ": settings are not an object");
  return parsed->extract<Object::Ptr>();
}

Result<FieldMap> read_field_map(const SourceSpec& spec) {
  auto settings = settings_object(spec);
  if (!settings) return settings.error();
  return read_field_map(spec, *settings);
}

Result<FieldMap> read_field_map(const SourceSpec& spec, const Poco::JSON::Object::Ptr& settings) {
  const std::string who = "source '" + spec.name + "': \"fields\"";
  FieldMap f;
  try {
    if (!settings->has("fields") || settings->isNull("fields")) return f;
    Object::Ptr o = settings->getObject("fields");
    if (!o) return make_error(ErrorKind::config, who + " must be an object");
    for (const auto& [key, value] : *o) {
      bool known = false;
      for (const char* k : kFieldKeys) known = known || key == k;
      if (!known) {
        std::string all;
        for (const char* k : kFieldKeys) all += (all.empty() ? "" : ", ") + std::string(k);
        return make_error(ErrorKind::config,
                          who + ": unknown key '" + key + "' (expected one of " + all + ")");
      }
    }
    struct Slot {
      const char* key;
      std::string* out;
    } slots[] = {{"id", &f.id},           {"updated", &f.updated},
                 {"started", &f.started}, {"customer", &f.customer},
                 {"subject", &f.subject}, {"messages", &f.messages},
                 {"speaker", &f.speaker}, {"text", &f.text},
                 {"time", &f.time}};
    for (const Slot& s : slots) {
      if (!o->has(s.key)) continue;
      Var v = o->get(s.key);
      if (!v.isString() || v.extract<std::string>().empty())
        return make_error(ErrorKind::config,
                          who + "." + s.key + " must be a non-empty string (a member name or dotted path)");
      *s.out = v.extract<std::string>();
    }
    if (o->has("html")) {
      Var v = o->get("html");
      if (!v.isBoolean()) return make_error(ErrorKind::config, who + ".html must be true or false");
      f.html = v.extract<bool>();
    }
    if (o->has("speakers")) {
      Object::Ptr m = o->getObject("speakers");
      if (!m)
        return make_error(ErrorKind::config,
                          who + ".speakers must be an object (raw value -> customer|agent|bot)");
      for (const auto& [raw, target] : *m) {
        auto speaker = parse_speaker(trim_lower(var_text(target)));
        if (!speaker)
          return make_error(ErrorKind::config, who + ".speakers['" + raw + "']: '" + var_text(target) +
                                                   "' is not customer, agent or bot");
        f.speakers.emplace_back(trim_lower(raw), *speaker);
      }
    }
    if (o->has("metadata")) {
      Var v = o->get("metadata");
      if (v.isString()) {
        f.metadata.push_back(v.extract<std::string>());
      } else if (Array::Ptr a = o->getArray("metadata")) {
        for (std::size_t i = 0; i < a->size(); ++i) {
          Var item = a->get(static_cast<unsigned>(i));
          if (!item.isString())
            return make_error(ErrorKind::config, who + ".metadata must list member names");
          f.metadata.push_back(item.extract<std::string>());
        }
      } else {
        return make_error(ErrorKind::config, who + ".metadata must be a name or a list of names");
      }
    }
  } catch (const Poco::Exception& e) {
    return make_error(ErrorKind::config, who + ": " + e.displayText());
  }
  return f;
}

Result<Poco::Dynamic::Var> parse_json(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(text);
  } catch (const Poco::Exception& e) {
    return make_error(ErrorKind::input, e.displayText());
  } catch (const std::exception& e) {
    return make_error(ErrorKind::input, e.what());
  }
}

Poco::Dynamic::Var value_at(const Poco::JSON::Object::Ptr& obj, const std::string& path) {
  try {
    if (!obj || path.empty()) return Var();
    if (obj->has(path)) return obj->get(path);
    Object::Ptr cur = obj;
    std::size_t start = 0;
    for (;;) {
      std::size_t dot = path.find('.', start);
      std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (!cur->has(key)) return Var();
      Var v = cur->get(key);
      if (dot == std::string::npos) return v;
      if (v.type() != typeid(Object::Ptr)) return Var();
      cur = v.extract<Object::Ptr>();
      if (!cur) return Var();
      start = dot + 1;
    }
  } catch (const Poco::Exception&) {
    return Var();
  }
}

std::string string_at(const Poco::JSON::Object::Ptr& obj, const std::string& path) {
  return var_text(value_at(obj, path));
}

std::optional<std::string> time_of(const Poco::Dynamic::Var& value) {
  try {
    if (value.isEmpty() || value.isBoolean()) return std::nullopt;
    if (value.isNumeric()) return epoch_iso(value.convert<double>());
    std::string text = value.convert<std::string>();
    bool digits = !text.empty();
    for (char c : text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (digits && (text.size() == 10 || text.size() == 13)) return epoch_iso(std::stod(text));
    return to_iso_utc(text);
  } catch (const Poco::Exception&) {
    return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<Speaker> map_speaker(const FieldMap& fields, const std::string& raw) {
  std::string key = trim_lower(raw);
  for (const auto& [name, speaker] : fields.speakers)
    if (name == key) return speaker;
  if (auto s = parse_speaker(key)) return s;
  if (key == "admin" || key == "teammate") return Speaker::agent;
  if (key == "lead" || key == "contact" || key == "requester" || key == "end_user") return Speaker::customer;
  return std::nullopt;
}

Result<Conversation> conversation_from_json(const Poco::JSON::Object::Ptr& obj, const FieldMap& f,
                                            const std::string& source, const std::string& locator) {
  try {
    Conversation out;
    RawFeedback& fb = out.record;
    fb.source = source;
    fb.channel = "chat";
    fb.locator = locator;
    fb.external_id = string_at(obj, f.id);
    fb.customer_key = trim_lower(string_at(obj, f.customer));
    fb.received_at = time_or_note(value_at(obj, f.started), "started_at", fb);
    fb.subject = string_at(obj, f.subject);
    std::string updated = time_or_note(value_at(obj, f.updated), "updated_at", fb);
    Var turns_var = value_at(obj, f.messages);
    if (turns_var.isEmpty()) return make_error(ErrorKind::input, "no \"" + f.messages + "\" array");
    if (turns_var.type() != typeid(Array::Ptr))
      return make_error(ErrorKind::input, "\"" + f.messages + "\" is not an array");
    Array::Ptr turns = turns_var.extract<Array::Ptr>();
    std::string latest;
    for (std::size_t t = 0; turns && t < turns->size(); ++t) {
      Object::Ptr turn = turns->getObject(static_cast<unsigned>(t));
      if (!turn) return make_error(ErrorKind::input, "turn " + std::to_string(t) + " is not an object");
      std::string who = string_at(turn, f.speaker);
      auto speaker = map_speaker(f, who);
      if (!speaker)
        return make_error(ErrorKind::input, "turn " + std::to_string(t) + ": unknown speaker '" + who + "'");
      Turn one;
      one.speaker = *speaker;
      one.time = time_or_note(value_at(turn, f.time), "turn" + std::to_string(t) + "_time", fb);
      one.text = string_at(turn, f.text);
      if (f.html) {
        std::string plain = email::html_to_text(one.text);
        std::size_t b = plain.find_first_not_of(" \t\r\n"), e = plain.find_last_not_of(" \t\r\n");
        one.text = b == std::string::npos ? std::string() : plain.substr(b, e - b + 1);
      }
      if (one.time > latest) latest = one.time;
      fb.turns.push_back(std::move(one));
    }
    if (fb.received_at.empty() && !fb.turns.empty()) fb.received_at = fb.turns.front().time;
    if (!updated.empty()) fb.metadata.emplace_back("updated_at", updated);
    for (const std::string& path : f.metadata) {
      std::string v = string_at(obj, path);
      if (!v.empty()) fb.metadata.emplace_back(path, v);
    }
    out.updated = !updated.empty() ? updated : !latest.empty() ? latest : fb.received_at;
    // A conversation that gains turns gets a later revision, and replaces the
    // stored one (pipeline/record.h); without times it never changes.
    fb.revision = !updated.empty() ? updated : latest;
    return out;
  } catch (const Poco::Exception& e) {
    return make_error(ErrorKind::input, e.displayText());
  }
}

std::string json_text(const Poco::JSON::Object::Ptr& obj) {
  if (!obj) return "";
  try {
    std::ostringstream out;
    obj->stringify(out);
    return out.str();
  } catch (const Poco::Exception&) {
    return "";
  }
}

}  // namespace cxmap::chat
