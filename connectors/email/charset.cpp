// Charset conversion with ICU's ucnv; see charset.h.
#include "connectors/email/charset.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>

#include <cctype>
#include <memory>
#include <vector>

namespace cxmap::email {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// ICU's default substitution writes U+001A (SUB) for some converters
// (Shift_JIS among them); mail text gets U+FFFD for every bad sequence.
void substitute_fffd(const void*, UConverterToUnicodeArgs* args, const char*, int32_t,
                     UConverterCallbackReason reason, UErrorCode* err) {
  if (reason > UCNV_IRREGULAR) return;  // reset, close, clone: nothing to write
  static const UChar kReplacement = 0xFFFD;
  *err = U_ZERO_ERROR;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, err);
}

// Converts with one ICU converter; false if ICU does not know the charset.
bool icu_convert(std::string_view bytes, const char* charset, std::string& out) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* raw = ucnv_open(charset, &status);
  if (U_FAILURE(status) || raw == nullptr) return false;
  std::unique_ptr<UConverter, void (*)(UConverter*)> conv(raw, ucnv_close);
  status = U_ZERO_ERROR;
  ucnv_setToUCallBack(conv.get(), substitute_fffd, nullptr, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return false;
  // Substitute U+FFFD for illegal input (the default callback already does).
  std::vector<UChar> u16(bytes.size() * 2 + 16);
  status = U_ZERO_ERROR;
  int32_t n16 = ucnv_toUChars(conv.get(), u16.data(), static_cast<int32_t>(u16.size()), bytes.data(),
                              static_cast<int32_t>(bytes.size()), &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    u16.resize(static_cast<std::size_t>(n16) + 1);
    status = U_ZERO_ERROR;
    n16 = ucnv_toUChars(conv.get(), u16.data(), static_cast<int32_t>(u16.size()), bytes.data(),
                        static_cast<int32_t>(bytes.size()), &status);
  }
  if (U_FAILURE(status)) return false;
  UErrorCode s8 = U_ZERO_ERROR;
  UConverter* raw8 = ucnv_open("UTF-8", &s8);
  if (U_FAILURE(s8)) return false;
  std::unique_ptr<UConverter, void (*)(UConverter*)> utf8(raw8, ucnv_close);
  out.assign(static_cast<std::size_t>(n16) * 3 + 1, '\0');
  s8 = U_ZERO_ERROR;
  int32_t n8 = ucnv_fromUChars(utf8.get(), out.data(), static_cast<int32_t>(out.size()), u16.data(), n16, &s8);
  if (U_FAILURE(s8)) return false;
  out.resize(static_cast<std::size_t>(n8));
  return true;
}

std::string windows1252(std::string_view bytes) {
  std::string out;
  if (icu_convert(bytes, "windows-1252", out)) return out;
  // ICU data missing: keep ASCII, replace the rest.
  for (unsigned char c : bytes) out += c < 0x80 ? std::string(1, static_cast<char>(c)) : std::string("\xEF\xBF\xBD");
  return out;
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool decode_b64(std::string_view in, std::string& out) {
  unsigned buf = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=') break;
    else return false;
    buf = (buf << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buf >> bits) & 0xFF);
    }
  }
  return true;
}

bool decode_q(std::string_view in, std::string& out) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '_') {
      out += ' ';
    } else if (c == '=' && i + 2 < in.size() + 0 && hexval(in[i + 1]) >= 0 && hexval(in[i + 2]) >= 0) {
      out += static_cast<char>(hexval(in[i + 1]) * 16 + hexval(in[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return true;
}

struct Word {
  std::string charset, bytes;
};

// Parses "=?cs?e?text?=" at pos; on success sets end to one past "?=".
// Each scan stops at the next '?' (or white space), so the work done for a
// failed attempt is bounded by the distance to the next '?', and every '?'
// is visited by at most a few attempts: linear overall.
bool parse_word(std::string_view v, std::size_t pos, Word& w, std::size_t& end) {
  if (v.compare(pos, 2, "=?") != 0) return false;
  std::size_t q1 = pos + 2;
  while (q1 < v.size() && v[q1] != '?' && v[q1] != ' ' && v[q1] != '\t' && q1 - pos < 80) ++q1;
  if (q1 >= v.size() || v[q1] != '?' || q1 + 2 >= v.size() || v[q1 + 2] != '?') return false;
  char enc = static_cast<char>(std::tolower(static_cast<unsigned char>(v[q1 + 1])));
  if (enc != 'b' && enc != 'q') return false;
  std::size_t close = q1 + 3;
  while (close < v.size() && v[close] != '?' && v[close] != ' ' && v[close] != '\t') ++close;
  if (close + 1 >= v.size() || v[close] != '?' || v[close + 1] != '=') return false;
  std::string cs(v.substr(pos + 2, q1 - pos - 2));
  if (auto star = cs.find('*'); star != std::string::npos) cs.resize(star);  // RFC 2231 language
  std::string_view text = v.substr(q1 + 3, close - q1 - 3);
  std::string bytes;
  if (enc == 'b') {
    if (!decode_b64(text, bytes)) return false;
  } else {
    decode_q(text, bytes);
  }
  w.charset = cs;
  w.bytes = std::move(bytes);
  end = close + 2;
  return true;
}

// WHATWG-style superset labels (see charset.h); nullptr when ICU's own alias
// table is right.
const char* superset_of(const std::string& cs) {
  struct Alias {
    const char* label;
    const char* icu;
  };
  static const Alias kAliases[] = {
      {"gb2312", "gb18030"},         {"gbk", "gb18030"},           {"x-gbk", "gb18030"},
      {"cp936", "gb18030"},          {"ms936", "gb18030"},         {"windows-936", "gb18030"},
      {"euc-cn", "gb18030"},         {"csgb2312", "gb18030"},      {"chinese", "gb18030"},
      {"gb_2312-80", "gb18030"},     {"iso-ir-58", "gb18030"},     {"big5", "ibm-1375_P100-2008"},
      {"big5-hkscs", "ibm-1375_P100-2008"}, {"cn-big5", "ibm-1375_P100-2008"}, {"x-x-big5", "ibm-1375_P100-2008"},
      {"csbig5", "ibm-1375_P100-2008"},     {"euc-kr", "windows-949"},  {"ks_c_5601-1987", "windows-949"},
      {"ks_c_5601-1989", "windows-949"},    {"ksc5601", "windows-949"}, {"ksc_5601", "windows-949"},
      {"korean", "windows-949"},     {"cseuckr", "windows-949"},   {"cp949", "windows-949"},
      {"shift_jis", "windows-31j"},  {"shift-jis", "windows-31j"}, {"sjis", "windows-31j"},
      {"x-sjis", "windows-31j"},     {"ms_kanji", "windows-31j"},  {"csshiftjis", "windows-31j"},
      {"cp932", "windows-31j"},      {"ms932", "windows-31j"},     {"iso-8859-9", "windows-1254"},
      {"iso8859-9", "windows-1254"}, {"latin5", "windows-1254"},   {"tis-620", "windows-874"},
      {"iso-8859-11", "windows-874"},
  };
  for (const Alias& a : kAliases)
    if (cs == a.label) return a.icu;
  return nullptr;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) { ++i; continue; }
    int len;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + static_cast<std::size_t>(len) > n) return false;
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += static_cast<std::size_t>(len);
  }
  return true;
}

std::string to_utf8(std::string_view bytes, const std::string& charset) {
  bool known = true;
  return to_utf8(bytes, charset, known);
}

std::string to_utf8(std::string_view bytes, const std::string& charset, bool& label_known) {
  label_known = true;
  std::string cs = lower(trim(charset));
  if (cs.size() >= 2 && cs.front() == '"' && cs.back() == '"') cs = cs.substr(1, cs.size() - 2);
  bool all_ascii = true;
  for (unsigned char c : bytes) {
    if (c >= 0x80) { all_ascii = false; break; }
  }
  if (all_ascii && cs.find("utf-16") == std::string::npos && cs.find("utf-32") == std::string::npos &&
      cs.find("2022") == std::string::npos && cs != "utf-7")
    return std::string(bytes);
  if (cs.empty() || cs == "us-ascii" || cs == "ascii" || cs == "unknown-8bit" || cs == "x-unknown" ||
      cs == "utf-8" || cs == "utf8" || cs == "ansi_x3.4-1968" || cs == "ansi-x3.4-1968" || cs == "iso646-us" ||
      cs == "us" || cs == "default") {
    if (is_valid_utf8(bytes)) return std::string(bytes);
    return windows1252(bytes);
  }
  if (cs == "iso-8859-1" || cs == "iso8859-1" || cs == "latin1" || cs == "latin-1" || cs == "l1" ||
      cs == "iso_8859-1" || cs == "cp1252" || cs == "windows-1252")
    return windows1252(bytes);
  std::string out;
  const char* icu = superset_of(cs);
  if (icu_convert(bytes, icu ? icu : cs.c_str(), out)) return out;
  label_known = false;
  return is_valid_utf8(bytes) ? std::string(bytes) : windows1252(bytes);
}

std::string decode_header_words(std::string_view v) {
  std::string out;
  std::string pending_cs, pending_bytes;  // adjacent words in one charset are joined before conversion
  std::string gap;                        // whitespace seen after the last encoded word
  auto flush = [&] {
    if (!pending_cs.empty() || !pending_bytes.empty()) out += to_utf8(pending_bytes, pending_cs);
    pending_cs.clear();
    pending_bytes.clear();
  };
  std::string plain;
  auto flush_plain = [&] {
    if (!plain.empty()) out += is_valid_utf8(plain) ? plain : windows1252(plain);
    plain.clear();
  };
  bool last_was_word = false;
  std::size_t i = 0;
  while (i < v.size()) {
    Word w;
    std::size_t end = 0;
    if (v[i] == '=' && parse_word(v, i, w, end)) {
      if (!last_was_word) flush_plain();
      if (last_was_word && lower(w.charset) != lower(pending_cs)) flush();
      gap.clear();
      pending_cs = w.charset;
      pending_bytes += w.bytes;
      last_was_word = true;
      i = end;
      continue;
    }
    if (last_was_word && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' || v[i] == '\n')) {
      gap += v[i];
      ++i;
      continue;
    }
    if (last_was_word) {
      flush();
      plain += gap;
      gap.clear();
      last_was_word = false;
    }
    plain += v[i];
    ++i;
  }
  flush();
  flush_plain();
  return out;
}

}  // namespace cxmap::email
