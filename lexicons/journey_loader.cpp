// JSON -> JourneyDefinition with Poco::JSON; every Poco exception is turned
// into an Error here.
#include "lexicons/journey_loader.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace cxmap {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Error config_error(std::string_view origin, const std::string& what) {
  return make_error(ErrorKind::config, std::string(origin) + ": " + what);
}

bool read_weight(const Object::Ptr& o, double& w) {
  if (!o->has("weight")) return true;
  try {
    w = o->getValue<double>("weight");
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

Result<LabelDef> read_label(const Object::Ptr& o, std::string_view origin, const std::string& where) {
  LabelDef d;
  if (!o->has("name") || !o->get("name").isString()) return config_error(origin, where + " needs a string \"name\"");
  d.name = o->getValue<std::string>("name");
  const std::string at = where + " '" + d.name + "'";
  if (o->has("description")) d.description = o->getValue<std::string>("description");
  if (o->has("priority")) {
    try {
      d.priority = o->getValue<int>("priority");
    } catch (const Poco::Exception&) {
      return config_error(origin, at + ": \"priority\" must be an integer");
    }
  }
  if (o->has("cues")) {
    Array::Ptr cues = o->getArray("cues");
    if (!cues) return config_error(origin, at + ": \"cues\" must be an array");
    for (std::size_t i = 0; i < cues->size(); ++i) {
      Poco::Dynamic::Var v = cues->get(static_cast<unsigned>(i));
      if (v.isString()) {
        d.cues.push_back({v.toString(), 1});
        continue;
      }
      Object::Ptr c = cues->getObject(static_cast<unsigned>(i));
      if (!c) return config_error(origin, at + ": cue #" + std::to_string(i + 1) + " must be a string or an object");
      double w = 1;
      if (!read_weight(c, w)) return config_error(origin, at + ": cue #" + std::to_string(i + 1) + " has a non-numeric weight");
      if (c->has("text")) {
        d.cues.push_back({c->getValue<std::string>("text"), w});
      } else if (Array::Ptr terms = c->getArray("terms")) {
        for (std::size_t k = 0; k < terms->size(); ++k) d.cues.push_back({terms->get(static_cast<unsigned>(k)).toString(), w});
      } else {
        return config_error(origin, at + ": cue #" + std::to_string(i + 1) + " needs \"text\" or \"terms\"");
      }
    }
  }
  if (o->has("patterns")) {
    Array::Ptr pats = o->getArray("patterns");
    if (!pats) return config_error(origin, at + ": \"patterns\" must be an array");
    for (std::size_t i = 0; i < pats->size(); ++i) {
      Poco::Dynamic::Var v = pats->get(static_cast<unsigned>(i));
      if (v.isString()) {
        d.patterns.push_back({v.toString(), 1});
        continue;
      }
      Object::Ptr p = pats->getObject(static_cast<unsigned>(i));
      if (!p || !p->has("regex")) return config_error(origin, at + ": pattern #" + std::to_string(i + 1) + " needs \"regex\"");
      double w = 1;
      if (!read_weight(p, w)) return config_error(origin, at + ": pattern #" + std::to_string(i + 1) + " has a non-numeric weight");
      d.patterns.push_back({p->getValue<std::string>("regex"), w});
    }
  }
  return d;
}

Status read_labels(const Object::Ptr& root, const char* key, const char* what, std::string_view origin,
                   std::vector<LabelDef>& out) {
  if (!root->has(key)) return ok_status();
  Array::Ptr arr = root->getArray(key);
  if (!arr) return config_error(origin, std::string("\"") + key + "\" must be an array");
  for (std::size_t i = 0; i < arr->size(); ++i) {
    Object::Ptr o = arr->getObject(static_cast<unsigned>(i));
    if (!o) return config_error(origin, std::string(what) + " #" + std::to_string(i + 1) + " must be an object");
    auto d = read_label(o, origin, std::string(what) + " #" + std::to_string(i + 1));
    if (!d) return d.error();
    out.push_back(std::move(d).value());
  }
  return ok_status();
}

Status read_links(const Object::Ptr& root, std::string_view origin, JourneyLinks& links) {
  if (!root->has("links")) return ok_status();
  Object::Ptr o = root->getObject("links");
  if (!o) return config_error(origin, "\"links\" must be an object");
  for (const auto& [key, target] : {std::pair<const char*, int*>{"dead_end_days", &links.dead_end_days},
                                    std::pair<const char*, int*>{"repeat_contact_days", &links.repeat_contact_days}}) {
    if (!o->has(key)) continue;
    Poco::Dynamic::Var v = o->get(key);
    if (!v.isNumeric()) return config_error(origin, std::string("links: \"") + key + "\" must be a number of days");
    double d = v.convert<double>();
    if (d < 0 || d > 3650) return config_error(origin, std::string("links: \"") + key + "\" must be between 0 and 3650");
    *target = static_cast<int>(d);
  }
  for (const auto& name : o->getNames())
    if (name != "dead_end_days" && name != "repeat_contact_days")
      return config_error(origin, "links: unknown key \"" + name + "\" (expected dead_end_days, repeat_contact_days)");
  return ok_status();
}

// "topics": [{"name": "billing", "cues": ["bill", "refund", ...]}, ...]
Status read_topics(const Object::Ptr& root, std::string_view origin, std::vector<TopicDef>& out) {
  if (!root->has("topics")) return ok_status();
  Array::Ptr arr = root->getArray("topics");
  if (!arr) return config_error(origin, "\"topics\" must be an array");
  for (std::size_t i = 0; i < arr->size(); ++i) {
    Object::Ptr o = arr->getObject(static_cast<unsigned>(i));
    const std::string where = "topic #" + std::to_string(i + 1);
    if (!o || !o->has("name") || !o->get("name").isString())
      return config_error(origin, where + " must be an object with a string \"name\"");
    TopicDef t;
    t.name = o->getValue<std::string>("name");
    Array::Ptr cues = o->getArray("cues");
    if (!cues) return config_error(origin, "topic '" + t.name + "' needs a \"cues\" array");
    for (std::size_t k = 0; k < cues->size(); ++k) t.cues.push_back(cues->get(static_cast<unsigned>(k)).toString());
    out.push_back(std::move(t));
  }
  return ok_status();
}

}  // namespace

Result<JourneyDefinition> parse_journey_definition(std::string_view json_text, std::string_view origin) {
  JourneyDefinition def;
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var parsed = parser.parse(std::string(json_text));
    Object::Ptr root = parsed.extract<Object::Ptr>();
    if (!root) return config_error(origin, "top level must be a JSON object");
    if (auto s = read_labels(root, "stages", "stage", origin, def.stages); !s) return s.error();
    if (auto s = read_labels(root, "touchpoints", "touchpoint", origin, def.touchpoints); !s) return s.error();
    if (auto s = read_links(root, origin, def.links); !s) return s.error();
    if (auto s = read_topics(root, origin, def.topics); !s) return s.error();
  } catch (const Poco::Exception& e) {
    return config_error(origin, "invalid JSON: " + e.displayText());
  } catch (const std::exception& e) {
    return config_error(origin, std::string("invalid journey definition: ") + e.what());
  }
  auto compiled = compile_journey(std::move(def));
  if (!compiled) return config_error(origin, compiled.error().message);
  return compiled;
}

}  // namespace cxmap
