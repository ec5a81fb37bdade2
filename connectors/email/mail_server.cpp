// Settings and connections shared by the pop3 and imap connectors (see
// mail_server.h). Settings errors are values; the connect/start_tls helpers
// throw Poco exceptions, which each connector converts once, where it knows
// whether it was connecting, logging in or reading.
#include "connectors/email/mail_server.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSONString.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <cstdlib>
#include <filesystem>

namespace cxmap::email {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// Reads one optional key of the entry, checking its JSON type.
class Entry {
 public:
  Entry(Object::Ptr obj, std::string who) : obj_(std::move(obj)), who_(std::move(who)) {}

  bool has(const std::string& key) const { return obj_->has(key) && !obj_->isNull(key); }

  Result<std::string> text(const std::string& key, bool required) const {
    if (!has(key)) {
      if (required) return make_error(ErrorKind::config, who_ + ": missing \"" + key + "\"");
      return std::string();
    }
    Poco::Dynamic::Var v = obj_->get(key);
    if (!v.isString()) return make_error(ErrorKind::config, who_ + ": \"" + key + "\" must be a string");
    std::string s = v.extract<std::string>();
    if (required && s.empty()) return make_error(ErrorKind::config, who_ + ": \"" + key + "\" is empty");
    return s;
  }

  Result<bool> flag(const std::string& key) const {
    if (!has(key)) return false;
    Poco::Dynamic::Var v = obj_->get(key);
    if (!v.isBoolean())
      return make_error(ErrorKind::config, who_ + ": \"" + key + "\" must be true or false");
    return v.extract<bool>();
  }

  // An integer in [lo, hi]; `fallback` when absent.
  Result<long long> integer(const std::string& key, long long lo, long long hi, long long fallback) const {
    if (!has(key)) return fallback;
    Poco::Dynamic::Var v = obj_->get(key);
    if (!v.isInteger())
      return make_error(ErrorKind::config, who_ + ": \"" + key + "\" must be a whole number");
    long long n = v.convert<long long>();
    if (n < lo || n > hi)
      return make_error(ErrorKind::config, who_ + ": \"" + key + "\" must be between " + std::to_string(lo) +
                                               " and " + std::to_string(hi) + " (got " + std::to_string(n) +
                                               ")");
    return n;
  }

  Result<std::vector<std::string>> texts(const std::string& key) const {
    std::vector<std::string> out;
    if (!has(key)) return out;
    Array::Ptr a = obj_->getArray(key);
    if (!a) return make_error(ErrorKind::config, who_ + ": \"" + key + "\" must be an array of strings");
    for (std::size_t i = 0; i < a->size(); ++i) {
      Poco::Dynamic::Var v = a->get(static_cast<unsigned>(i));
      if (!v.isString() || v.extract<std::string>().empty())
        return make_error(ErrorKind::config,
                          who_ + ": \"" + key + "\"[" + std::to_string(i) + "] must be a non-empty string");
      out.push_back(v.extract<std::string>());
    }
    return out;
  }

 private:
  Object::Ptr obj_;
  std::string who_;
};

Poco::Net::Context::Ptr tls_context(const MailServerSettings& s) {
  // Client use, chain verified against the system CAs plus ca_file; STRICT
  // also checks the host name when the server is on localhost.
  return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", s.ca_file,
                                Poco::Net::Context::VERIFY_STRICT, 9, /*loadDefaultCAs=*/true);
}

void set_timeouts(Poco::Net::StreamSocket& socket, const MailServerSettings& s) {
  const Poco::Timespan timeout(s.timeout_seconds, 0);
  socket.setReceiveTimeout(timeout);
  socket.setSendTimeout(timeout);
}

}  // namespace

Result<MailServerSettings> read_mail_settings(const SourceSpec& spec, std::uint16_t plain_port,
                                              std::uint16_t tls_port) {
  const std::string who = "source '" + spec.name + "'";
  MailServerSettings s;
  Object::Ptr obj;
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var root = parser.parse(spec.settings.empty() ? std::string("{}") : spec.settings);
    if (root.type() == typeid(Object::Ptr)) obj = root.extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return make_error(ErrorKind::config, who + ": settings are not valid JSON: " + e.displayText());
  }
  if (!obj) return make_error(ErrorKind::config, who + ": settings must be a JSON object");
  Entry entry(obj, who);

  if (entry.has("password"))
    return make_error(ErrorKind::config, who +
                                             ": \"password\" is not read from the config file; put the "
                                             "password in an environment variable and name that variable "
                                             "in \"password_env\"");
  auto host = entry.text("host", true);
  if (!host) return host.error();
  s.host = *host;
  auto user = entry.text("user", true);
  if (!user) return user.error();
  s.user = *user;
  auto env = entry.text("password_env", true);
  if (!env) return env.error();
  s.password_env = *env;
  auto tls = entry.flag("tls");
  if (!tls) return tls.error();
  s.tls = *tls;
  auto starttls = entry.flag("starttls");
  if (!starttls) return starttls.error();
  s.starttls = *starttls;
  if (s.tls && s.starttls)
    return make_error(ErrorKind::config, who +
                                             ": \"tls\" and \"starttls\" exclude each other (tls: TLS "
                                             "from the start; starttls: upgrade a plain connection)");
  auto port = entry.integer("port", 1, 65535, s.tls ? tls_port : plain_port);
  if (!port) return port.error();
  s.port = static_cast<std::uint16_t>(*port);
  auto timeout = entry.integer("timeout_seconds", 1, 3600, 30);
  if (!timeout) return timeout.error();
  s.timeout_seconds = static_cast<int>(*timeout);
  auto ca = entry.text("ca_file", false);
  if (!ca) return ca.error();
  s.ca_file = *ca;
  if (!s.ca_file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(s.ca_file, ec))
      return make_error(ErrorKind::config, who + ": \"ca_file\" is not a file: " + s.ca_file);
    if (!s.tls && !s.starttls)
      return make_error(ErrorKind::config,
                        who + ": \"ca_file\" is set but neither \"tls\" nor \"starttls\" is");
  }
  auto del = entry.flag("delete_after");
  if (!del) return del.error();
  s.delete_after = *del;
  auto folders = entry.texts("folders");
  if (!folders) return folders.error();
  s.folders = *folders;
  if (entry.has("folders") && s.folders.empty())
    return make_error(ErrorKind::config, who + ": \"folders\" is empty");
  if (s.folders.empty()) s.folders.push_back("INBOX");

  const char* password = std::getenv(s.password_env.c_str());
  if (!password || !*password)
    return make_error(ErrorKind::config, who + ": environment variable " + s.password_env +
                                             " (named by \"password_env\") is not set");
  s.password = password;
  for (const std::string* v : {&s.user, &s.password})
    if (v->find_first_of(std::string("\r\n\0", 3)) != std::string::npos)
      return make_error(ErrorKind::config, who + ": the user name or password holds a line break or NUL");
  return s;
}

Poco::Net::StreamSocket connect_mail_server(const MailServerSettings& s) {
  const Poco::Net::SocketAddress address(s.host, s.port);
  const Poco::Timespan timeout(s.timeout_seconds, 0);
  Poco::Net::StreamSocket plain;
  plain.connect(address, timeout);
  set_timeouts(plain, s);
  if (!s.tls) return plain;
  Poco::Net::StreamSocket secure = Poco::Net::SecureStreamSocket::attach(plain, s.host, tls_context(s));
  set_timeouts(secure, s);
  return secure;
}

Poco::Net::StreamSocket start_tls(const Poco::Net::StreamSocket& plain, const MailServerSettings& s) {
  Poco::Net::StreamSocket secure = Poco::Net::SecureStreamSocket::attach(plain, s.host, tls_context(s));
  set_timeouts(secure, s);
  return secure;
}

std::string crlf_to_lf(const std::string& bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') continue;
    out += bytes[i];
  }
  return out;
}

std::string network_error_text(const Poco::Exception& e) {
  std::string text = e.displayText();
  if (text.find("certificate verify failed") != std::string::npos)
    text += " (a server with a private CA or a self-signed certificate needs \"ca_file\")";
  return text;
}

std::string json_quote(const std::string& s) {
  return Poco::toJSON(s, true);
}

}  // namespace cxmap::email
