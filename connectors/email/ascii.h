// ASCII helpers shared by the mail parsers: case folding, white space and
// case-insensitive comparison of protocol tokens (header names, MIME types,
// parameter names). They never look at bytes >= 0x80, so UTF-8 and 8-bit
// charsets pass through unchanged. Header-only, no state.
#pragma once

#include <string>
#include <string_view>

namespace cxmap::email::ascii {

inline char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

inline std::string_view trim_view(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

inline std::string trim(std::string_view s) {
  return std::string(trim_view(s));
}

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

inline bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// Case-insensitive search for an ASCII needle; npos if absent.
inline std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0) {
  if (needle.empty()) return from <= hay.size() ? from : std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i)
    if (lower(hay[i]) == lower(needle[0]) && iequals(hay.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

inline bool is_blank(std::string_view s) {
  for (char c : s)
    if (!is_space(c)) return false;
  return true;
}

}  // namespace cxmap::email::ascii
