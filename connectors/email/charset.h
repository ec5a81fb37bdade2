// Charset conversion to UTF-8 for mail bodies and headers (the one ICU
// wrapper of the connectors: UErrorCode never leaves charset.cpp).
//
// Mail declares charsets loosely: "iso-8859-1" bodies often hold windows-1252
// curly quotes, "us-ascii" bodies hold 8-bit bytes. Like browsers (WHATWG
// Encoding), we read latin-1 and ascii labels as windows-1252, and bytes with
// no usable label as UTF-8 when they are valid UTF-8, else windows-1252.
// Conversion never fails: unmappable bytes become U+FFFD.
#pragma once

#include <string>
#include <string_view>

namespace cxmap::email {

bool is_valid_utf8(std::string_view bytes);

// Converts bytes in `charset` (a MIME label, case-insensitive; empty means
// unknown) to UTF-8.
std::string to_utf8(std::string_view bytes, const std::string& charset);

// Decodes RFC 2047 encoded words ("=?utf-8?Q?caf=C3=A9?=") in a header value
// to UTF-8; whitespace between adjacent encoded words is dropped; raw 8-bit
// text outside encoded words is taken as UTF-8 or windows-1252.
std::string decode_header_words(std::string_view value);

}  // namespace cxmap::email
