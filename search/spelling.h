// Spelling suggestions ("did you mean") from the index's own vocabulary.
//
// Xapian can keep a spelling table at index time, but that table outlives
// the documents it came from: a forgotten customer's words would stay in it
// (cxmap forget deletes documents, and Xapian never prunes spelling data by
// itself). Suggesting from the live term list instead means a word is only
// ever suggested while some stored sentence still contains it, and needs no
// extra index data. Candidates share the first letter, differ in length by at
// most two, and are within an edit distance of 1 (words up to 4 letters) or 2;
// the closest wins, then the most frequent, then the first in byte order.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>

namespace cxmap {

// Edit distance with adjacent transpositions (optimal string alignment),
// stopping early once it exceeds `limit` (returns limit + 1 then).
int edit_distance(std::string_view a, std::string_view b, int limit);

// The query with every unknown free-text word replaced by its best
// suggestion, or "" when no word needs (or has) one. Filters, ranges,
// phrases, wildcards and excluded words are left as written.
std::string suggest_spelling(const Xapian::Database& db, const std::string& query);

}  // namespace cxmap
