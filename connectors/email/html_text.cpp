// HTML to plain text; see html_text.h.
#include "connectors/email/html_text.h"

#include <cctype>
#include <cstring>
#include <string>
#include <vector>

#include "connectors/email/ascii.h"

namespace cxmap::email {

namespace {

struct Entity {
  const char* name;
  unsigned long cp;
};

// The HTML 4 character entity set (W3C), plus &apos;.
constexpr Entity kEntities[] = {
    {"quot", 0x22},     {"amp", 0x26},       {"lt", 0x3C},        {"gt", 0x3E},       {"nbsp", 0xA0},
    {"iexcl", 0xA1},    {"cent", 0xA2},      {"pound", 0xA3},     {"curren", 0xA4},   {"yen", 0xA5},
    {"brvbar", 0xA6},   {"sect", 0xA7},      {"uml", 0xA8},       {"copy", 0xA9},     {"ordf", 0xAA},
    {"laquo", 0xAB},    {"not", 0xAC},       {"shy", 0xAD},       {"reg", 0xAE},      {"macr", 0xAF},
    {"deg", 0xB0},      {"plusmn", 0xB1},    {"sup2", 0xB2},      {"sup3", 0xB3},     {"acute", 0xB4},
    {"micro", 0xB5},    {"para", 0xB6},      {"middot", 0xB7},    {"cedil", 0xB8},    {"sup1", 0xB9},
    {"ordm", 0xBA},     {"raquo", 0xBB},     {"frac14", 0xBC},    {"frac12", 0xBD},   {"frac34", 0xBE},
    {"iquest", 0xBF},   {"Agrave", 0xC0},    {"Aacute", 0xC1},    {"Acirc", 0xC2},    {"Atilde", 0xC3},
    {"Auml", 0xC4},     {"Aring", 0xC5},     {"AElig", 0xC6},     {"Ccedil", 0xC7},   {"Egrave", 0xC8},
    {"Eacute", 0xC9},   {"Ecirc", 0xCA},     {"Euml", 0xCB},      {"Igrave", 0xCC},   {"Iacute", 0xCD},
    {"Icirc", 0xCE},    {"Iuml", 0xCF},      {"ETH", 0xD0},       {"Ntilde", 0xD1},   {"Ograve", 0xD2},
    {"Oacute", 0xD3},   {"Ocirc", 0xD4},     {"Otilde", 0xD5},    {"Ouml", 0xD6},     {"times", 0xD7},
    {"Oslash", 0xD8},   {"Ugrave", 0xD9},    {"Uacute", 0xDA},    {"Ucirc", 0xDB},    {"Uuml", 0xDC},
    {"Yacute", 0xDD},   {"THORN", 0xDE},     {"szlig", 0xDF},     {"agrave", 0xE0},   {"aacute", 0xE1},
    {"acirc", 0xE2},    {"atilde", 0xE3},    {"auml", 0xE4},      {"aring", 0xE5},    {"aelig", 0xE6},
    {"ccedil", 0xE7},   {"egrave", 0xE8},    {"eacute", 0xE9},    {"ecirc", 0xEA},    {"euml", 0xEB},
    {"igrave", 0xEC},   {"iacute", 0xED},    {"icirc", 0xEE},     {"iuml", 0xEF},     {"eth", 0xF0},
    {"ntilde", 0xF1},   {"ograve", 0xF2},    {"oacute", 0xF3},    {"ocirc", 0xF4},    {"otilde", 0xF5},
    {"ouml", 0xF6},     {"divide", 0xF7},    {"oslash", 0xF8},    {"ugrave", 0xF9},   {"uacute", 0xFA},
    {"ucirc", 0xFB},    {"uuml", 0xFC},      {"yacute", 0xFD},    {"thorn", 0xFE},    {"yuml", 0xFF},
    {"OElig", 0x152},   {"oelig", 0x153},    {"Scaron", 0x160},   {"scaron", 0x161},  {"Yuml", 0x178},
    {"fnof", 0x192},    {"circ", 0x2C6},     {"tilde", 0x2DC},    {"Alpha", 0x391},   {"Beta", 0x392},
    {"Gamma", 0x393},   {"Delta", 0x394},    {"Epsilon", 0x395},  {"Zeta", 0x396},    {"Eta", 0x397},
    {"Theta", 0x398},   {"Iota", 0x399},     {"Kappa", 0x39A},    {"Lambda", 0x39B},  {"Mu", 0x39C},
    {"Nu", 0x39D},      {"Xi", 0x39E},       {"Omicron", 0x39F},  {"Pi", 0x3A0},      {"Rho", 0x3A1},
    {"Sigma", 0x3A3},   {"Tau", 0x3A4},      {"Upsilon", 0x3A5},  {"Phi", 0x3A6},     {"Chi", 0x3A7},
    {"Psi", 0x3A8},     {"Omega", 0x3A9},    {"alpha", 0x3B1},    {"beta", 0x3B2},    {"gamma", 0x3B3},
    {"delta", 0x3B4},   {"epsilon", 0x3B5},  {"zeta", 0x3B6},     {"eta", 0x3B7},     {"theta", 0x3B8},
    {"iota", 0x3B9},    {"kappa", 0x3BA},    {"lambda", 0x3BB},   {"mu", 0x3BC},      {"nu", 0x3BD},
    {"xi", 0x3BE},      {"omicron", 0x3BF},  {"pi", 0x3C0},       {"rho", 0x3C1},     {"sigmaf", 0x3C2},
    {"sigma", 0x3C3},   {"tau", 0x3C4},      {"upsilon", 0x3C5},  {"phi", 0x3C6},     {"chi", 0x3C7},
    {"psi", 0x3C8},     {"omega", 0x3C9},    {"thetasym", 0x3D1}, {"upsih", 0x3D2},   {"piv", 0x3D6},
    {"ensp", 0x2002},   {"emsp", 0x2003},    {"thinsp", 0x2009},  {"zwnj", 0x200C},   {"zwj", 0x200D},
    {"lrm", 0x200E},    {"rlm", 0x200F},     {"ndash", 0x2013},   {"mdash", 0x2014},  {"lsquo", 0x2018},
    {"rsquo", 0x2019},  {"sbquo", 0x201A},   {"ldquo", 0x201C},   {"rdquo", 0x201D},  {"bdquo", 0x201E},
    {"dagger", 0x2020}, {"Dagger", 0x2021},  {"bull", 0x2022},    {"hellip", 0x2026}, {"permil", 0x2030},
    {"prime", 0x2032},  {"Prime", 0x2033},   {"lsaquo", 0x2039},  {"rsaquo", 0x203A}, {"oline", 0x203E},
    {"frasl", 0x2044},  {"euro", 0x20AC},    {"image", 0x2111},   {"weierp", 0x2118}, {"real", 0x211C},
    {"trade", 0x2122},  {"alefsym", 0x2135}, {"larr", 0x2190},    {"uarr", 0x2191},   {"rarr", 0x2192},
    {"darr", 0x2193},   {"harr", 0x2194},    {"crarr", 0x21B5},   {"lArr", 0x21D0},   {"uArr", 0x21D1},
    {"rArr", 0x21D2},   {"dArr", 0x21D3},    {"hArr", 0x21D4},    {"forall", 0x2200}, {"part", 0x2202},
    {"exist", 0x2203},  {"empty", 0x2205},   {"nabla", 0x2207},   {"isin", 0x2208},   {"notin", 0x2209},
    {"ni", 0x220B},     {"prod", 0x220F},    {"sum", 0x2211},     {"minus", 0x2212},  {"lowast", 0x2217},
    {"radic", 0x221A},  {"prop", 0x221D},    {"infin", 0x221E},   {"ang", 0x2220},    {"and", 0x2227},
    {"or", 0x2228},     {"cap", 0x2229},     {"cup", 0x222A},     {"int", 0x222B},    {"there4", 0x2234},
    {"sim", 0x223C},    {"cong", 0x2245},    {"asymp", 0x2248},   {"ne", 0x2260},     {"equiv", 0x2261},
    {"le", 0x2264},     {"ge", 0x2265},      {"sub", 0x2282},     {"sup", 0x2283},    {"nsub", 0x2284},
    {"sube", 0x2286},   {"supe", 0x2287},    {"oplus", 0x2295},   {"otimes", 0x2297}, {"perp", 0x22A5},
    {"sdot", 0x22C5},   {"lceil", 0x2308},   {"rceil", 0x2309},   {"lfloor", 0x230A}, {"rfloor", 0x230B},
    {"lang", 0x2329},   {"rang", 0x232A},    {"loz", 0x25CA},     {"spades", 0x2660}, {"clubs", 0x2663},
    {"hearts", 0x2665}, {"diams", 0x2666},   {"apos", 0x27},
};

// HTML5 reads numeric references 0x80-0x9F as windows-1252 (Outlook writes
// &#146; for a right single quote).
constexpr unsigned short kCp1252High[32] = {0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                            0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,   0x017D, 0x8F,
                                            0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                            0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};

bool is_block(const std::string& tag) {
  static const char* const kBlocks[] = {
      "p",          "div",     "tr",       "h1",      "h2",     "h3",      "h4",      "h5",     "h6",
      "ul",         "ol",      "table",    "hr",      "pre",    "section", "article", "header", "footer",
      "dt",         "dd",      "dl",       "address", "center", "main",    "nav",     "aside",  "figure",
      "figcaption", "caption", "fieldset", "form",    "thead",  "tbody",   "tfoot",   "body",   "html"};
  for (const char* b : kBlocks)
    if (tag == b) return true;
  return false;
}

// Blocks followed by a blank line when they close.
bool is_paragraph(const std::string& tag) {
  return tag == "p" || tag == "h1" || tag == "h2" || tag == "h3" || tag == "h4" || tag == "h5" ||
         tag == "h6" || tag == "table" || tag == "ul" || tag == "ol" || tag == "pre" || tag == "dl";
}

// Tags whose whole content is dropped.
bool is_dropped(const std::string& tag) {
  return tag == "script" || tag == "style" || tag == "head" || tag == "blockquote" || tag == "title" ||
         tag == "noscript" || tag == "template";
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
      if (c >= '0' && c <= '9')
        v = c - '0';
      else if (hex && c >= 'a' && c <= 'f')
        v = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F')
        v = c - 'A' + 10;
      if (v < 0) break;
      cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(v);
      ++j;
      ++digits;
    }
    if (digits == 0) return 0;
    if (j < html.size() && html[j] == ';') ++j;
    if (cp >= 0x80 && cp <= 0x9F) cp = kCp1252High[cp - 0x80];
    if (cp == 0xA0) cp = ' ';
    if (cp != 0xAD) append_utf8(out, cp);
    return j - i;
  }
  std::size_t k = j;
  while (k < html.size() && k - j < 10 && std::isalnum(static_cast<unsigned char>(html[k]))) ++k;
  if (k == j) return 0;
  std::string_view name = html.substr(j, k - j);
  for (const Entity& e : kEntities) {
    // Names are case-sensitive (&Eacute; vs &eacute;); the ASCII ones are
    // also accepted in capitals (&AMP;), as browsers do.
    if (name == e.name || (e.cp < 0x80 && ascii::iequals(name, e.name))) {
      unsigned long cp = e.cp == 0xA0 ? ' ' : e.cp;
      if (cp != 0xAD) append_utf8(out, cp);
      if (k < html.size() && html[k] == ';') ++k;
      return k - i;
    }
  }
  return 0;
}

// The value of attribute `name` in a tag's attribute text, or "".
std::string attribute(std::string_view attrs, std::string_view name) {
  std::size_t i = 0;
  while (i < attrs.size()) {
    while (i < attrs.size() && (ascii::is_space(attrs[i]) || attrs[i] == '/')) ++i;
    std::size_t ns = i;
    while (i < attrs.size() && attrs[i] != '=' && !ascii::is_space(attrs[i]) && attrs[i] != '>') ++i;
    std::string_view key = attrs.substr(ns, i - ns);
    while (i < attrs.size() && ascii::is_space(attrs[i])) ++i;
    std::string value;
    if (i < attrs.size() && attrs[i] == '=') {
      ++i;
      while (i < attrs.size() && ascii::is_space(attrs[i])) ++i;
      if (i < attrs.size() && (attrs[i] == '"' || attrs[i] == '\'')) {
        char q = attrs[i++];
        std::size_t vs = i;
        while (i < attrs.size() && attrs[i] != q) ++i;
        value = std::string(attrs.substr(vs, i - vs));
        if (i < attrs.size()) ++i;
      } else {
        std::size_t vs = i;
        while (i < attrs.size() && !ascii::is_space(attrs[i]) && attrs[i] != '>') ++i;
        value = std::string(attrs.substr(vs, i - vs));
      }
    }
    if (ascii::iequals(key, name)) return value;
    if (key.empty() && i < attrs.size()) ++i;  // stray '=' or quote
  }
  return "";
}

struct List {
  bool ordered = false;
  long next = 1;
};

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

std::string html_charset(std::string_view html) {
  std::string_view head = html.substr(0, 4096);
  std::size_t pos = 0;
  while ((pos = ascii::ifind(head, "<meta", pos)) != std::string_view::npos) {
    std::size_t end = head.find('>', pos);
    if (end == std::string_view::npos) end = head.size();
    std::string_view tag = head.substr(pos + 5, end - pos - 5);
    std::string cs = attribute(tag, "charset");
    if (cs.empty()) {
      std::string content = attribute(tag, "content");
      std::size_t c = ascii::ifind(content, "charset=");
      if (c != std::string::npos) {
        std::size_t b = c + 8, e = b;
        while (e < content.size() && content[e] != ';' && !ascii::is_space(content[e]) && content[e] != '"' &&
               content[e] != '\'')
          ++e;
        cs = content.substr(b, e - b);
      }
    }
    if (!cs.empty()) return ascii::trim(cs);
    pos = end;
  }
  return "";
}

std::string html_to_text(std::string_view html) {
  // Pass 1: markup -> text with '\n' for blocks; runs of source white space
  // become one space (except inside <pre>).
  std::string text;
  text.reserve(html.size() / 2);
  std::vector<List> lists;
  int pre = 0;
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
      while (j < n && (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == ':' || html[j] == '-'))
        ++j;
      if (j == name_start && !(j < n && (html[j] == '!' || html[j] == '?'))) {
        text += c;  // a lone '<' in text
        ++i;
        continue;
      }
      std::string tag = ascii::lower(html.substr(name_start, j - name_start));
      std::size_t attrs_start = j;
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
      std::string_view attrs = html.substr(attrs_start, j - attrs_start);
      i = j < n ? j + 1 : n;
      if (!closing && is_dropped(tag)) {
        // Drop everything up to the matching close tag (nesting counted);
        // an unclosed <head> also ends where <body> starts.
        int depth = 1;
        std::size_t k = i;
        while (depth > 0 && k < n) {
          std::size_t lt = html.find('<', k);
          if (lt == std::string_view::npos) {
            k = n;
            break;
          }
          std::size_t m = lt + 1;
          bool cl = m < n && html[m] == '/';
          if (cl) ++m;
          std::size_t ns = m;
          while (m < n && std::isalnum(static_cast<unsigned char>(html[m]))) ++m;
          std::string_view inner = html.substr(ns, m - ns);
          if (tag == "head" && !cl && ascii::iequals(inner, "body")) {
            k = lt;
            break;
          }
          if (ascii::iequals(inner, tag)) depth += cl ? -1 : 1;
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
      } else if (tag == "li") {
        add_newline();
        if (!closing) {
          if (!lists.empty() && lists.back().ordered) {
            text += std::to_string(lists.back().next++);
            text += ". ";
          } else {
            text += "- ";
          }
        }
      } else if (tag == "ul" || tag == "ol") {
        if (closing) {
          if (!lists.empty()) lists.pop_back();
          add_blank_line();
        } else {
          List l;
          l.ordered = tag == "ol";
          std::string start = attribute(attrs, "start");
          if (!start.empty() && start.size() < 9 &&
              start.find_first_not_of("0123456789") == std::string::npos)
            l.next = std::stol(start);
          if (lists.size() < 64) lists.push_back(l);
          add_newline();
        }
      } else if (is_block(tag)) {
        if (tag == "pre") pre = closing ? (pre > 0 ? pre - 1 : 0) : pre + 1;
        if (closing && is_paragraph(tag))
          add_blank_line();
        else
          add_newline();
      } else if (tag == "td" || tag == "th") {
        if (!closing) add_space();
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
      if (pre > 0 && c != '\r')
        text += c == '\n' ? '\n' : ' ';
      else if (pre == 0)
        add_space();
      ++i;
      continue;
    }
    text += c;
    ++i;
  }
  // Pass 2: trim each line, at most one blank line in a row, none at the ends.
  std::string out;
  out.reserve(text.size());
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
