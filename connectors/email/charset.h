// Charset conversion to UTF-8 for mail bodies and headers (the one ICU
// wrapper of the connectors: UErrorCode never leaves charset.cpp).
//
// Mail declares charsets loosely: "iso-8859-1" bodies often hold windows-1252
// curly quotes, "us-ascii" bodies hold 8-bit bytes. Like browsers (WHATWG
// Encoding), we read latin-1 and ascii labels as windows-1252, and bytes with
// no usable label as UTF-8 when they are valid UTF-8, else windows-1252.
// Labels for a charset's subset read as its superset, again as WHATWG does:
// gb2312/gbk/cp936 as GB18030, big5 as Big5-HKSCS, euc-kr/ks_c_5601-1987 as
// windows-949, shift_jis as windows-31j, iso-8859-9 as windows-1254,
// tis-620/iso-8859-11 as windows-874. Every other label goes to ICU, which
// knows the ISO-8859-x, windows-125x, KOI8, EUC, ISO-2022 and UTF-7/16/32
// families under their usual aliases.
// Conversion never fails: unmappable bytes become U+FFFD.
#pragma once

#include <string>
#include <string_view>

namespace cxmap::email {

bool is_valid_utf8(std::string_view bytes);

// Converts bytes in `charset` (a MIME label, case-insensitive; empty means
// unknown) to UTF-8.
std::string to_utf8(std::string_view bytes, const std::string& charset);

// As above; `label_known` is set to false when the label names no charset
// ICU knows and the bytes were guessed (UTF-8, else windows-1252).
std::string to_utf8(std::string_view bytes, const std::string& charset, bool& label_known);

// Decodes RFC 2047 encoded words ("=?utf-8?Q?caf=C3=A9?=") in a header value
// to UTF-8; whitespace between adjacent encoded words is dropped; raw 8-bit
// text outside encoded words is taken as UTF-8 or windows-1252. Linear in the
// value's size (an encoded word ends at its first '?', space or tab after
// the encoding letter, so a value full of "=?" cannot make it quadratic).
std::string decode_header_words(std::string_view value);

}  // namespace cxmap::email
