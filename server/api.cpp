// Request accessors, reply builders and the error-to-status mapping.
#include "server/api.h"

#include <charconv>
#include <sstream>

#include "report/writer.h"

namespace cxmap {

std::optional<std::string> Request::arg(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

std::string Request::param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

Reply json_reply(std::string body, int status) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Reply error_reply(int status, std::string_view message) {
  std::ostringstream out;
  JsonWriter j(out);
  j.begin_object().key("error").value(message).end_object();
  j.finish();
  Reply r = json_reply(out.str(), status);
  if (status == 401) r.header("WWW-Authenticate", "Bearer realm=\"cxmap\"");
  if (status == 503) r.header("Retry-After", "1");
  return r;
}

int status_of(const Error& error) {
  switch (error.kind) {
    case ErrorKind::usage: return 400;
    case ErrorKind::busy: return 503;
    case ErrorKind::store:
      // A writer holding SQLite's lock past the busy timeout: try again soon.
      if (error.message.find("database is locked") != std::string::npos ||
          error.message.find("database is busy") != std::string::npos)
        return 503;
      return 500;
    case ErrorKind::config:
    case ErrorKind::input:
    case ErrorKind::internal: return 500;
  }
  return 500;
}

Reply error_reply(const Error& error) { return error_reply(status_of(error), error.message); }

Result<int> int_arg(const Request& request, std::string_view name, int fallback, int max) {
  auto text = request.arg(name);
  if (!text) return fallback;
  int v = 0;
  const char* end = text->data() + text->size();
  auto [p, ec] = std::from_chars(text->data(), end, v);
  if (text->empty() || ec != std::errc() || p != end || v < 0 || v > max)
    return make_error(ErrorKind::usage, std::string(name) + " must be a whole number from 0 to " +
                                            std::to_string(max) + ", not \"" + *text + "\"");
  return v;
}

}  // namespace cxmap
