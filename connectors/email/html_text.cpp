// HTML to plain text; see html_text.h.
#include "connectors/email/html_text.h"

#include <cctype>
#include <cstring>
#include <string>

namespace cxmap::email {

namespace {

struct Entity {
  const char* name;
  unsigned long cp;
};

constexpr Entity kEntities[] = {
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},        {"quot", '"'},      {"apos", '\''},
    {"nbsp", ' '},      {"copy", 0xA9},     {"reg", 0xAE},      {"trade", 0x2122},  {"hellip", 0x2026},
    {"mdash", 0x2014},  {"ndash", 0x2013},  {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"ldquo", 0x201C},
    {"rdquo", 0x201D},  {"sbquo", 0x201A},  {"bdquo", 0x201E},  {"euro", 0x20AC},   {"pound", 0xA3},
    {"yen", 0xA5},      {"cent", 0xA2},     {"bull", 0x2022},   {"middot", 0xB7},   {"laquo", 0xAB},
    {"raquo", 0xBB},    {"deg", 0xB0},      {"times", 0xD7},    {"divide", 0xF7},   {"iexcl", 0xA1},
    {"iquest", 0xBF},   {"sect", 0xA7},     {"para", 0xB6},     {"shy", 0xAD},      {"agrave", 0xE0},
    {"aacute", 0xE1},   {"acirc", 0xE2},    {"atilde", 0xE3},   {"auml", 0xE4},     {"aring", 0xE5},
    {"aelig", 0xE6},    {"ccedil", 0xE7},   {"egrave", 0xE8},   {"eacute", 0xE9},   {"ecirc", 0xEA},
    {"euml", 0xEB},     {"igrave", 0xEC},   {"iacute", 0xED},   {"icirc", 0xEE},    {"iuml", 0xEF},
    {"ntilde", 0xF1},   {"ograve", 0xF2},   {"oacute", 0xF3},   {"ocirc", 0xF4},    {"otilde", 0xF5},
    {"ouml", 0xF6},     {"oslash", 0xF8},   {"ugrave", 0xF9},   {"uacute", 0xFA},   {"ucirc", 0xFB},
    {"uuml", 0xFC},     {"szlig", 0xDF},    {"Agrave", 0xC0},   {"Aacute", 0xC1},   {"Auml", 0xC4},
    {"Eacute", 0xC9},   {"Ntilde", 0xD1},   {"Ouml", 0xD6},     {"Uuml", 0xDC},     {"Ccedil", 0xC7},
    {"zwnj", 0x200C},   {"zwj", 0x200D},    {"thinsp", 0x2009}, {"ensp", 0x2002},   {"emsp", 0x2003},
};

bool is_block(const std::string& tag) {
  static const char* const kBlocks[] = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                                        "ul", "ol", "table", "hr", "pre", "section", "article", "header",
                                        "footer", "dt", "dd", "address", "center"};
  for (const char* b : kBlocks)
    if (tag == b) return true;
  return false;
}

// Tags whose whole content is dropped.
bool is_dropped(const std::string& tag) {
  return tag == "script" || tag == "style" || tag == "head" || tag == "blockquote" || tag == "title" ||
         tag == "noscript" || tag == "template";
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Decodes one character reference starting at html[i] == '&'. Returns the
// number of bytes consumed (0 if it is not a reference).
std::size_t decode_entity(std::string_view html, std::size_t i, std::string& out) {
  std::size_t j = i + 1;
  if (j < html.size() && html[j] == '#') {
    ++j;
    bool hex = j < html.size() && (html[j] == 'x' || html[j] == 'X');
    if (hex) ++j;
    unsigned long cp = 0;
    std::size_t digits = 0;
    while (j < html.size() && digits < 8) {
      char c = html[j];
      int v = -1;
      if (c >= '0' && c <= '9') v = c - '0';
      else if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
      if (v < 0) break;
      cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(v);
      ++j;
      ++digits;
    }
    if (digits == 0) return 0;
    if (j < html.size() && html[j] == ';') ++j;
    if (cp == 0xA0) cp = ' ';
    append_utf8(out, cp);
    return j - i;
  }
  std::size_t k = j;
  while (k < html.size() && k - j < 10 && std::isalnum(static_cast<unsigned char>(html[k]))) ++k;
  if (k == j) return 0;
  std::string name(html.substr(j, k - j));
  for (const Entity& e : kEntities) {
    if (name == e.name || (std::strlen(e.name) == name.size() && lower(name) == e.name && e.cp < 0x80)) {
      append_utf8(out, e.cp);
      if (k < html.size() && html[k] == ';') ++k;
      return k - i;
    }
  }
  return 0;
}

}  // namespace

void append_utf8(std::string& out, unsigned long cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string html_to_text(std::string_view html) {
  // Pass 1: markup -> text with '\n' for blocks; runs of source white space
  // become one space.
  std::string text;
  auto add_space = [&] {
    if (!text.empty() && text.back() != ' ' && text.back() != '\n') text += ' ';
  };
  auto add_newline = [&] {  // idempotent: <li></li><li> gives one break
    while (!text.empty() && text.back() == ' ') text.pop_back();
    if (!text.empty() && text.back() != '\n') text += '\n';
  };
  auto add_blank_line = [&] {
    add_newline();
    if (!text.empty() && (text.size() < 2 || text[text.size() - 2] != '\n')) text += '\n';
  };
  std::size_t i = 0;
  const std::size_t n = html.size();
  while (i < n) {
    char c = html[i];
    if (c == '<') {
      if (html.compare(i, 4, "<!--") == 0) {
        std::size_t end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? n : end + 3;
        continue;
      }
      std::size_t j = i + 1;
      bool closing = j < n && html[j] == '/';
      if (closing) ++j;
      std::size_t name_start = j;
      while (j < n && (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == ':' || html[j] == '-')) ++j;
      if (j == name_start && !(j < n && (html[j] == '!' || html[j] == '?'))) {
        text += c;  // a lone '<' in text
        ++i;
        continue;
      }
      std::string tag = lower(std::string(html.substr(name_start, j - name_start)));
      // Skip to the end of the tag, honouring quoted attribute values.
      char quote = 0;
      while (j < n) {
        if (quote) {
          if (html[j] == quote) quote = 0;
        } else if (html[j] == '"' || html[j] == '\'') {
          quote = html[j];
        } else if (html[j] == '>') {
          break;
        }
        ++j;
      }
      i = j < n ? j + 1 : n;
      if (!closing && is_dropped(tag)) {
        // Drop everything up to the matching close tag (nesting counted for blockquote).
        int depth = 1;
        std::size_t k = i;
        while (depth > 0 && k < n) {
          std::size_t lt = html.find('<', k);
          if (lt == std::string_view::npos) { k = n; break; }
          std::size_t m = lt + 1;
          bool cl = m < n && html[m] == '/';
          if (cl) ++m;
          std::size_t ns = m;
          while (m < n && std::isalnum(static_cast<unsigned char>(html[m]))) ++m;
          if (lower(std::string(html.substr(ns, m - ns))) == tag) depth += cl ? -1 : 1;
          std::size_t gt = html.find('>', m);
          k = gt == std::string_view::npos ? n : gt + 1;
        }
        i = k;
        add_newline();
        continue;
      }
      if (tag == "br") {
        while (!text.empty() && text.back() == ' ') text.pop_back();
        text += '\n';
      } else if (is_block(tag)) {
        if (closing && (tag == "p" || tag == "h1" || tag == "h2" || tag == "h3" || tag == "table" ||
                        tag == "ul" || tag == "ol"))
          add_blank_line();
        else
          add_newline();
      } else {
        add_space();
      }
      continue;
    }
    if (c == '&') {
      std::size_t used = decode_entity(html, i, text);
      if (used > 0) {
        i += used;
        continue;
      }
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
      add_space();
      ++i;
      continue;
    }
    text += c;
    ++i;
  }
  // Pass 2: trim each line, at most one blank line in a row, none at the ends.
  std::string out;
  std::size_t blank_run = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line(text.data() + pos, nl - pos);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    if (line.empty()) {
      ++blank_run;
    } else {
      if (!out.empty()) out += blank_run > 0 ? "\n\n" : "\n";
      out += line;
      blank_run = 0;
    }
    pos = nl + 1;
  }
  return out;
}

}  // namespace cxmap::email
