// Tokens, the bind policy and the security headers.
#include "server/security.h"

#include <sys/stat.h>

#include <Poco/Net/IPAddress.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace cxmap {

bool constant_time_equal(std::string_view a, std::string_view b) {
  // Walk the longer input fully and fold the length difference in, so
  // neither the first differing byte nor a short guess ends the loop early.
  const std::size_t n = std::max(a.size(), b.size());
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

bool bearer_matches(std::string_view authorization, std::string_view token) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() < kScheme.size()) return false;
  // The scheme is case-insensitive (RFC 7235); the token is not.
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) !=
        std::tolower(static_cast<unsigned char>(kScheme[i])))
      return false;
  std::string_view given = authorization.substr(kScheme.size());
  while (!given.empty() && given.front() == ' ') given.remove_prefix(1);
  while (!given.empty() && given.back() == ' ') given.remove_suffix(1);
  return constant_time_equal(given, token);
}

namespace {

std::string trimmed(std::string s) {
  const char* ws = " \t\r\n";
  s.erase(0, s.find_first_not_of(ws) == std::string::npos ? s.size() : s.find_first_not_of(ws));
  s.erase(s.find_last_not_of(ws) + 1);
  return s;
}

Result<std::string> checked_token(std::string token, const std::string& where) {
  token = trimmed(std::move(token));
  if (token.empty()) return make_error(ErrorKind::config, where + " holds no token");
  if (token.size() < kMinTokenLength)
    return make_error(ErrorKind::config, where + " holds a token of " + std::to_string(token.size()) +
                                             " characters; use at least " + std::to_string(kMinTokenLength) +
                                             " (e.g. `openssl rand -hex 32`)");
  return token;
}

}  // namespace

Result<std::string> token_from_env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v) return make_error(ErrorKind::config, "--token-env: environment variable " + name + " is not set");
  return checked_token(v, "environment variable " + name);
}

Result<std::string> token_from_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return make_error(ErrorKind::config, "--token-file: cannot read " + path);
  if (!S_ISREG(st.st_mode)) return make_error(ErrorKind::config, "--token-file: " + path + " is not a regular file");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return make_error(ErrorKind::config, "--token-file: " + path + " has mode " + mode +
                                             ", so other users can read it; run `chmod 600 " + path +
                                             "` (0600 or stricter is required)");
  }
  std::ifstream in(path, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line)) return make_error(ErrorKind::config, "--token-file: cannot read " + path);
  return checked_token(line, "token file " + path);
}

bool is_loopback(const std::string& bind) {
  if (bind == "localhost") return true;
  Poco::Net::IPAddress ip;
  return Poco::Net::IPAddress::tryParse(bind, ip) && ip.isLoopback();
}

Status check_bind(const std::string& bind, bool has_token) {
  Poco::Net::IPAddress ip;
  if (bind != "localhost" && !Poco::Net::IPAddress::tryParse(bind, ip))
    return make_error(ErrorKind::config, "--bind takes an IP address (such as 127.0.0.1 or 0.0.0.0), not \"" +
                                             bind + "\"");
  if (!is_loopback(bind) && !has_token)
    return make_error(ErrorKind::config,
                      "refusing to serve customer feedback on " + bind +
                          " without a token: give --token-env NAME or --token-file PATH (mode 0600), "
                          "or bind to 127.0.0.1");
  return ok_status();
}

void add_security_headers(Reply& reply, const std::string& cors_origin, bool api) {
  // A route may have set a stricter policy of its own (the map page).
  bool has_csp = false;
  for (const auto& [name, value] : reply.headers) has_csp = has_csp || name == "Content-Security-Policy";
  if (!has_csp)
    reply.header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "frame-ancestors 'none'; base-uri 'none'");
  reply.header("X-Content-Type-Options", "nosniff");
  reply.header("X-Frame-Options", "DENY");
  reply.header("Referrer-Policy", "no-referrer");
  // API answers hold personal data: no shared or browser cache keeps them.
  if (api) reply.header("Cache-Control", "no-store");
  if (api && !cors_origin.empty()) {
    reply.header("Access-Control-Allow-Origin", cors_origin);
    reply.header("Vary", "Origin");
  }
}

}  // namespace cxmap
