// Spelling suggestions: nearest indexed word by edit distance.
#include "search/spelling.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "search/query_syntax.h"

namespace cxmap {

int edit_distance(std::string_view a, std::string_view b, int limit) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  // Three rows: the transposition step looks two rows back.
  std::vector<int> before(m + 1), prev(m + 1), cur(m + 1);
  for (int j = 0; j <= m; ++j) prev[j] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int d = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min(d, before[j - 2] + 1);
      cur[j] = d;
      row_min = std::min(row_min, d);
    }
    if (row_min > limit) return limit + 1;
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[m], limit + 1);
}

namespace {

bool plain_lower_word(std::string& w) {
  if (w.size() < 3) return false;
  for (char& c : w) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return true;
}

// The closest indexed word, or "" when none is close enough.
std::string nearest_term(const Xapian::Database& db, const std::string& word) {
  const int limit = word.size() <= 4 ? 1 : 2;
  std::string best;
  int best_distance = limit + 1;
  Xapian::doccount best_freq = 0;
  const std::string first = word.substr(0, 1);
  for (auto it = db.allterms_begin(first); it != db.allterms_end(first); ++it) {
    const std::string term = *it;
    // Unprefixed terms are the sentence words; skip numbers and mixed terms.
    if (term.size() + 2 < word.size() || term.size() > word.size() + 2) continue;
    const int d = edit_distance(word, term, best_distance);
    if (d > limit) continue;
    const Xapian::doccount freq = it.get_termfreq();
    if (d < best_distance || (d == best_distance && freq > best_freq)) {
      best = term;
      best_distance = d;
      best_freq = freq;
    }
  }
  return best;
}

}  // namespace

std::string suggest_spelling(const Xapian::Database& db, const std::string& query) {
  CheckedQuery checked = check_query(query);
  if (checked.error) return "";
  Xapian::Stem stem("english");
  std::string out = query;
  std::ptrdiff_t shift = 0;  // replacements change lengths; columns refer to the original
  bool changed = false;
  for (const QueryToken& t : checked.tokens) {
    if (t.kind != QueryTokenKind::word || t.sign == '-') continue;
    std::string word = t.value;
    if (!plain_lower_word(word)) continue;
    std::string stemmed = "Z";  // Xapian's prefix for stemmed forms
    stemmed += stem(word);      // (appended: GCC 12 warns falsely on "Z" + string)
    if (db.term_exists(word) || db.term_exists(stemmed)) continue;
    const std::string better = nearest_term(db, word);
    if (better.empty()) continue;
    const std::size_t at = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(t.column - 1) + shift) + (t.sign ? 1 : 0);
    out.replace(at, t.value.size(), better);
    shift += static_cast<std::ptrdiff_t>(better.size()) - static_cast<std::ptrdiff_t>(t.value.size());
    changed = true;
  }
  return changed ? out : "";
}

}  // namespace cxmap
