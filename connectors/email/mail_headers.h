// The header block of one message (RFC 5322 section 2.2): fields unfolded,
// names kept as written, values not decoded. Knows nothing of MIME bodies.
//
// Lenient where mailers are sloppy, strict where a guess would store junk:
//  1. An mbox "From " envelope line at the very top is skipped.
//  2. A line that is not a field (no "name:") ends the block early when at
//     least one field came before it and no later line up to the first blank
//     line looks like a field: the body simply lacks its blank separator line
//     (a defect, reported through `defect`). When a field does follow, the
//     line is a malformed header and the whole block is an error naming it.
//  3. The first line must be a field; a block without fields is an error.
//  4. At most kMaxHeaderFields fields: more is an error, so a hostile header
//     block cannot make the field list grow without bound.
// Time is linear in the block's size; lines may be of any length.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/result.h"

namespace cxmap::email {

inline constexpr std::size_t kMaxHeaderFields = 10000;

struct HeaderField {
  std::string name;   // as written
  std::string value;  // unfolded (each fold becomes one space), trimmed, not decoded
};

// Parses the header block at the start of `message`. On success `body_offset`
// is where the body starts; `defect`, when given, receives a note for rule 2
// (empty otherwise). Errors name the malformed line.
Result<std::vector<HeaderField>> parse_headers(std::string_view message, std::size_t& body_offset,
                                               std::string* defect = nullptr);

// The value of the first field called `name` (case-insensitive), or nullptr.
const std::string* find_header(const std::vector<HeaderField>& fields, std::string_view name);

// True if `line` starts with a valid field name followed by ':'.
bool looks_like_field(std::string_view line);

}  // namespace cxmap::email
