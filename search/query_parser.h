// Query parser: how the search language reaches Xapian once query_syntax.h
// has checked it: English stemming, words ANDed, the boolean prefixes of the
// field table (db/fields.h) and the range processors for date:, nps:, csat:
// and score:. One definition, shared by search, its benchmark and the parity
// test's reference, so they never read a query differently.
#pragma once

#include <xapian.h>

#include <string>

namespace cxmap {

inline constexpr unsigned kQueryParseFlags =
    Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PURE_NOT;

Xapian::QueryParser make_query_parser(const Xapian::Database& db);

// Xapian's parse of query text, as search reads it; empty or blank text (or
// a parse that keeps nothing) is every document. May throw
// Xapian::QueryParserError.
Xapian::Query parse_query_text(const Xapian::Database& db, const std::string& text);

}  // namespace cxmap
