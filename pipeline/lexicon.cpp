// Lexicon storage and the TSV parsers. The parsers walk lines of a string
// view and report the first bad line as origin:line with what was wrong.
#include "pipeline/lexicon.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "pipeline/emotion.h"
#include "pipeline/normalize.h"
#include "pipeline/segment.h"

namespace cxmap {

namespace {

std::string key_of(std::string_view term) {
  if (term.find(' ') != std::string_view::npos) return phrase_key(term);
  std::string f = fold_case(term);
  // typographic apostrophe -> '
  std::string out;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (i + 2 < f.size() && static_cast<unsigned char>(f[i]) == 0xE2 &&
        static_cast<unsigned char>(f[i + 1]) == 0x80 && static_cast<unsigned char>(f[i + 2]) == 0x99) {
      out += '\'';
      i += 2;
    } else {
      out += f[i];
    }
  }
  return out;
}

int word_count(std::string_view key) {
  return key.empty() ? 0 : 1 + static_cast<int>(std::count(key.begin(), key.end(), ' '));
}

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> f;
  std::size_t i = 0;
  while (true) {
    std::size_t t = line.find('\t', i);
    f.push_back(line.substr(i, t == std::string_view::npos ? std::string_view::npos : t - i));
    if (t == std::string_view::npos) break;
    i = t + 1;
  }
  return f;
}

bool parse_double(std::string_view s, double& out) {
  s = trim_view(s);
  if (s.empty()) return false;
  std::string tmp(s);
  char* end = nullptr;
  out = std::strtod(tmp.c_str(), &end);
  return end == tmp.c_str() + tmp.size() && std::isfinite(out);
}

Error line_error(std::string_view origin, int line, const std::string& what) {
  return make_error(ErrorKind::config, std::string(origin) + ":" + std::to_string(line) + ": " + what);
}

// Calls f(line_number, line) for every non-blank, non-comment line; stops at
// the first error f returns.
template <typename F>
std::optional<Error> for_each_line(std::string_view text, F&& f, bool hash_comments = true) {
  int n = 0;
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // BOM
  while (i <= text.size()) {
    std::size_t nl = text.find('\n', i);
    std::string_view line = text.substr(i, nl == std::string_view::npos ? std::string_view::npos : nl - i);
    ++n;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view t = trim_view(line);
    if (!t.empty() && !(hash_comments && t.front() == '#')) {
      if (auto e = f(n, line)) return e;
    }
    if (nl == std::string_view::npos) break;
    i = nl + 1;
  }
  return std::nullopt;
}

}  // namespace

void ValenceLexicon::add(std::string_view term, double valence, ValenceLayer layer) {
  std::string key = key_of(term);
  if (key.empty()) return;
  if (layer == ValenceLayer::cx) {
    int words = word_count(key);
    max_cx_words_ = std::max(max_cx_words_, words);
    if (words > 1) {
      int& m = words_[std::string_view(key).substr(0, key.find(' '))].cx_phrase_words;
      m = std::max(m, words);
    }
  }
  ValenceWord& w = words_[key];
  if (layer == ValenceLayer::base) {
    base_n_ += w.has_base ? 0 : 1;
    w.base = valence;
    w.has_base = true;
  } else {
    cx_n_ += w.has_cx ? 0 : 1;
    w.cx = valence;
    w.has_cx = true;
  }
}

void ValenceLexicon::add_all(const ValenceTable& table, ValenceLayer layer) {
  for (const auto& e : table) add(e.term, e.valence, layer);
}

const double* ValenceLexicon::find(std::string_view key, bool cx) const {
  const ValenceWord* w = words_.find(key);
  if (!w) return nullptr;
  if (cx && w->has_cx) return &w->cx;
  return w->has_base ? &w->base : nullptr;
}

const double* ValenceLexicon::find_layer(std::string_view key, ValenceLayer layer) const {
  const ValenceWord* w = words_.find(key);
  if (!w) return nullptr;
  if (layer == ValenceLayer::cx) return w->has_cx ? &w->cx : nullptr;
  return w->has_base ? &w->base : nullptr;
}

int ValenceLexicon::cx_phrase_words_from(std::string_view first) const {
  const ValenceWord* w = words_.find(first);
  return w ? w->cx_phrase_words : 1;
}

int EmotionLexicon::phrase_words_from(std::string_view first) const {
  const EmotionWord* w = terms_.find(first);
  return w ? w->phrase_words : 1;
}

void EmotionLexicon::add(std::string_view term, std::string emotion, double weight) {
  std::string key = key_of(term);
  if (key.empty()) return;
  int words = word_count(key);
  max_words_ = std::max(max_words_, words);
  if (words > 1) {
    int& m = terms_[std::string_view(key).substr(0, key.find(' '))].phrase_words;
    m = std::max(m, words);
  }
  if (words == 1) {
    std::string stem = stem_word(key);
    auto& sv = stems_[stem];
    auto it = std::find_if(sv.begin(), sv.end(), [&](const EmotionWeight& w) { return w.emotion == emotion; });
    if (it == sv.end()) sv.push_back({emotion, weight});
    else it->weight = std::max(it->weight, weight);
  }
  auto& v = terms_[key].emotions;
  if (v.empty()) ++size_;
  auto it = std::find_if(v.begin(), v.end(), [&](const EmotionWeight& w) { return w.emotion == emotion; });
  if (it == v.end()) v.push_back({std::move(emotion), weight});
  else it->weight = weight;
}

const std::vector<EmotionWeight>* EmotionLexicon::find(std::string_view key) const {
  const EmotionWord* w = terms_.find(key);
  return w && !w->emotions.empty() ? &w->emotions : nullptr;
}

Result<ValenceTable> parse_valence_tsv(std::string_view text, std::string_view origin) {
  ValenceTable table;
  auto err = for_each_line(text, [&](int n, std::string_view line) -> std::optional<Error> {
    auto f = split_tabs(line);
    if (f.size() != 2) return line_error(origin, n, "expected term<TAB>valence, got " + std::to_string(f.size()) + " field(s)");
    std::string_view term = trim_view(f[0]);
    if (term.empty()) return line_error(origin, n, "empty term");
    double v = 0;
    if (!parse_double(f[1], v)) return line_error(origin, n, "valence '" + std::string(trim_view(f[1])) + "' is not a number");
    if (v < -4 || v > 4) return line_error(origin, n, "valence " + std::string(trim_view(f[1])) + " outside [-4, 4]");
    table.push_back({std::string(term), v});
    return std::nullopt;
  });
  if (err) return *err;
  return table;
}

Result<ValenceTable> parse_vader_lexicon(std::string_view text, std::string_view origin) {
  ValenceTable table;
  // VADER tokens may start with '#' ("#-o" is an emoticon), so no comments.
  auto err = for_each_line(text, [&](int n, std::string_view line) -> std::optional<Error> {
    auto f = split_tabs(line);
    if (f.size() < 2) return line_error(origin, n, "expected token<TAB>mean<TAB>sd<TAB>ratings");
    if (f[0].empty()) return line_error(origin, n, "empty token");
    double v = 0;
    if (!parse_double(f[1], v)) return line_error(origin, n, "mean '" + std::string(f[1]) + "' is not a number");
    if (v < -4 || v > 4) return line_error(origin, n, "mean outside [-4, 4]");
    // VADER looks words up lowercased, so an entry with capitals (":P" beside
    // ":p") never matches there; folding it here would overwrite the entry
    // that does.
    if (std::any_of(f[0].begin(), f[0].end(), [](char c) { return c >= 'A' && c <= 'Z'; })) return std::nullopt;
    table.push_back({std::string(f[0]), v});
    return std::nullopt;
  }, false);
  if (err) return *err;
  if (table.empty()) return make_error(ErrorKind::config, std::string(origin) + ": no entries");
  return table;
}

Result<ValenceTable> parse_afinn(std::string_view text, std::string_view origin) {
  ValenceTable table;
  auto err = for_each_line(text, [&](int n, std::string_view line) -> std::optional<Error> {
    auto f = split_tabs(line);
    if (f.size() != 2) return line_error(origin, n, "expected word<TAB>integer");
    std::string_view num = trim_view(f[1]);
    int v = 0;
    auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
    if (ec != std::errc() || p != num.data() + num.size() || v < -5 || v > 5)
      return line_error(origin, n, "score '" + std::string(num) + "' is not an integer in [-5, 5]");
    table.push_back({std::string(trim_view(f[0])), v * 0.8});
    return std::nullopt;
  });
  if (err) return *err;
  if (table.empty()) return make_error(ErrorKind::config, std::string(origin) + ": no entries");
  return table;
}

Result<EmotionLexicon> parse_emotion_tsv(std::string_view text, std::string_view origin) {
  EmotionLexicon lex;
  const auto& labels = emotion_labels();
  auto err = for_each_line(text, [&](int n, std::string_view line) -> std::optional<Error> {
    auto f = split_tabs(line);
    if (f.size() != 3) return line_error(origin, n, "expected term<TAB>emotion<TAB>weight");
    std::string_view term = trim_view(f[0]);
    std::string emotion(trim_view(f[1]));
    if (term.empty()) return line_error(origin, n, "empty term");
    if (emotion == "neutral" || std::find(labels.begin(), labels.end(), emotion) == labels.end())
      return line_error(origin, n, "unknown emotion '" + emotion + "'");
    double w = 0;
    if (!parse_double(f[2], w) || w < 0 || w > 3)
      return line_error(origin, n, "weight '" + std::string(trim_view(f[2])) + "' is not a number in [0, 3]");
    lex.add(term, std::move(emotion), w);
    return std::nullopt;
  });
  if (err) return *err;
  return lex;
}

std::string write_valence_tsv(const ValenceTable& table, std::string_view header) {
  std::string out;
  std::size_t i = 0;
  while (i < header.size()) {
    std::size_t nl = header.find('\n', i);
    out += "# ";
    out += header.substr(i, nl == std::string_view::npos ? std::string_view::npos : nl - i);
    out += '\n';
    if (nl == std::string_view::npos) break;
    i = nl + 1;
  }
  char buf[32];
  for (const auto& e : table) {
    if (e.term.find('\t') != std::string::npos || e.term.find('\n') != std::string::npos) continue;
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, e.valence);
    out += e.term;
    out += '\t';
    out.append(buf, p);
    out += '\n';
  }
  return out;
}

}  // namespace cxmap
