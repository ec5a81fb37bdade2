// JSON string escaping, shared by every module that writes JSON text (the
// store's metadata column, the output writers). Pure and allocation-light.
#pragma once

#include <string>
#include <string_view>

namespace cxmap {

// Appends s as a JSON string literal (with quotes). Control characters are
// escaped; invalid UTF-8 is passed through unchanged (the pipeline has
// already replaced it).
void append_json_string(std::string& out, std::string_view s);

inline std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

// Shortest text that reads back as the same double ("0.4215"), or "null"
// for NaN and infinities, which JSON cannot hold.
std::string json_number(double v);

}  // namespace cxmap
