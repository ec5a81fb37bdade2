// PII redaction scanners (see redact.h for the rules and known misses).
// Each scanner looks at ASCII bytes only, starts at a word start and returns
// how far it matched; the driver in redact() walks the text once, copying
// unmatched bytes and writing a placeholder for every match. Scanners look
// ahead a bounded distance (at most ~64 bytes), so the pass is linear.
#include "pipeline/redact.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace cxmap {

namespace {

constexpr std::size_t npos = std::string_view::npos;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_alnum(char c) {
  return is_digit(c) || is_alpha(c);
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
char lower(char c) {
  return is_upper(c) ? static_cast<char>(c + 32) : c;
}
char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

template <std::size_t N>
bool in_list(std::string_view word, const std::string_view (&list)[N]) {
  for (auto w : list)
    if (iequals(word, w)) return true;
  return false;
}

// True when `s` at `pos` starts with `prefix`, ignoring ASCII case.
bool istarts_with(std::string_view s, std::size_t pos, std::string_view prefix) {
  if (pos + prefix.size() > s.size()) return false;
  return iequals(s.substr(pos, prefix.size()), prefix);
}

// Up to `max` alphanumeric words before `pos`, nearest first, not crossing a
// line break.
std::size_t prev_words(std::string_view s, std::size_t pos, std::string_view* out, std::size_t max) {
  std::size_t k = 0, j = pos;
  while (k < max) {
    while (j > 0 && !is_alnum(s[j - 1])) {
      if (s[j - 1] == '\n') return k;
      --j;
    }
    if (j == 0) return k;
    const std::size_t e = j;
    while (j > 0 && is_alnum(s[j - 1])) --j;
    out[k++] = s.substr(j, e - j);
  }
  return k;
}

// ---------------------------------------------------------------- email

bool is_local_char(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

// "report@2x.png" is an image name, not an address.
constexpr std::string_view kFileExtensions[] = {
    "png",  "jpg",  "jpeg", "gif", "bmp", "svg", "webp", "heic", "pdf",  "txt", "doc",
    "docx", "xls",  "xlsx", "csv", "zip", "rar", "mp3",  "mp4",  "mov",  "avi", "wav",
    "log",  "html", "htm",  "js",  "css", "exe", "dmg",  "apk",  "json", "xml",
};

// End of an email address starting at i, or npos.
std::size_t scan_email(std::string_view s, std::size_t i) {
  const std::size_t n = s.size();
  std::size_t j = i;
  // an apostrophe between letters is allowed too: o'brien.k@example.ie
  while (j < n && j - i <= 64 &&
         (is_local_char(s[j]) ||
          (s[j] == '\'' && j > i && is_alnum(s[j - 1]) && j + 1 < n && is_alnum(s[j + 1]))))
    ++j;
  if (j == i || j >= n || s[j] != '@' || j - i > 64) return npos;
  if (s[i] == '.' || s[j - 1] == '.') return npos;
  std::size_t k = j + 1, end = npos;
  int labels = 0;
  while (k < n) {
    const std::size_t ls = k;
    while (k < n && k - ls < 64 && (is_alnum(s[k]) || s[k] == '-')) ++k;
    if (k == ls || s[ls] == '-' || s[k - 1] == '-') break;
    ++labels;
    bool alpha = k - ls >= 2;
    for (std::size_t x = ls; x < k && alpha; ++x) alpha = is_alpha(s[x]);
    if (labels >= 2 && alpha && !in_list(s.substr(ls, k - ls), kFileExtensions)) end = k;
    if (k + 1 < n && s[k] == '.' && is_alnum(s[k + 1])) {
      ++k;
      continue;
    }
    break;
  }
  return end;
}

// ---------------------------------------------------------------- secrets

struct SecretCue {
  std::string_view text;
  bool numeric;  // takes digits only
};

// Longest first where one cue is a prefix of another.
constexpr SecretCue kSecretCues[] = {
    {"one-time passcode", true},
    {"one time passcode", true},
    {"one-time password", false},
    {"one time password", false},
    {"one-time code", true},
    {"one time code", true},
    {"verification code", true},
    {"authentication code", true},
    {"security number", true},
    {"security code", true},
    {"access code", true},
    {"auth code", true},
    {"2fa code", true},
    {"door code", true},
    {"gate code", true},
    {"alarm code", true},
    {"entry code", true},
    {"keypad code", true},
    {"memorable word", false},
    {"pin number", true},
    {"pin code", true},
    {"passcode", true},
    {"password", false},
    {"passwd", false},
    {"pwd", false},
    {"pw", false},
    {"pin", true},
    {"cvv2", true},
    {"cvv", true},
    {"cvc", true},
    {"cv2", true},
    {"otp", true},
};

// Connectors between a cue and its value; `weak` ones demand a value that
// looks like a secret.
struct Connector {
  std::string_view text;
  bool weak;
};

constexpr Connector kConnectors[] = {
    {"has been changed to", true},
    {"has been reset to", true},
    {"has been set to", true},
    {"is currently", false},
    {"is still", false},
    {"is now", false},
    {"is set to", true},
    {"was set to", true},
    {"was changed to", true},
    {"changed to", true},
    {"reset to", true},
    {"set to", true},
    {"updated to", true},
    {"would be", false},
    {"will be", false},
    {"should be", false},
    {"is", false},
    {"was", false},
    {"to", true},
};

// Words that follow "password is" in ordinary sentences about a password.
constexpr std::string_view kNotSecrets[] = {
    "not",
    "no",
    "wrong",
    "incorrect",
    "invalid",
    "correct",
    "right",
    "expired",
    "expiring",
    "locked",
    "blocked",
    "too",
    "the",
    "a",
    "an",
    "my",
    "your",
    "our",
    "his",
    "her",
    "their",
    "this",
    "that",
    "it",
    "its",
    "being",
    "been",
    "case",
    "case-sensitive",
    "required",
    "saved",
    "same",
    "different",
    "changed",
    "reset",
    "forgotten",
    "forgot",
    "weak",
    "strong",
    "long",
    "short",
    "and",
    "or",
    "now",
    "also",
    "definitely",
    "accepted",
    "rejected",
    "working",
    "fine",
    "ok",
    "okay",
    "secure",
    "safe",
    "compromised",
    "hacked",
    "stolen",
    "leaked",
    "known",
    "set",
    "sent",
    "needed",
    "missing",
    "empty",
    "blank",
    "only",
    "at",
    "in",
    "on",
    "for",
    "with",
    "from",
    "so",
    "very",
    "really",
    "just",
    "never",
    "always",
    "exactly",
    "over",
    "under",
    "less",
    "more",
    "longer",
    "shorter",
    "mandatory",
    "sensitive",
    "updated",
    "new",
    "old",
    "all",
    "any",
    "what",
    "which",
    "showing",
    "displayed",
    "still",
    "currently",
    "asking",
    "stored",
    "there",
    "here",
    "probably",
    "valid",
    "unchanged",
    "going",
    "getting",
    "why",
    "how",
    "where",
    "when",
    "something",
    "nothing",
    "supposed",
    "meant",
    "mine",
    "easy",
    "hard",
    "simple",
    "complicated",
    "useless",
    "broken",
    "due",
    "because",
    "as",
    "like",
    "unknown",
    "encrypted",
    "hidden",
    "visible",
    "used",
    "taken",
    "disabled",
    "enabled",
    "active",
    "inactive",
    "failing",
    "failed",
    "good",
    "bad",
    "great",
    "impossible",
    "typed",
    "entered",
    "autofilled",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "twelve",
    "sent",
    "emailed",
    "texted",
    "generated",
    "required",
    "case",
    "stuck",
    "frozen",
    "suspended",
    "by",
    "via",
    "then",
    "than",
    "if",
    "but",
    "please",
    "again",
    "ever",
    "maybe",
    "supposedly",
    "apparently",
    "simply",
    "literally",
    "actually",
    "obviously",
    "clearly",
    "fully",
    "correctly",
    "incorrectly",
    "accepted",
    "recognised",
    "recognized",
    "rejecting",
    "accepting",
    "working",
    "reset",
    "resetting",
    "changing",
    "expire",
    "expires",
    "gone",
    "lost",
    "useless",
    "fine",
    "i",
    "you",
    "we",
    "they",
    "he",
    "she",
    "me",
    "us",
    "them",
    "is",
    "was",
    "be",
    "been",
    "do",
    "does",
    "did",
    "have",
    "has",
    "had",
    "can",
    "could",
    "will",
    "would",
    "should",
    "must",
    "might",
    "may",
    "something",
    "ok",
    "too",
};

struct Span {
  std::size_t start = 0, end = 0;
};

std::size_t skip_spaces(std::string_view s, std::size_t p, std::size_t max = 3) {
  std::size_t k = 0;
  while (p < s.size() && s[p] == ' ' && k < max) ++p, ++k;
  return p;
}

bool is_word_end(std::string_view s, std::size_t p) {
  return p >= s.size() || !is_alnum(s[p]);
}

// Opening quote at p: returns its length and the closing quote.
std::size_t open_quote(std::string_view s, std::size_t p, std::string_view& close) {
  if (s[p] == '"' || s[p] == '\'') {
    close = s.substr(p, 1);
    return 1;
  }
  if (s.substr(p, 3) == "\xE2\x80\x9C") {
    close = "\xE2\x80\x9D";
    return 3;
  }
  if (s.substr(p, 3) == "\xE2\x80\x98") {
    close = "\xE2\x80\x99";
    return 3;
  }
  return 0;
}

bool looks_secret(std::string_view v) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (is_digit(c) || (!is_alpha(c)) || (i > 0 && is_upper(c))) return true;
  }
  return false;
}

// The value of a secret whose cue starts at i, or false.
bool scan_secret(std::string_view s, std::size_t i, Span& out) {
  const std::size_t n = s.size();
  // The cues by first letter, in their order (the first that matches wins):
  // most words start with a letter no cue starts with, and the others are
  // compared only with the cues of that letter.
  static const std::array<std::vector<const SecretCue*>, 256> by_first = [] {
    std::array<std::vector<const SecretCue*>, 256> t{};
    for (const auto& c : kSecretCues) t[static_cast<unsigned char>(c.text[0])].push_back(&c);
    return t;
  }();
  const SecretCue* cue = nullptr;
  for (const SecretCue* c : by_first[static_cast<unsigned char>(lower(s[i]))])
    if (istarts_with(s, i, c->text) && is_word_end(s, i + c->text.size())) {
      cue = c;
      break;
    }
  if (cue == nullptr) return false;
  // The connector after position p: sets p past it. "password: X", "PIN is X".
  bool weak = false;
  auto connect = [&](std::size_t& p) {
    const std::size_t q = skip_spaces(s, p);
    if (q < n && (s[q] == ':' || s[q] == '=' || (s[q] == '-' && q + 1 < n && s[q + 1] == ' '))) {
      p = q + 1;
      return true;
    }
    if (q == p) {
      // "password's X"
      if (istarts_with(s, p, "'s ") || istarts_with(s, p, "\xE2\x80\x99s ")) {
        p += s[p] == '\'' ? 2 : 4;
        return true;
      }
      return false;
    }
    for (const auto& c : kConnectors)
      if (istarts_with(s, q, c.text) && is_word_end(s, q + c.text.size())) {
        p = q + c.text.size();
        weak = c.weak;
        if (p < n && s[p] == ':') ++p;
        return true;
      }
    return false;
  };
  std::size_t p = i + cue->text.size();
  if (cue->numeric) {  // "PIN no. is", "CVV number:"
    const std::size_t q = skip_spaces(s, p, 1);
    for (std::string_view word : {"number", "no.", "no", "num", "#"})
      if (q > p && istarts_with(s, q, word) &&
          (word.back() == '.' || word == "#" || is_word_end(s, q + word.size()))) {
        p = q + word.size();
        break;
      }
  }
  bool connected = connect(p);
  if (!connected) {
    // "the PIN for my card is X", "door code for deliveries is X": up to
    // two words after "for" and an optional my|the|your|our
    std::size_t q = skip_spaces(s, p);
    if (q > p && istarts_with(s, q, "for") && is_word_end(s, q + 3)) {
      std::size_t w = q + 3;
      const std::size_t d = skip_spaces(s, w);
      for (std::string_view det : {"my", "the", "your", "our"})
        if (d > w && istarts_with(s, d, det) && is_word_end(s, d + det.size())) w = d + det.size();
      for (int k = 0; k < 2 && !connected; ++k) {
        const std::size_t a = skip_spaces(s, w);
        std::size_t b = a;
        while (b < n && is_alpha(s[b])) ++b;
        if (a == w || b == a) break;
        w = b;
        std::size_t c = w;
        if (connect(c)) {
          connected = true;
          p = c;
        }
      }
    }
  }
  const bool bare = !connected;  // "password Blue$ky22", "PIN 4821"
  const std::size_t v = skip_spaces(s, p);
  // the value follows a space, or ':' / '=' directly ("password:abc")
  if (v >= n || (v == p && !(connected && (s[p - 1] == ':' || s[p - 1] == '=')))) return false;
  if (bare && !is_alnum(s[v])) return false;
  if (cue->numeric) {
    std::size_t e = v;
    while (e < n && is_digit(s[e]) && e - v <= 10) ++e;
    const std::size_t len = e - v;
    if (len < 3 || len > 10) return false;
    if (e < n && (is_alnum(s[e]) || s[e] == '/' || s[e] == ':' ||
                  ((s[e] == '.' || s[e] == ',') && e + 1 < n && is_digit(s[e + 1]))))
      return false;
    out = {v, e};
    return true;
  }
  std::string_view close;
  if (const std::size_t ql = open_quote(s, v, close)) {
    const std::size_t from = v + ql;
    const std::size_t to = s.substr(from, 64).find(close);
    if (to == npos || to == 0) return false;
    const std::string_view inner = s.substr(from, to);
    if (inner.find('\n') != npos) return false;
    out = {from, from + to};
    return true;
  }
  std::size_t e = v;
  while (e < n && e - v < 64 && s[e] != ' ' && s[e] != '\n' && s[e] != '\t') ++e;
  // Trailing sentence punctuation and closing quotes stay outside.
  while (e > v) {
    const char c = s[e - 1];
    // '!' and '?' end the sentence only before the end of the line or a capital
    const bool ends_sentence =
        e >= n || s[e] == '\n' || (s[e] == ' ' && (e + 1 >= n || !(s[e + 1] >= 'a' && s[e + 1] <= 'z')));
    if (c == '.' || c == ',' || c == ';' || c == ':' || ((c == '?' || c == '!') && ends_sentence) ||
        c == ')' || c == ']' || c == '"' || c == '\'') {
      --e;
    } else if (e - v >= 3 && (s.substr(e - 3, 3) == "\xE2\x80\x9D" || s.substr(e - 3, 3) == "\xE2\x80\x99")) {
      e -= 3;
    } else {
      break;
    }
  }
  if (e == v) return false;
  const std::string_view value = s.substr(v, e - v);
  bool letter = false, digit = false, symbol = false;
  for (char c : value) {
    letter = letter || is_alpha(c);
    digit = digit || is_digit(c);
    symbol = symbol || (c != 0 && std::string_view("!@#$%^&*").find(c) != npos);
  }
  if (!letter && !digit) return false;  // "Password: ********"
  if (bare) {
    if (!((letter && digit) || (symbol && (letter || digit)))) return false;
  } else if (weak) {
    if (!looks_secret(value)) return false;
  } else {
    if (in_list(value, kNotSecrets)) return false;
    // a quoted stop word's apostrophe forms: "isn't", "don't"
    if (value.find("n't") != npos || value.find("n\xE2\x80\x99t") != npos) return false;
  }
  bool digits_only = true;
  for (char c : value) digits_only = digits_only && is_digit(c);
  if (digits_only && value.size() < 4) return false;  // "password is 8 characters"
  out = {v, e};
  return true;
}

// ---------------------------------------------------------------- IBAN

struct IbanCountry {
  char code[3];
  int length;
};

constexpr IbanCountry kIbanCountries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BR", 29}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DK", 18},
    {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22},
    {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22},
    {"IL", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LI", 21},
    {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MR", 27},
    {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25},
    {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27},
    {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VG", 24}, {"XK", 20},
};

int iban_length(char a, char b) {
  a = upper(a);
  b = upper(b);
  for (const auto& c : kIbanCountries)
    if (c.code[0] == a && c.code[1] == b) return c.length;
  return 0;
}

// mod-97 over the compact upper-case IBAN (letters and digits only).
bool mod97_ok(std::string_view compact) {
  if (compact.size() < 5) return false;
  unsigned rem = 0;
  auto feed = [&rem](char c) {
    if (is_digit(c)) {
      rem = (rem * 10 + static_cast<unsigned>(c - '0')) % 97;
    } else {
      const unsigned v = static_cast<unsigned>(upper(c) - 'A') + 10;
      rem = (rem * 100 + v) % 97;
    }
  };
  for (std::size_t k = 4; k < compact.size(); ++k) feed(compact[k]);
  for (std::size_t k = 0; k < 4; ++k) feed(compact[k]);
  return rem == 1;
}

struct IbanScan {
  bool match = false;
  std::size_t end = 0;  // of the match, or how far to skip (0: nothing)
};

IbanScan scan_iban(std::string_view s, std::size_t i) {
  const std::size_t n = s.size();
  IbanScan r;
  if (i + 4 > n || !is_alpha(s[i]) || !is_alpha(s[i + 1]) || !is_digit(s[i + 2]) || !is_digit(s[i + 3]))
    return r;
  const int length = iban_length(s[i], s[i + 1]);
  if (length == 0) return r;
  char buf[40];
  std::size_t size = 0;
  struct Boundary {
    std::size_t size, end;
    bool codeish;  // group has a digit or is upper case only
  };
  Boundary bounds[12];
  std::size_t nb = 0;
  std::size_t j = i;
  while (nb < 12) {
    const std::size_t gs = j;
    bool digit = false, lower_case = false;
    while (j < n && is_alnum(s[j]) && size < 36) {
      digit = digit || is_digit(s[j]);
      lower_case = lower_case || (s[j] >= 'a' && s[j] <= 'z');
      buf[size++] = upper(s[j++]);
    }
    if (j < n && is_alnum(s[j])) break;  // longer than any IBAN
    bounds[nb++] = {size, j, digit || !lower_case || j - gs <= 4};
    if (j + 1 < n && s[j] == ' ' && is_alnum(s[j + 1]) && size < 34) {
      ++j;
      continue;
    }
    break;
  }
  for (std::size_t b = 0; b < nb; ++b) {
    if (bounds[b].size == static_cast<std::size_t>(length)) {
      const std::size_t e = bounds[b].end;
      if (mod97_ok(std::string_view(buf, bounds[b].size)) && (e >= n || !is_alnum(s[e]))) {
        r.match = true;
        r.end = e;
        return r;
      }
      break;
    }
  }
  // An IBAN-shaped run that fails: skip its code-like groups.
  if (size >= 12) {
    std::size_t b = 0;
    while (b + 1 < nb && bounds[b + 1].codeish) ++b;
    r.end = bounds[b].end;
  }
  return r;
}

// ---------------------------------------------------------------- digit runs

// A run of digit groups: "+44 (0)20 7946 0958", "4111-1111-1111-1111".
struct Run {
  std::size_t start = 0, end = 0;
  bool plus = false;
  int ngroups = 0;
  static constexpr int kMax = 12;
  int digits[kMax] = {};          // per group
  std::size_t gstart[kMax] = {};  // byte start of the group's digits
  std::size_t gend[kMax] = {};    // byte end of the group (after ')')
  char sep[kMax] = {};            // separator before the group (0: none)
  bool paren[kMax] = {};
};

Run parse_run(std::string_view s, std::size_t i) {
  const std::size_t n = s.size();
  Run r;
  r.start = i;
  std::size_t j = i;
  if (s[j] == '+') {
    r.plus = true;
    ++j;
  }
  char pending_sep = 0;
  while (r.ngroups < Run::kMax && j < n) {
    const std::size_t before = j;
    bool open = false;
    if (s[j] == '(') {
      open = true;
      ++j;
    }
    const std::size_t ds = j;
    while (j < n && is_digit(s[j])) ++j;
    if (j == ds || (open && (j >= n || s[j] != ')'))) {
      j = before;
      break;
    }
    const int g = r.ngroups++;
    r.digits[g] = static_cast<int>(j - ds);
    r.gstart[g] = ds;
    if (open) ++j;
    r.gend[g] = j;
    r.sep[g] = pending_sep;
    r.paren[g] = open;
    pending_sep = 0;
    if (j + 1 < n && (s[j] == ' ' || s[j] == '-' || s[j] == '.') &&
        (is_digit(s[j + 1]) || (s[j + 1] == '(' && j + 2 < n && is_digit(s[j + 2])))) {
      pending_sep = s[j];
      ++j;
      continue;
    }
    if (open && j < n && is_digit(s[j])) continue;  // "(555)123-4567"
    break;
  }
  r.end = r.ngroups > 0 ? r.gend[r.ngroups - 1] : i;
  return r;
}

// A 3-byte UTF-8 or 1-2 byte currency sign just before `pos` (one space allowed).
bool after_currency(std::string_view s, std::size_t pos) {
  std::size_t p = pos;
  if (p > 0 && s[p - 1] == ' ') --p;
  if (p >= 1 && s[p - 1] == '$') return true;
  if (p >= 2 && (s.substr(p - 2, 2) == "\xC2\xA3" || s.substr(p - 2, 2) == "\xC2\xA5")) return true;
  if (p >= 3 && (s.substr(p - 3, 3) == "\xE2\x82\xAC" || s.substr(p - 3, 3) == "\xE2\x82\xB9")) return true;
  return false;
}

// The run's start is glued to a token before it ("#123", "A-12", "12/05").
bool glued_before(std::string_view s, std::size_t start) {
  if (start == 0) return false;
  const char p = s[start - 1];
  if (p == '#' || p == '@' || p == '_' || p == '&' || p == '=') return true;
  if ((p == '/' || p == ':' || p == '.' || p == ',' || p == '-') && start >= 2 && is_alnum(s[start - 2]))
    return true;
  return false;
}

// The byte at e continues the token ("12/05", "14:30", "1,299.00", "12%").
bool glued_after(std::string_view s, std::size_t e) {
  const std::size_t n = s.size();
  if (e >= n) return false;
  const char c = s[e];
  if (is_alnum(c) || c == '/' || c == '%' || c == '@' || c == '_') return true;
  if ((c == ':' || c == '.' || c == ',' || c == '-') && e + 1 < n && is_alnum(s[e + 1])) return true;
  return false;
}

constexpr std::string_view kIdCues[] = {
    "order",        "orders",  "tracking", "track",      "ref",          "reference",   "invoice", "ticket",
    "case",         "account", "acct",     "booking",    "confirmation", "transaction", "imei",    "serial",
    "sku",          "item",    "policy",   "membership", "member",       "customer",    "parcel",  "shipment",
    "consignment",  "claim",   "receipt",  "voucher",    "id",           "gbp",         "usd",     "eur",
    "aud",          "cad",     "inr",      "chf",        "model",        "version",     "build",   "barcode",
    "isbn",         "iccid",   "meter",    "contract",   "loyalty",      "card",        "sort",    "iban",
    "routing",      "swift",   "bic",      "vat",        "nhs",          "passport",    "licence", "license",
    "registration", "reg",     "batch",    "lot",        "flight",       "seat",        "room",    "po",
};

constexpr std::string_view kStrongPhoneCues[] = {
    "phone",   "phoned", "telephone", "tel",      "call",      "called",   "calling",
    "calls",   "mobile", "mob",       "cell",     "cellphone", "ring",     "rang",
    "text",    "texted", "sms",       "whatsapp", "landline",  "fax",      "dial",
    "dialled", "dialed", "hotline",   "helpline", "phones",    "callback", "line",
};

constexpr std::string_view kWeakPhoneCues[] = {"number", "numbers", "contact", "reach", "mob", "tel"};

bool has_cue(std::string_view* words, std::size_t k, bool strong_only) {
  for (std::size_t w = 0; w < k; ++w) {
    if (in_list(words[w], kStrongPhoneCues)) return true;
    if (!strong_only && in_list(words[w], kWeakPhoneCues)) return true;
  }
  return false;
}

bool id_vetoed(std::string_view s, std::size_t start) {
  std::string_view words[3];
  const std::size_t k = prev_words(s, start, words, 3);
  bool id = false;
  for (std::size_t w = 0; w < k; ++w) id = id || in_list(words[w], kIdCues);
  return id && !has_cue(words, k, true);
}

// ---------------------------------------------------------------- cards

bool card_scheme_ok(std::string_view d) {
  const std::size_t len = d.size();
  auto prefix = [&](std::size_t k) {
    int v = 0;
    for (std::size_t x = 0; x < k && x < len; ++x) v = v * 10 + (d[x] - '0');
    return v;
  };
  const int p1 = prefix(1), p2 = prefix(2), p3 = prefix(3), p4 = prefix(4);
  if (p1 == 4) return len == 13 || len == 16 || len == 19;                             // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len == 16;          // Mastercard
  if (p2 == 34 || p2 == 37) return len == 15;                                          // Amex
  if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649)) return len >= 16;            // Discover
  if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) return len >= 14;  // Diners
  if (p4 >= 3528 && p4 <= 3589) return len >= 16;                                      // JCB
  if (p2 == 62) return len >= 16;                                                      // UnionPay
  if (p2 == 50 || (p2 >= 56 && p2 <= 69)) return len >= 13;                            // Maestro
  return false;
}

// Groups [0, k) laid out like a card number.
bool card_layout_ok(const Run& r, int k) {
  if (k == 1) return true;
  const char sep = r.sep[1];
  if (sep != ' ' && sep != '-') return false;
  for (int g = 0; g < k; ++g)
    if (r.paren[g] || (g > 0 && r.sep[g] != sep)) return false;
  bool fours = true;
  for (int g = 0; g + 1 < k; ++g) fours = fours && r.digits[g] == 4;
  if (fours && r.digits[k - 1] >= 1 && r.digits[k - 1] <= 4) return true;
  if (k == 3 && r.digits[0] == 4 && r.digits[1] == 6 && (r.digits[2] == 5 || r.digits[2] == 4)) return true;
  return false;
}

// End of a card number in the run, or npos.
std::size_t card_end(std::string_view s, const Run& r) {
  if (r.plus || !is_digit(s[r.start]) || glued_before(s, r.start)) return npos;
  char d[24];
  for (int k = r.ngroups; k >= 1; --k) {
    std::size_t len = 0;
    bool fits = true;
    for (int g = 0; g < k && fits; ++g) {
      if (len + static_cast<std::size_t>(r.digits[g]) > 19) fits = false;
      for (int x = 0; x < r.digits[g] && fits; ++x) d[len++] = s[r.gstart[g] + static_cast<std::size_t>(x)];
    }
    if (!fits || len < 13) continue;
    if (k == r.ngroups && glued_after(s, r.gend[k - 1])) continue;
    const std::string_view digits(d, len);
    if (card_layout_ok(r, k) && card_scheme_ok(digits) && luhn_valid(digits)) {
      std::string_view words[3];
      const std::size_t nw = prev_words(s, r.start, words, 3);
      bool id = false, card = false;
      for (std::size_t w = 0; w < nw; ++w) {
        card = card || iequals(words[w], "card") || iequals(words[w], "visa") ||
               iequals(words[w], "mastercard") || iequals(words[w], "amex") || iequals(words[w], "debit") ||
               iequals(words[w], "credit");
        id = id || (in_list(words[w], kIdCues) && !iequals(words[w], "card"));
      }
      if (id && !card) return npos;
      return r.gend[k - 1];
    }
  }
  return npos;
}

// ---------------------------------------------------------------- phones

bool phone_groups_ok(std::string_view s, const Run& r, int k) {
  int total = 0, trunk = 0;
  for (int g = 0; g < k; ++g) {
    total += r.digits[g];
    if (r.paren[g] && r.digits[g] == 1 && s[r.gstart[g]] == '0' && g > 0) trunk = 1;  // "+44 (0)20"
  }
  const int digits = total - trunk;
  if (digits < 7 || total > 17) return false;  // before any word look-ups: most runs are short
  const char first = s[r.gstart[0]];
  const bool two_zero = r.digits[0] >= 2 ? (s[r.gstart[0]] == '0' && s[r.gstart[0] + 1] == '0')
                                         : (k > 1 && first == '0' && s[r.gstart[1]] == '0');
  // layouts that are never phone numbers
  bool dots = false;
  for (int g = 1; g < k; ++g) dots = dots || r.sep[g] == '.';
  if (dots && k == 4) {
    bool small = true;
    for (int g = 0; g < 4; ++g) small = small && r.digits[g] <= 3;
    if (small) return false;  // IP address
  }
  if (k == 2 && r.sep[1] == '-' && r.digits[0] == 5 && r.digits[1] == 4) return false;  // ZIP+4
  if (k == 3 && r.sep[1] == '-' && r.digits[0] == 3 && r.digits[1] == 2 && r.digits[2] == 4) return false;

  // "0.00 0.00 12.50", "05.06.2024 09.15": dots and spaces mixed are amounts
  // and dates (the space after a "+33" country code does not count)
  bool spaces = false;
  for (int g = r.plus ? 2 : 1; g < k; ++g) spaces = spaces || r.sep[g] == ' ';
  if (dots && spaces) return false;

  if (r.plus) return digits >= 8 && digits <= 15;
  if (id_vetoed(s, r.start)) return false;
  if (two_zero) return total >= 10 && total <= 17;

  std::string_view words[6];
  const std::size_t nw = prev_words(s, r.start, words, 6);
  const bool cue = has_cue(words, nw, false);
  if (digits >= 9 && digits <= 12) {
    bool pairs = k >= 3;
    for (int g = 0; g < k; ++g) pairs = pairs && r.digits[g] == 2;
    if (pairs && k != 5) return false;  // "04 11 23 35 42 49"; "06 12 34 56 78" is a phone
    if (k == 1) return (first == '0' && (digits == 10 || digits == 11)) || cue;
    const bool nanp =
        (k == 3 && r.digits[0] == 3 && r.digits[1] == 3 && r.digits[2] == 4) ||
        (k == 4 && r.digits[0] == 1 && r.digits[1] == 3 && r.digits[2] == 3 && r.digits[3] == 4);
    const bool l333 = k == 3 && r.digits[0] == 3 && r.digits[1] == 3 && r.digits[2] == 3;
    return first == '0' || r.paren[0] || nanp || l333 || cue;
  }
  if (digits >= 7 && digits <= 8 && k == 2 && r.digits[0] == 3 && r.digits[1] == 4 &&
      (r.sep[1] == '-' || r.sep[1] == ' '))
    return cue;
  return false;
}

// End of a phone number in the run, or npos.
std::size_t phone_end(std::string_view s, const Run& r) {
  if (glued_before(s, r.start) || after_currency(s, r.start)) return npos;
  for (int k = r.ngroups; k >= 1; --k) {
    if (k < r.ngroups && r.sep[k] != ' ') break;  // only cut a run at a space
    if (k == r.ngroups && glued_after(s, r.gend[k - 1])) continue;
    int total = 0;
    for (int g = 0; g < k; ++g) total += r.digits[g];
    if (total > 18) continue;
    if (phone_groups_ok(s, r, k)) return r.gend[k - 1];
    break;  // shorter prefixes of a rejected number stay rejected
  }
  return npos;
}

}  // namespace

// ---------------------------------------------------------------- public

const char* redaction_type_name(RedactionType type) {
  switch (type) {
    case RedactionType::email:
      return "email";
    case RedactionType::phone:
      return "phone";
    case RedactionType::card:
      return "card";
    case RedactionType::iban:
      return "iban";
    case RedactionType::secret:
      return "secret";
  }
  return "?";
}

const char* redaction_placeholder(RedactionType type) {
  switch (type) {
    case RedactionType::email:
      return "[EMAIL]";
    case RedactionType::phone:
      return "[PHONE]";
    case RedactionType::card:
      return "[CARD]";
    case RedactionType::iban:
      return "[IBAN]";
    case RedactionType::secret:
      return "[SECRET]";
  }
  return "[?]";
}

bool RedactionOptions::enabled(RedactionType type) const {
  switch (type) {
    case RedactionType::email:
      return email;
    case RedactionType::phone:
      return phone;
    case RedactionType::card:
      return card;
    case RedactionType::iban:
      return iban;
    case RedactionType::secret:
      return secret;
  }
  return false;
}

int RedactionResult::total() const {
  int t = 0;
  for (int c : counts) t += c;
  return t;
}

bool luhn_valid(std::string_view digits) {
  int sum = 0, count = 0;
  bool dbl = false;
  for (std::size_t k = digits.size(); k-- > 0;) {
    const char c = digits[k];
    if (c == ' ' || c == '-') continue;
    if (!is_digit(c)) return false;
    int v = c - '0';
    if (dbl) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    dbl = !dbl;
    ++count;
  }
  return count >= 2 && sum % 10 == 0;
}

bool iban_valid(std::string_view iban) {
  std::string compact;
  for (char c : iban) {
    if (c == ' ' || c == '-') continue;
    if (!is_alnum(c)) return false;
    compact += upper(c);
  }
  if (compact.size() < 15 || compact.size() > 34) return false;
  if (!is_alpha(compact[0]) || !is_alpha(compact[1]) || !is_digit(compact[2]) || !is_digit(compact[3]))
    return false;
  const int length = iban_length(compact[0], compact[1]);
  if (length != 0 && static_cast<std::size_t>(length) != compact.size()) return false;
  return mod97_ok(compact);
}

RedactionResult redact(std::string_view s, const RedactionOptions& options) {
  RedactionResult r;
  r.text.reserve(s.size());
  const std::size_t n = s.size();
  std::size_t copied = 0, i = 0;
  std::size_t next_at = s.find('@');  // emails are only looked for within 64 bytes of an '@'
  auto emit = [&](RedactionType type, std::size_t start, std::size_t end) {
    r.text.append(s.substr(copied, start - copied));
    r.text.append(redaction_placeholder(type));
    r.spans.push_back({type, start, end});
    ++r.counts[static_cast<std::size_t>(type)];
    copied = end;
  };
  while (i < n) {
    const char c = s[i];
    const bool starts = (i == 0 || !is_alnum(s[i - 1])) && (is_alnum(c) || c == '+' || c == '(');
    if (!starts) {
      ++i;
      continue;
    }
    if (next_at != npos && next_at < i) next_at = s.find('@', i);
    if (options.email && next_at != npos && next_at - i <= 65 && is_alnum(c) &&
        (i == 0 || !is_local_char(s[i - 1]))) {
      const std::size_t e = scan_email(s, i);
      if (e != npos) {
        emit(RedactionType::email, i, e);
        i = e;
        continue;
      }
    }
    Span sp;
    if (options.secret && is_alnum(c) && scan_secret(s, i, sp)) {  // digits: "2FA code"
      emit(RedactionType::secret, sp.start, sp.end);
      i = sp.end;
      continue;
    }
    if (is_alpha(c)) {
      if (options.iban) {
        const IbanScan ib = scan_iban(s, i);
        if (ib.match) {
          emit(RedactionType::iban, i, ib.end);
          i = ib.end;
          continue;
        }
        if (ib.end > i) {
          i = ib.end;
          continue;
        }
      }
      while (i < n && is_alnum(s[i])) ++i;
      continue;
    }
    if ((options.card || options.phone) && (is_digit(c) || (i + 1 < n && is_digit(s[i + 1])))) {
      const Run run = parse_run(s, i);
      if (run.ngroups > 0) {
        if (options.card) {
          const std::size_t e = card_end(s, run);
          if (e != npos) {
            emit(RedactionType::card, i, e);
            i = e;
            continue;
          }
        }
        if (options.phone) {
          const std::size_t e = phone_end(s, run);
          if (e != npos) {
            emit(RedactionType::phone, i, e);
            i = e;
            continue;
          }
        }
        i = std::max(run.end, i + 1);
        continue;
      }
    }
    ++i;
  }
  r.text.append(s.substr(copied));
  return r;
}

}  // namespace cxmap
