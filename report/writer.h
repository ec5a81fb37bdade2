// Output writers: every command's output goes through these, so text, CSV,
// TSV, JSON and Markdown are written one way everywhere (CLI, exports, and
// later the HTTP server), in the spirit of notmuch's "sprinter".
//
// TableWriter writes rows of cells; JsonWriter streams nested JSON with the
// commas handled. Both write deterministic text: fixed number formats, no
// locale, no time stamps of their own.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "pipeline/result.h"

namespace cxmap {

enum class Format { text, csv, tsv, json, markdown };

Result<Format> parse_format(std::string_view name);

// A table cell: empty, text, an integer, or a number printed with fixed decimals.
struct Cell {
  struct Number {
    double value;
    int decimals;
  };
  std::variant<std::monostate, std::string, std::int64_t, Number> v;

  Cell() = default;
  Cell(std::string s) : v(std::move(s)) {}
  Cell(const char* s) : v(std::string(s)) {}
  Cell(std::int64_t i) : v(i) {}
  Cell(int i) : v(static_cast<std::int64_t>(i)) {}
  static Cell number(double value, int decimals) { Cell c; c.v = Number{value, decimals}; return c; }
  static Cell empty() { return Cell(); }
};

class TableWriter {
 public:
  virtual ~TableWriter() = default;
  virtual void header(const std::vector<std::string>& columns) = 0;
  virtual void row(const std::vector<Cell>& cells) = 0;
  virtual void finish() = 0;
};

std::unique_ptr<TableWriter> make_table_writer(Format format, std::ostream& out);

// Formats a number with fixed decimals, "C" locale, no "-0".
std::string format_fixed(double value, int decimals);

class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out, bool pretty = false) : out_(out), pretty_(pretty) {}
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(std::int64_t i);
  JsonWriter& value(int i) { return value(static_cast<std::int64_t>(i)); }
  JsonWriter& value(double d, int decimals);
  JsonWriter& value(bool b);
  JsonWriter& null();
  // Ends the document with a newline (one JSON document per line when not pretty).
  void finish();

 private:
  void before_value();
  JsonWriter& close(char bracket);
  void newline();
  std::ostream& out_;
  bool pretty_;
  // One entry per open container: has it got an element yet?
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

}  // namespace cxmap
