// Header block parsing; see mail_headers.h.
#include "connectors/email/mail_headers.h"

#include "connectors/email/ascii.h"

namespace cxmap::email {

namespace {

bool valid_field_name(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (c < 33 || c > 126 || c == ':') return false;
  return true;
}

// The line starting at pos (without its line end) and where the next begins.
std::string_view line_at(std::string_view m, std::size_t pos, std::size_t& next) {
  std::size_t nl = m.find('\n', pos);
  std::size_t end = nl == std::string_view::npos ? m.size() : nl;
  next = nl == std::string_view::npos ? m.size() : nl + 1;
  std::string_view line = m.substr(pos, end - pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Rule 2: does a field line follow before the first blank line?
bool field_follows(std::string_view m, std::size_t pos) {
  while (pos < m.size()) {
    std::size_t next = 0;
    std::string_view line = line_at(m, pos, next);
    if (line.empty()) return false;
    if (looks_like_field(line)) return true;
    pos = next;
  }
  return false;
}

}  // namespace

bool looks_like_field(std::string_view line) {
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view name = line.substr(0, colon);
  // "Name :" (white space before the colon) is obsolete syntax still seen.
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  return valid_field_name(name);
}

Result<std::vector<HeaderField>> parse_headers(std::string_view m, std::size_t& body_offset,
                                               std::string* defect) {
  if (defect) defect->clear();
  std::vector<HeaderField> fields;
  std::size_t pos = 0;
  int line_no = 0;
  if (m.compare(0, 5, "From ") == 0) {
    line_at(m, 0, pos);
    ++line_no;
  }
  while (pos < m.size()) {
    std::size_t next = 0;
    std::string_view line = line_at(m, pos, next);
    ++line_no;
    if (line.empty()) {
      body_offset = next;
      if (fields.empty()) return make_error(ErrorKind::input, "no header fields before the body");
      return fields;
    }
    if (line[0] == ' ' || line[0] == '\t') {
      if (fields.empty()) return make_error(ErrorKind::input, "header line 1 starts with white space");
      std::string_view folded = ascii::trim_view(line);
      if (!folded.empty()) {
        if (!fields.back().value.empty()) fields.back().value += ' ';
        fields.back().value.append(folded);
      }
    } else if (looks_like_field(line)) {
      if (fields.size() >= kMaxHeaderFields)
        return make_error(ErrorKind::input,
                          "more than " + std::to_string(kMaxHeaderFields) + " header fields");
      std::size_t colon = line.find(':');
      fields.push_back(HeaderField{ascii::trim(line.substr(0, colon)), ascii::trim(line.substr(colon + 1))});
    } else {
      if (!fields.empty() && !field_follows(m, next)) {
        body_offset = pos;
        if (defect) *defect = "no blank line between header and body";
        return fields;
      }
      std::string shown(line.substr(0, 60));
      return make_error(ErrorKind::input,
                        "malformed header line " + std::to_string(line_no) + ": '" + shown + "'");
    }
    pos = next;
  }
  body_offset = m.size();
  if (fields.empty()) return make_error(ErrorKind::input, "empty message");
  return fields;
}

const std::string* find_header(const std::vector<HeaderField>& fields, std::string_view name) {
  for (const auto& f : fields)
    if (ascii::iequals(f.name, name)) return &f.value;
  return nullptr;
}

}  // namespace cxmap::email
