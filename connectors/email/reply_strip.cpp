// Quoted-reply and signature removal; see reply_strip.h.
#include "connectors/email/reply_strip.h"

#include <cctype>
#include <string>
#include <vector>

namespace cxmap::email {

namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool starts_with(const std::string& s, std::string_view p) { return s.compare(0, p.size(), p) == 0; }
bool ends_with(const std::string& s, std::string_view p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

bool is_attribution_start(const std::string& low) {
  return starts_with(low, "on ") || starts_with(low, "am ") || starts_with(low, "le ") ||
         starts_with(low, "el ");
}

bool is_attribution_end(const std::string& low) {
  return ends_with(low, "wrote:") || ends_with(low, "schrieb:") || ends_with(low, "a écrit :") ||
         ends_with(low, "a écrit:") || ends_with(low, "escribió:");
}

// Number of lines (1 or 2) of an attribution starting at i, or 0.
int attribution_at(const std::vector<std::string>& lines, std::size_t i) {
  std::string a = lower(trim(lines[i]));
  if (!is_attribution_start(a)) return 0;
  if (is_attribution_end(a)) return 1;
  if (i + 1 < lines.size() && a.size() < 200) {
    std::string b = lower(trim(lines[i + 1]));
    if (!b.empty() && b.size() < 120 && is_attribution_end(b)) return 2;
  }
  return 0;
}

bool is_cut_line(const std::vector<std::string>& lines, std::size_t i) {
  const std::string& raw = lines[i];
  std::string t = trim(raw);
  std::string low = lower(t);
  if (raw == "-- " || raw == "--") return true;
  if (low.find("original message") != std::string::npos && starts_with(t, "---")) return true;
  if (starts_with(low, "sent from my ") || starts_with(low, "get outlook for ") ||
      low == "sent from mail for windows" || starts_with(low, "sent from yahoo mail"))
    return true;
  if (starts_with(low, "from:") && low.size() > 5) {
    for (std::size_t k = i + 1; k < lines.size() && k <= i + 3; ++k) {
      std::string l = lower(trim(lines[k]));
      if (starts_with(l, "sent:") || starts_with(l, "date:")) return true;
    }
  }
  // Outlook web: a line of underscores then "From:".
  if (t.size() >= 20 && t.find_first_not_of('_') == std::string::npos && i + 1 < lines.size() &&
      starts_with(lower(trim(lines[i + 1])), "from:"))
    return true;
  return false;
}

// "---------- Forwarded message ---------" (Gmail), "-------- Forwarded
// Message --------" (Thunderbird), "----- Forwarded message from X -----"
// (mutt), "Begin forwarded message:" (Apple Mail).
bool is_forward_marker(const std::string& line) {
  std::string t = trim(line);
  std::string low = lower(t);
  if (starts_with(low, "begin forwarded message")) return true;
  return starts_with(t, "---") && t.size() < 120 && low.find("forwarded message") != std::string::npos;
}

// A header line of the forwarded message, shown after the marker.
bool is_forward_header(const std::string& line) {
  std::string low = lower(trim(line));
  static const char* const kFields[] = {"from:", "date:", "sent:", "subject:", "to:", "cc:", "reply-to:",
                                        "von:", "datum:", "gesendet:", "betreff:", "an:", "de :", "de:",
                                        "objet :", "objet:", "date :", "envoy\xc3\xa9 :", "\xc3\xa0 :"};
  for (const char* f : kFields)
    if (starts_with(low, f)) return true;
  return false;
}

bool is_signoff(const std::string& line) {
  std::string low = lower(trim(line));
  while (!low.empty() && (low.back() == ',' || low.back() == '!' || low.back() == '.' || low.back() == '-'))
    low.pop_back();
  low = trim(low);
  static const char* const kSignoffs[] = {
      "kind regards", "best regards", "warm regards", "regards", "best", "best wishes", "thanks",
      "thank you", "many thanks", "thanks again", "thanks in advance", "cheers", "sincerely",
      "yours sincerely", "yours truly", "all the best", "kindly", "br", "with thanks", "thx",
      "mit freundlichen grüßen", "cordialement", "saludos", "un saludo"};
  for (const char* s : kSignoffs)
    if (low == s) return true;
  // "Mit freundlichen Grüßen / kind regards," "Yours faithfully,": a short line
  // ending in a comma that holds a closing phrase.
  std::string t = trim(line);
  if (t.size() <= 50 && !t.empty() && t.back() == ',') {
    static const char* const kParts[] = {"regards", "faithfully", "sincerely", "wishes", "thanks", "cheers",
                                         "grüße", "grüßen", "cordialement", "saludos"};
    std::string l = lower(t);
    for (const char* part : kParts)
      if (l.find(part) != std::string::npos) return true;
  }
  return false;
}

// "Maria", "Liam Walsh", "Chloé Dubois", "J. R. Smith": up to three
// capitalised words, no digits or sentence punctuation.
bool is_name_line(const std::string& line) {
  std::string t = trim(line);
  if (t.empty() || t.size() > 40) return false;
  int words = 0;
  bool word_start = true;
  for (std::size_t i = 0; i < t.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(t[i]);
    if (c == ' ') {
      word_start = true;
      continue;
    }
    if (word_start) {
      ++words;
      if (!(std::isupper(c) || c >= 0xC0)) return false;
      word_start = false;
      continue;
    }
    bool ok = std::isalpha(c) || c >= 0x80 || c == '-' || c == '\'' ||
              (c == '.' && (i + 1 == t.size() || t[i + 1] == ' ') && i >= 1 && std::isupper(static_cast<unsigned char>(t[i - 1])));
    if (!ok) return false;
  }
  return words >= 1 && words <= 3;
}

// "07700 900644", "+44 (0)20 7946 0000".
bool is_phone_line(const std::string& line) {
  std::string t = trim(line);
  int digits = 0;
  for (unsigned char c : t) {
    if (std::isdigit(c)) ++digits;
    else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')' && c != '.') return false;
  }
  return digits >= 6;
}

}  // namespace

std::string strip_reply(std::string_view body) {
  std::vector<std::string> lines;
  {
    std::size_t pos = 0;
    while (pos <= body.size()) {
      std::size_t nl = body.find('\n', pos);
      if (nl == std::string_view::npos) nl = body.size();
      std::string line(body.substr(pos, nl - pos));
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(std::move(line));
      pos = nl + 1;
    }
  }
  // Steps 1 and 2: find where the customer's own text ends.
  std::vector<std::string> kept;
  bool own_text = false;  // a non-blank line is in `kept`
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (int a = attribution_at(lines, i); a > 0) {
      std::size_t next = i + static_cast<std::size_t>(a);
      while (next < lines.size() && trim(lines[next]).empty()) ++next;
      if (next < lines.size() && !lines[next].empty() && lines[next][0] == '>') {
        i = next - 1;  // drop the attribution; the quote goes in step 3
        continue;
      }
      break;
    }
    if (is_forward_marker(lines[i])) {  // step 2a
      if (own_text) break;
      std::size_t next = i + 1;
      while (next < lines.size() && (trim(lines[next]).empty() || is_forward_header(lines[next]))) ++next;
      i = next - 1;
      continue;
    }
    if (is_cut_line(lines, i)) break;
    if (!lines[i].empty() && lines[i][0] == '>') continue;  // step 3
    if (!own_text && !trim(lines[i]).empty()) own_text = true;
    kept.push_back(lines[i]);
  }
  // Trailing blank lines.
  while (!kept.empty() && trim(kept.back()).empty()) kept.pop_back();
  // Step 4: a sign-off within the last five non-empty lines, followed only by
  // short lines.
  {
    std::size_t nonempty = 0;
    for (std::size_t k = kept.size(); k-- > 0;) {
      std::string t = trim(kept[k]);
      if (t.empty()) continue;
      if (++nonempty > 5) break;
      if (is_signoff(t)) {
        bool short_tail = true;
        std::size_t tail = 0;
        for (std::size_t m = k + 1; m < kept.size(); ++m) {
          std::string u = trim(kept[m]);
          if (u.empty()) continue;
          ++tail;
          if (u.size() > 40) short_tail = false;
        }
        if (short_tail && tail <= 4) kept.resize(k);
        break;
      }
    }
  }
  // Step 5: a bare name closing the message ("\n\nTom", "\n\nRaj Patel\nPatel & Sons\n07700 900261").
  {
    while (!kept.empty() && trim(kept.back()).empty()) kept.pop_back();
    std::size_t b = kept.size();
    while (b > 0 && !trim(kept[b - 1]).empty()) --b;
    std::size_t tail = kept.size() - b;
    if (b > 0 && tail >= 1 && tail <= 4 && is_name_line(kept[b])) {
      bool rest_ok = true;
      for (std::size_t m = b + 1; m < kept.size(); ++m) {
        std::string u = trim(kept[m]);
        bool email = u.find('@') != std::string::npos && u.find(' ') == std::string::npos;
        // A company or job title: short, capitalised, not a sentence.
        bool title = u.size() <= 40 && std::isupper(static_cast<unsigned char>(u[0])) &&
                     std::string_view(".!?:").find(u.back()) == std::string_view::npos;
        if (!is_phone_line(u) && !email && !title) rest_ok = false;
      }
      if (rest_ok) kept.resize(b);
    }
  }
  // Join, trimming blank lines at both ends.
  std::size_t first = 0;
  while (first < kept.size() && trim(kept[first]).empty()) ++first;
  std::size_t last = kept.size();
  while (last > first && trim(kept[last - 1]).empty()) --last;
  std::string out;
  for (std::size_t k = first; k < last; ++k) {
    std::string line = kept[k];
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

}  // namespace cxmap::email
