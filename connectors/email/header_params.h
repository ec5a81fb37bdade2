// Structured MIME header values: Content-Type and Content-Disposition
// (RFC 2045, RFC 2183), their parameters, and the two ways mailers encode
// non-ASCII parameter values:
//  - RFC 2231: name*=charset'lang'percent%20encoded, and continuations
//    name*0*=..., name*1=..., joined in section order before decoding;
//  - RFC 2047 encoded words inside a quoted value (name="=?UTF-8?B?...?="),
//    which RFC 2047 forbids but Outlook and older Thunderbirds write.
// Values come out as UTF-8. Parsing never fails: a value that cannot be read
// is skipped, a type without a '/' reads as text/plain (RFC 2045 section 5.2).
// Linear in the value's size; at most kMaxParams parameters and
// kMaxParamSections continuation sections are kept.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxmap::email {

inline constexpr std::size_t kMaxParams = 64;
inline constexpr std::size_t kMaxParamSections = 256;

struct MimeParams {
  std::vector<std::pair<std::string, std::string>> values;  // lowercased name -> UTF-8 value
  // The value of `name` (lowercase), or nullptr.
  const std::string* get(std::string_view name) const;
};

struct ContentType {
  std::string type = "text";      // lowercased
  std::string subtype = "plain";  // lowercased
  MimeParams params;
  bool is(std::string_view t, std::string_view sub) const { return type == t && subtype == sub; }
  std::string mime_type() const { return type + "/" + subtype; }
};

struct ContentDisposition {
  std::string kind;  // lowercased: "inline", "attachment", other, or "" when absent
  MimeParams params;
};

// Parses a Content-Type value; `fallback` is the type used when the value is
// missing or malformed (text/plain, or message/rfc822 in a multipart/digest).
ContentType parse_content_type(std::string_view value, std::string_view fallback = "text/plain");

ContentDisposition parse_content_disposition(std::string_view value);

// Parses "; name=value; ..." from the start of `text` (anything before the
// first ';' is ignored).
MimeParams parse_params(std::string_view text);

}  // namespace cxmap::email
