// Query syntax: tokenizer and checker for the search language.
#include "search/query_syntax.h"

#include <cctype>
#include <cstdlib>

#include "db/fields.h"

namespace cxmap {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A word ends at white space, a bracket or a quote; quotes start phrases.
bool ends_word(char c) { return is_space(c) || c == '(' || c == ')' || c == '"'; }

bool is_binary_op(std::string_view w) {
  return w == "AND" || w == "OR" || w == "XOR" || w == "NEAR" || w == "ADJ" || w.rfind("NEAR/", 0) == 0 ||
         w.rfind("ADJ/", 0) == 0;
}

bool is_field_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::islower(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

bool is_range_field(const std::string& name) {
  for (const std::string& r : range_field_names())
    if (r == name) return true;
  return false;
}

bool is_known_field(const std::string& name) { return find_field(name) || is_range_field(name); }

std::string known_fields() {
  std::string names;
  for (const Field& f : kFilterFields) names += std::string(names.empty() ? "" : ", ") + std::string(f.name);
  for (const std::string& r : range_field_names()) names += ", " + r;
  return names;
}

bool is_number(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

bool is_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  const int month = std::atoi(s.substr(5, 2).c_str()), day = std::atoi(s.substr(8, 2).c_str());
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// Checks one end of a range; returns what was expected, or "" when fine.
std::string range_end_problem(const std::string& field, const std::string& end) {
  if (end.empty()) return "";
  if (field == "date") return is_date(end) ? "" : "a date YYYY-MM-DD";
  return is_number(end) ? "" : "a number";
}

class Checker {
 public:
  explicit Checker(std::string_view q) : q_(q) {}

  CheckedQuery run() {
    while (!out_.error) {
      while (pos_ < q_.size() && is_space(q_[pos_])) ++pos_;
      if (pos_ >= q_.size()) break;
      read_token();
    }
    if (!out_.error) finish();
    return std::move(out_);
  }

 private:
  enum class Prev { start, term, binop, negation, open };

  void fail(std::size_t at, std::string message) {
    if (!out_.error) out_.error = QueryError{at + 1, std::move(message)};
  }

  void read_token() {
    const std::size_t start = pos_;
    const char c = q_[pos_];
    if (c == '(') {
      ++pos_;
      push(QueryTokenKind::open, start, "(");
      return;
    }
    if (c == ')') {
      ++pos_;
      push(QueryTokenKind::close, start, ")");
      return;
    }
    QueryToken t;
    t.column = start + 1;
    if ((c == '+' || c == '-') && pos_ + 1 < q_.size() && !ends_word(q_[pos_ + 1])) t.sign = c, ++pos_;
    else if ((c == '+' || c == '-') && pos_ + 1 < q_.size() && q_[pos_ + 1] == '"') t.sign = c, ++pos_;
    if (q_[pos_] == '"') {
      const std::size_t close = q_.find('"', pos_ + 1);
      if (close == std::string_view::npos) return fail(pos_, "expected a closing \" for the phrase opened here");
      t.kind = QueryTokenKind::phrase;
      t.value = std::string(q_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = close + 1;
      t.text = std::string(q_.substr(start, pos_ - start));
      return add_term(std::move(t));
    }
    std::size_t end = pos_;
    while (end < q_.size() && !ends_word(q_[end])) ++end;
    const std::string word(q_.substr(pos_, end - pos_));
    const std::size_t colon = word.find(':');
    if (colon != std::string::npos && is_field_name(word.substr(0, colon))) {
      const std::string name = word.substr(0, colon);
      const bool has_value = colon + 1 < word.size() || (end < q_.size() && q_[end] == '"');
      // "stage:" alone is a field missing its value; "re:" alone is a word.
      if (has_value || is_known_field(name)) return read_field(std::move(t), name, end, colon);
    }
    pos_ = end;
    t.text = std::string(q_.substr(start, end - start));
    if (t.sign == 0 && (word == "NOT" || is_binary_op(word))) {
      t.kind = QueryTokenKind::op;
      t.value = word;
      return add_op(std::move(t));
    }
    t.kind = QueryTokenKind::word;
    t.value = word;
    if (word.find('*') != std::string::npos && word.find('*') != word.size() - 1)
      return fail(start + (t.sign ? 1 : 0) + word.find('*'),
                  "expected the wildcard * only at the end of a word (as in pass*)");
    add_term(std::move(t));
  }

  void read_field(QueryToken t, const std::string& name, std::size_t word_end, std::size_t colon) {
    const std::size_t name_at = pos_;
    const bool is_range = is_range_field(name);
    if (!is_range && !find_field(name))
      return fail(name_at, "unknown field \"" + name + ":\" (expected one of: " + known_fields() + ")");
    std::string value;
    std::size_t value_at = pos_ + colon + 1;
    if (word_end < q_.size() && q_[word_end] == '"' && colon + 1 == word_end - pos_) {
      const std::size_t close = q_.find('"', word_end + 1);
      if (close == std::string_view::npos)
        return fail(word_end, "expected a closing \" for the value of " + name + ":");
      value = std::string(q_.substr(word_end + 1, close - word_end - 1));
      pos_ = close + 1;
    } else {
      value = std::string(q_.substr(value_at, word_end - value_at));
      pos_ = word_end;
    }
    t.text = std::string(q_.substr(t.column - 1, pos_ - (t.column - 1)));
    t.field = name;
    if (value.empty()) return fail(value_at, "expected a value after " + name + ":");
    if (!is_range) {
      if (name == "sentiment" && value != "pos" && value != "neu" && value != "neg")
        return fail(value_at, "expected pos, neu or neg after sentiment: (found \"" + value + "\")");
      t.kind = QueryTokenKind::filter;
      t.value = value;
      return add_term(std::move(t));
    }
    const std::size_t dots = value.find("..");
    if (dots == std::string::npos)
      return fail(value_at, "expected a range after " + name + ": such as " + name + ":" + value + ".." + value +
                                " (open ends allowed: " + name + ":" + value + "..)");
    t.kind = QueryTokenKind::range;
    t.value = value;
    t.low = value.substr(0, dots);
    t.high = value.substr(dots + 2);
    if (t.low.empty() && t.high.empty()) return fail(value_at, "expected at least one end of the range");
    if (std::string p = range_end_problem(name, t.low); !p.empty())
      return fail(value_at, "expected " + p + " as the start of the " + name + ": range (found \"" + t.low + "\")");
    if (std::string p = range_end_problem(name, t.high); !p.empty())
      return fail(value_at + dots + 2,
                  "expected " + p + " as the end of the " + name + ": range (found \"" + t.high + "\")");
    add_term(std::move(t));
  }

  void push(QueryTokenKind kind, std::size_t at, const char* text) {
    QueryToken t;
    t.kind = kind;
    t.column = at + 1;
    t.text = text;
    if (kind == QueryTokenKind::open) {
      open_.push_back(at);
      prev_ = Prev::open;
    } else {
      if (open_.empty()) return fail(at, "unexpected ) with no ( before it");
      if (prev_ == Prev::binop || prev_ == Prev::negation)
        return fail(last_op_at_, "expected a term after " + last_op_ + " (found \")\")");
      if (prev_ == Prev::open) return fail(at, "expected a term between ( and )");
      open_.pop_back();
      prev_ = Prev::term;
    }
    out_.tokens.push_back(std::move(t));
  }

  void add_term(QueryToken t) {
    prev_ = Prev::term;
    out_.tokens.push_back(std::move(t));
  }

  void add_op(QueryToken t) {
    const std::size_t at = t.column - 1;
    if (t.value == "NOT") {
      if (prev_ == Prev::negation) return fail(at, "expected a term after NOT (found another NOT)");
      prev_ = Prev::negation;
    } else {
      if (prev_ == Prev::start || prev_ == Prev::open)
        return fail(at, "expected a term before " + t.value);
      if (prev_ == Prev::binop || prev_ == Prev::negation)
        return fail(last_op_at_, "expected a term after " + last_op_ + " (found " + t.value + ")");
      prev_ = Prev::binop;
    }
    last_op_ = t.value;
    last_op_at_ = at;
    out_.tokens.push_back(std::move(t));
  }

  void finish() {
    if (prev_ == Prev::binop || prev_ == Prev::negation)
      return fail(last_op_at_, "expected a term after " + last_op_ + " (found the end of the query)");
    if (!open_.empty()) return fail(open_.back(), "expected ) to close this (");
  }

  std::string_view q_;
  std::size_t pos_ = 0;
  CheckedQuery out_;
  Prev prev_ = Prev::start;
  std::vector<std::size_t> open_;
  std::string last_op_;
  std::size_t last_op_at_ = 0;
};

}  // namespace

const std::vector<std::string>& range_field_names() {
  static const std::vector<std::string> names = {"date", "nps", "csat", "score"};
  return names;
}

CheckedQuery check_query(std::string_view query) { return Checker(query).run(); }

std::string point_at(std::string_view query, const QueryError& error) {
  std::string out(query);
  for (char& c : out)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  out += '\n';
  // Columns count bytes; the caret lines up for ASCII, which covers the
  // operators and prefixes that errors point at.
  out += std::string(error.column > 0 ? error.column - 1 : 0, ' ');
  out += '^';
  return out;
}

const char* token_kind_name(QueryTokenKind kind) {
  switch (kind) {
    case QueryTokenKind::word: return "word";
    case QueryTokenKind::phrase: return "phrase";
    case QueryTokenKind::filter: return "filter";
    case QueryTokenKind::range: return "range";
    case QueryTokenKind::op: return "operator";
    case QueryTokenKind::open: return "open";
    case QueryTokenKind::close: return "close";
  }
  return "?";
}

}  // namespace cxmap
