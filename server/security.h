// Safe by default: who may call the API and what every response carries.
//
// The server binds to loopback unless told otherwise, and binding anywhere
// else requires a bearer token, so customers' words are never served to a
// network without a secret. A token comes from an environment variable or
// from a file that only its owner can read (mode 0600 or stricter); anything
// looser is refused, as ssh refuses a readable private key. When a token is
// set, every /api request must carry "Authorization: Bearer <token>",
// compared in constant time. Every response gets a strict Content-Security-
// Policy (no inline script), nosniff, DENY framing and no referrer; CORS
// headers appear only for the one origin given with --cors-origin.
#pragma once

#include <string>
#include <string_view>

#include "pipeline/result.h"
#include "server/api.h"

namespace cxmap {

// Tokens shorter than this are refused: a bearer token is the only lock.
inline constexpr std::size_t kMinTokenLength = 16;

// Equal contents, in time that depends only on the lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

// True when the Authorization header value is "Bearer <token>".
bool bearer_matches(std::string_view authorization, std::string_view token);

// The token in environment variable `name` (config error when unset, empty
// or short).
Result<std::string> token_from_env(const std::string& name);
// The token in a file (its first line, trimmed): a config error when the
// file is not a regular file, is readable or writable by group or others,
// or holds a short token.
Result<std::string> token_from_file(const std::string& path);

// An IP literal on the loopback network (127.0.0.0/8, ::1); "localhost" counts.
bool is_loopback(const std::string& bind);
// A config error when `bind` is not an IP address, or is not loopback and
// there is no token.
Status check_bind(const std::string& bind, bool has_token);

// The headers every response carries; CORS ones only when cors_origin is set
// and the path is under /api/. A Content-Security-Policy the reply already
// has is kept (a route serving a page with its own inline stylesheet sends a
// policy naming that stylesheet's hash).
void add_security_headers(Reply& reply, const std::string& cors_origin, bool api);

}  // namespace cxmap
