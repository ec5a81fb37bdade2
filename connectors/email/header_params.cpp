// MIME parameter parsing with RFC 2231 and RFC 2047 values; see header_params.h.
#include "connectors/email/header_params.h"

#include <algorithm>
#include <map>

#include "connectors/email/ascii.h"
#include "connectors/email/charset.h"

namespace cxmap::email {

namespace {

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      out += static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

struct RawParam {
  std::string name;   // lowercased, as written (may hold "*0*")
  std::string value;  // unquoted
  bool quoted = false;
};

// Splits "; a=b; c="d;e"" into name/value pairs. A parameter without '='
// is skipped; an unterminated quote runs to the end.
std::vector<RawParam> split_params(std::string_view s) {
  std::vector<RawParam> out;
  std::size_t i = s.find(';');
  if (i == std::string_view::npos) return out;
  const std::size_t n = s.size();
  while (i < n && out.size() < kMaxParams + kMaxParamSections) {
    while (i < n && (s[i] == ';' || ascii::is_space(s[i]))) ++i;
    std::size_t name_start = i;
    while (i < n && s[i] != '=' && s[i] != ';') ++i;
    std::string name = ascii::lower(ascii::trim_view(s.substr(name_start, i - name_start)));
    if (i >= n || s[i] == ';') continue;  // no value
    ++i;                                  // '='
    while (i < n && (s[i] == ' ' || s[i] == '\t')) ++i;
    RawParam p;
    p.name = std::move(name);
    if (i < n && s[i] == '"') {
      p.quoted = true;
      ++i;
      while (i < n && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < n) ++i;
        p.value += s[i];
        ++i;
      }
      if (i < n) ++i;                    // closing quote
      while (i < n && s[i] != ';') ++i;  // junk after the quote
    } else {
      std::size_t v = i;
      while (i < n && s[i] != ';') ++i;
      p.value = ascii::trim(s.substr(v, i - v));
    }
    if (!p.name.empty()) out.push_back(std::move(p));
  }
  return out;
}

// RFC 2231 "charset'lang'value" -> (charset, value); no quotes means no charset.
void split_charset(std::string_view v, std::string& charset, std::string_view& rest) {
  std::size_t q1 = v.find('\'');
  std::size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) {
    charset.clear();
    rest = v;
    return;
  }
  charset = std::string(v.substr(0, q1));
  rest = v.substr(q2 + 1);
}

struct Section {
  bool extended = false;
  std::string value;
};

}  // namespace

const std::string* MimeParams::get(std::string_view name) const {
  for (const auto& [k, v] : values)
    if (k == name) return &v;
  return nullptr;
}

MimeParams parse_params(std::string_view text) {
  MimeParams out;
  // name -> section number -> section; plain (non-2231) values apart.
  std::map<std::string, std::map<unsigned, Section>> extended;
  std::vector<std::pair<std::string, std::string>> plain;
  for (RawParam& p : split_params(text)) {
    std::size_t star = p.name.find('*');
    if (star == std::string::npos) {
      // File names only: a boundary or charset must stay byte for byte.
      std::string v = std::move(p.value);
      if (p.name == "name" || p.name == "filename") {
        if (v.find("=?") != std::string::npos) v = decode_header_words(v);
        if (!is_valid_utf8(v)) v = to_utf8(v, "");
      }
      plain.emplace_back(p.name, std::move(v));
      continue;
    }
    std::string base = p.name.substr(0, star);
    std::string_view rest = std::string_view(p.name).substr(star + 1);
    Section sec;
    unsigned number = 0;
    if (rest.empty()) {
      sec.extended = true;  // name*=charset''value
    } else {
      std::size_t d = 0;
      while (d < rest.size() && d < 6 && rest[d] >= '0' && rest[d] <= '9') {
        number = number * 10 + static_cast<unsigned>(rest[d] - '0');
        ++d;
      }
      if (d == 0) continue;
      if (d < rest.size()) {
        if (rest.substr(d) != "*") continue;
        sec.extended = true;
      }
    }
    if (base.empty()) continue;
    auto& sections = extended[base];
    if (sections.size() >= kMaxParamSections) continue;
    sec.value = std::move(p.value);
    sections.emplace(number, std::move(sec));
  }
  for (auto& [name, sections] : extended) {
    if (out.values.size() >= kMaxParams) break;
    std::string charset, bytes;
    bool first = true;
    unsigned expect = 0;
    for (auto& [number, sec] : sections) {
      if (number != expect) break;  // a gap ends the value (RFC 2231 section 3)
      ++expect;
      std::string_view v = sec.value;
      if (sec.extended) {
        if (first) split_charset(v, charset, v);
        bytes += percent_decode(v);
      } else {
        bytes.append(v);
      }
      first = false;
    }
    out.values.emplace_back(name, to_utf8(bytes, charset));
  }
  for (auto& [name, value] : plain) {
    if (out.values.size() >= kMaxParams) break;
    if (!out.get(name)) out.values.emplace_back(name, std::move(value));  // RFC 2231 form wins
  }
  return out;
}

ContentType parse_content_type(std::string_view value, std::string_view fallback) {
  ContentType ct;
  std::string_view fb = fallback;
  auto set = [&](std::string_view full) {
    std::size_t slash = full.find('/');
    ct.type = ascii::lower(ascii::trim_view(full.substr(0, slash)));
    ct.subtype = ascii::lower(ascii::trim_view(full.substr(slash + 1)));
  };
  std::string_view head = value.substr(0, std::min(value.find(';'), value.size()));
  head = ascii::trim_view(head);
  std::size_t slash = head.find('/');
  bool ok = slash != std::string_view::npos && slash > 0 && slash + 1 < head.size();
  if (ok) {
    for (char c : head)
      if (ascii::is_space(c) || static_cast<unsigned char>(c) < 33 || static_cast<unsigned char>(c) > 126)
        ok = false;
  }
  set(ok ? head : fb);
  ct.params = parse_params(value);
  return ct;
}

ContentDisposition parse_content_disposition(std::string_view value) {
  ContentDisposition d;
  std::string_view head = value.substr(0, std::min(value.find(';'), value.size()));
  d.kind = ascii::lower(ascii::trim_view(head));
  d.params = parse_params(value);
  return d;
}

}  // namespace cxmap::email
