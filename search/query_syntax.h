// Query syntax: the search language split into tokens and checked before
// Xapian's QueryParser sees it.
//
// Xapian's parser is deliberately forgiving: on a syntax error it quietly
// reparses the text as plain words, so "refund AND" or "stge:contact" would
// search for something else than the researcher meant. This module is the
// strict front door: it names the column of the first mistake and what was
// expected there, and its tokens are what `cxmap search --explain` prints as
// the first step of the parse. It does not build queries; search.cpp hands
// the checked text to Xapian with the same prefixes and range processors.
//
// Pure: no index, no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxmap {

enum class QueryTokenKind { word, phrase, filter, range, op, open, close };

struct QueryToken {
  QueryTokenKind kind = QueryTokenKind::word;
  std::size_t column = 0;  // 1-based byte column of the token's first character
  std::string text;        // as written, sign included
  std::string field;       // filter and range: the field name ("stage")
  std::string value;       // word text, phrase content, filter value, or op name
  std::string low, high;   // range ends; empty means open
  char sign = 0;           // '+' (must) or '-' (must not), else 0
};

struct QueryError {
  std::size_t column = 0;  // 1-based
  std::string message;     // what was found and what was expected
};

struct CheckedQuery {
  std::vector<QueryToken> tokens;
  std::optional<QueryError> error;
};

// The range fields (date:A..B, nps:, csat:, score:), in help order.
const std::vector<std::string>& range_field_names();

// Splits and checks a query. On the first mistake, error is set and tokens
// hold what was read up to it.
CheckedQuery check_query(std::string_view query);

// "query" plus a second line with a caret under the error's column, for
// terminals: the position is then visible, not just a number.
std::string point_at(std::string_view query, const QueryError& error);

const char* token_kind_name(QueryTokenKind kind);

}  // namespace cxmap
