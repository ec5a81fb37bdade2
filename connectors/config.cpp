// load_sources_config: {"sources": [{"name", "kind", "path", "columns"}]}
// read with Poco JSON. Poco exceptions stay in this file; every error names
// the config file and the entry (index and name).
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "connectors/source_kinds.h"

namespace cxmap {

namespace {

namespace fs = std::filesystem;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string str(const Object::Ptr& o, const std::string& key) {
  if (!o->has(key) || o->isNull(key)) return "";
  return o->get(key).convert<std::string>();
}

std::vector<std::string> str_list(const Object::Ptr& o, const std::string& key) {
  std::vector<std::string> out;
  if (!o->has(key) || o->isNull(key)) return out;
  if (Array::Ptr a = o->getArray(key)) {
    for (std::size_t i = 0; i < a->size(); ++i) out.push_back(a->get(static_cast<unsigned>(i)).convert<std::string>());
  } else {
    out.push_back(o->get(key).convert<std::string>());  // a single name
  }
  return out;
}

}  // namespace

Result<std::vector<SourceSpec>> load_sources_config(const std::string& config_path) {
  auto bytes = read_file(config_path);
  if (!bytes) return make_error(ErrorKind::config, "cannot read config " + config_path);
  std::vector<SourceSpec> specs;
  std::set<std::string> names;
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var root = parser.parse(*bytes);
    if (root.type() != typeid(Object::Ptr))
      return make_error(ErrorKind::config, config_path + ": top level must be an object with \"sources\"");
    Object::Ptr top = root.extract<Object::Ptr>();
    Array::Ptr sources = top->getArray("sources");
    if (!sources) return make_error(ErrorKind::config, config_path + ": no \"sources\" array");
    fs::path base = fs::absolute(fs::path(config_path)).parent_path();
    // "root": every source path, and every file found under one, must
    // resolve inside it (symlinks followed).
    std::string root_dir;
    if (top->has("root")) {
      fs::path r = str(top, "root");
      if (r.empty()) return make_error(ErrorKind::config, config_path + ": \"root\" must be a folder name");
      if (r.is_relative()) r = base / r;
      std::error_code ec;
      root_dir = fs::canonical(r, ec).string();
      if (ec || !fs::is_directory(root_dir, ec))
        return make_error(ErrorKind::config, config_path + ": root " + r.string() + " is not a folder");
    }
    for (std::size_t i = 0; i < sources->size(); ++i) {
      Object::Ptr entry = sources->getObject(static_cast<unsigned>(i));
      std::string where = config_path + ": sources[" + std::to_string(i) + "]";
      if (!entry) return make_error(ErrorKind::config, where + " is not an object");
      SourceSpec spec;
      spec.name = str(entry, "name");
      if (!spec.name.empty()) where += " ('" + spec.name + "')";
      if (spec.name.empty()) return make_error(ErrorKind::config, where + ": missing \"name\"");
      if (!names.insert(spec.name).second)
        return make_error(ErrorKind::config, where + ": duplicate source name '" + spec.name + "'");
      spec.kind = str(entry, "kind");
      const SourceKind* kind = find_source_kind(spec.kind);
      if (!kind)
        return make_error(ErrorKind::config, where + ": unknown kind '" + spec.kind + "' (expected one of " +
                                                 source_kind_names() + ")");
      spec.path = str(entry, "path");
      if (spec.path.empty() && kind->needs_path)
        return make_error(ErrorKind::config, where + ": missing \"path\"");
      if (!spec.path.empty() && fs::path(spec.path).is_relative())
        spec.path = (base / spec.path).lexically_normal().string();
      spec.root = root_dir;
      if (!root_dir.empty() && !spec.path.empty()) {
        if (auto real = resolves_outside(root_dir, spec.path))
          return make_error(ErrorKind::config, where + ": path " + spec.path + " resolves to " + *real +
                                                   ", outside the root " + root_dir);
      }
      std::ostringstream settings;
      entry->stringify(settings);
      spec.settings = settings.str();
      if (entry->has("columns")) {
        Object::Ptr c = entry->getObject("columns");
        if (!c) return make_error(ErrorKind::config, where + ": \"columns\" must be an object");
        spec.columns.id = str(c, "id");
        spec.columns.date = str(c, "date");
        spec.columns.customer = str(c, "customer");
        spec.columns.nps = str(c, "nps");
        spec.columns.csat = str(c, "csat");
        spec.columns.ces = str(c, "ces");
        spec.columns.text = str_list(c, "text");
        spec.columns.metadata = str_list(c, "metadata");
      }
      specs.push_back(std::move(spec));
    }
  } catch (const Poco::Exception& e) {
    return make_error(ErrorKind::config, config_path + ": " + e.displayText());
  } catch (const std::exception& e) {
    return make_error(ErrorKind::config, config_path + ": " + e.what());
  }
  return specs;
}

}  // namespace cxmap
