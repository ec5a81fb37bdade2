// Strict decoding of a request target: the path and the query string.
//
// Strict because the decoded path decides which file or record is read: a
// malformed escape ("%2", "%zz") or an escaped NUL is an error (400), never
// passed through or silently dropped. In the query, '+' is a space
// (application/x-www-form-urlencoded); in the path it is a '+'.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxmap {

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// "q=a+b&limit=5" -> {{"q", "a b"}, {"limit", "5"}}; "flag" -> {{"flag", ""}}.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query);

}  // namespace cxmap
