// Customer key normalisation and the alias table from the sources config.
#include "connectors/customer_keys.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

namespace cxmap {

namespace {

std::string trim(std::string_view s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return std::string(s.substr(a, b - a));
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string normalize_customer_key(std::string_view raw) {
  std::string s = trim(raw);
  if (s.empty()) return s;
  if (s.find('@') != std::string::npos) {
    // "Maria Lopez <Maria.Lopez@Example.com>" -> the address
    auto lt = s.find('<'), gt = s.rfind('>');
    if (lt != std::string::npos && gt != std::string::npos && gt > lt) s = trim(std::string_view(s).substr(lt + 1, gt - lt - 1));
    if (s.rfind("mailto:", 0) == 0) s = s.substr(7);
    return lower(s);
  }
  // A phone number: digits and the usual separators only, 7 to 15 digits.
  std::string digits;
  bool plus = false, phone = true;
  for (std::size_t i = 0; i < s.size() && phone; ++i) {
    char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    else if (c == '+' && digits.empty() && !plus) plus = true;
    else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '/') phone = false;
  }
  if (phone && digits.size() >= 7 && digits.size() <= 15 + 2) {
    if (!plus && digits.rfind("00", 0) == 0 && digits.size() > 9) {
      plus = true;  // 0044... international prefix
      digits = digits.substr(2);
    }
    // "+44 (0)7700 900123": the trunk 0 after a country code is dropped.
    if (plus) {
      auto paren = s.find("(0)");
      if (paren != std::string::npos) {
        std::string before;
        for (std::size_t i = 0; i < paren; ++i)
          if (std::isdigit(static_cast<unsigned char>(s[i]))) before += s[i];
        if (before.rfind("00", 0) == 0) before = before.substr(2);
        if (digits.size() > before.size() && digits[before.size()] == '0') digits.erase(before.size(), 1);
      }
    }
    return plus ? "+" + digits : digits;
  }
  return s;
}

bool CustomerAliases::add(std::string_view alias, std::string_view target) {
  std::string a = normalize_customer_key(alias), t = normalize_customer_key(target);
  if (a.empty() || t.empty() || a == t) return false;
  map_[a] = t;
  return true;
}

std::string CustomerAliases::resolve(std::string_view raw) const {
  std::string key = normalize_customer_key(raw);
  for (std::size_t hops = 0; hops <= map_.size(); ++hops) {
    auto it = map_.find(key);
    if (it == map_.end()) break;
    key = it->second;
  }
  // (a cycle stops the walk: check() reports it when the config is loaded)
  if (key.empty() || hmac_key_.empty()) return key;
  return hmac_customer_key(hmac_key_, key);
}

std::string hmac_customer_key(const std::string& key, std::string_view identity) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(identity.data()),
       identity.size(), digest, &length);
  static const char* kHex = "0123456789abcdef";
  std::string out = "hmac:";
  for (unsigned i = 0; i < 16 && i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

Status CustomerAliases::check() const {
  for (const auto& [alias, target] : map_) {
    std::set<std::string> seen{alias};
    std::string key = target;
    for (;;) {
      auto it = map_.find(key);
      if (it == map_.end()) break;
      if (!seen.insert(key).second)
        return make_error(ErrorKind::config, "customers.aliases: '" + alias + "' leads back to itself");
      key = it->second;
    }
  }
  return ok_status();
}

namespace {

// The key behind "hmac_key_env" or "hmac_key_file"; "" when neither is set.
Result<std::string> load_hmac_key(const Poco::JSON::Object& customers, const std::string& config_path) {
  const std::string where = config_path + ": customers.";
  if (customers.has("hmac_key_env") && customers.has("hmac_key_file"))
    return make_error(ErrorKind::config, where + "hmac_key_env and hmac_key_file: give one");
  if (customers.has("hmac_key_env")) {
    const std::string name = customers.getValue<std::string>("hmac_key_env");
    const char* value = std::getenv(name.c_str());
    if (!value || !*value)
      return make_error(ErrorKind::config, where + "hmac_key_env: environment variable " + name + " is unset or empty");
    return std::string(value);
  }
  if (customers.has("hmac_key_file")) {
    std::string path = customers.getValue<std::string>("hmac_key_file");
    if (std::filesystem::path(path).is_relative())
      path = (std::filesystem::absolute(config_path).parent_path() / path).string();
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
      return make_error(ErrorKind::config, where + "hmac_key_file: cannot read " + path);
    if ((st.st_mode & 077) != 0)
      return make_error(ErrorKind::config, where + "hmac_key_file: " + path +
                                               " is readable by group or others (chmod 600 it)");
    std::ifstream in(path, std::ios::binary);
    std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    if (key.size() < 16)
      return make_error(ErrorKind::config, where + "hmac_key_file: " + path + " holds fewer than 16 bytes");
    return key;
  }
  return std::string();
}

}  // namespace

Result<CustomerAliases> load_customer_aliases(const std::string& config_path) {
  std::ifstream in(config_path, std::ios::binary);
  if (!in) return make_error(ErrorKind::config, "cannot read config " + config_path);
  std::stringstream buf;
  buf << in.rdbuf();
  CustomerAliases out;
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var root = parser.parse(buf.str());
    if (root.type() != typeid(Poco::JSON::Object::Ptr)) return out;  // load_sources_config reports it
    auto top = root.extract<Poco::JSON::Object::Ptr>();
    if (!top->has("customers")) return out;
    auto customers = top->getObject("customers");
    if (!customers) return make_error(ErrorKind::config, config_path + ": \"customers\" must be an object");
    auto key = load_hmac_key(*customers, config_path);
    if (!key) return key.error();
    out.set_hmac_key(std::move(*key));
    if (!customers->has("aliases")) return out;
    auto aliases = customers->getObject("aliases");
    if (!aliases) return make_error(ErrorKind::config, config_path + ": \"customers.aliases\" must be an object");
    for (const std::string& name : aliases->getNames()) {
      Poco::Dynamic::Var v = aliases->get(name);
      if (!v.isString())
        return make_error(ErrorKind::config, config_path + ": customers.aliases['" + name + "'] must be a string");
      if (!out.add(name, v.toString()))
        return make_error(ErrorKind::config, config_path + ": customers.aliases['" + name + "'] maps to itself or is empty");
    }
  } catch (const Poco::Exception& e) {
    return make_error(ErrorKind::config, config_path + ": " + e.displayText());
  }
  if (auto s = out.check(); !s) return make_error(ErrorKind::config, config_path + ": " + s.error().message);
  return out;
}

}  // namespace cxmap
