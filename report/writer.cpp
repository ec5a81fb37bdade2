// Table writers (text, CSV, TSV, JSON, Markdown) and the streaming JSON writer.
#include "report/writer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "pipeline/json_text.h"

namespace cxmap {

Result<Format> parse_format(std::string_view name) {
  if (name == "text" || name == "txt") return Format::text;
  if (name == "csv") return Format::csv;
  if (name == "tsv") return Format::tsv;
  if (name == "json") return Format::json;
  if (name == "md" || name == "markdown") return Format::markdown;
  return make_error(ErrorKind::usage,
                    "unknown format \"" + std::string(name) + "\" (expected text, csv, tsv, json or markdown)");
}

std::string format_fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string s = buf;
  // "-0.000" reads as a different value from "0.000" in a diff; it is not.
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

namespace {

std::string cell_text(const Cell& c) {
  if (auto* s = std::get_if<std::string>(&c.v)) return *s;
  if (auto* i = std::get_if<std::int64_t>(&c.v)) return std::to_string(*i);
  if (auto* n = std::get_if<Cell::Number>(&c.v)) return format_fixed(n->value, n->decimals);
  return "";
}

// RFC 4180: quote when the field holds a separator, quote or line break.
class DelimitedWriter : public TableWriter {
 public:
  DelimitedWriter(std::ostream& out, char sep) : out_(out), sep_(sep) {}
  void header(const std::vector<std::string>& columns) override {
    std::vector<Cell> cells(columns.begin(), columns.end());
    row(cells);
  }
  void row(const std::vector<Cell>& cells) override {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) out_ << sep_;
      std::string text = cell_text(cells[i]);
      // Customer text that starts like a formula would run as one when the
      // file is opened in a spreadsheet (CSV injection); a leading
      // apostrophe makes spreadsheets show it as text. Numbers are cells
      // of their own kind and keep their minus sign.
      if (std::holds_alternative<std::string>(cells[i].v) && !text.empty() &&
          (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@'))
        text.insert(0, 1, '\'');
      write_field(text);
    }
    out_ << (sep_ == ',' ? "\r\n" : "\n");
  }
  void finish() override { out_.flush(); }

 private:
  void write_field(const std::string& s) {
    if (sep_ == '\t') {
      // TSV has no quoting: tabs and line breaks become spaces.
      for (char c : s) out_ << (c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
      return;
    }
    if (s.find_first_of(",\"\r\n") == std::string::npos) {
      out_ << s;
      return;
    }
    out_ << '"';
    for (char c : s) {
      if (c == '"') out_ << '"';
      out_ << c;
    }
    out_ << '"';
  }
  std::ostream& out_;
  char sep_;
};

// Aligned columns for people; numbers right-aligned.
class TextTableWriter : public TableWriter {
 public:
  explicit TextTableWriter(std::ostream& out) : out_(out) {}
  void header(const std::vector<std::string>& columns) override { columns_ = columns; }
  void row(const std::vector<Cell>& cells) override {
    std::vector<std::string> r;
    std::vector<bool> numeric;
    for (const Cell& c : cells) {
      // One row per line: a quote's line breaks and tabs become spaces.
      std::string text = cell_text(c);
      for (char& ch : text)
        if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
      r.push_back(std::move(text));
      numeric.push_back(!std::holds_alternative<std::string>(c.v));
    }
    rows_.push_back(std::move(r));
    numeric_ = std::move(numeric);
  }
  void finish() override {
    std::vector<std::size_t> width(columns_.size(), 0);
    auto display_width = [](const std::string& s) {
      std::size_t n = 0;
      for (unsigned char c : s) n += (c & 0xC0) != 0x80;
      return n;
    };
    for (std::size_t i = 0; i < columns_.size(); ++i) width[i] = display_width(columns_[i]);
    for (const auto& r : rows_)
      for (std::size_t i = 0; i < r.size() && i < width.size(); ++i)
        width[i] = std::max(width[i], display_width(r[i]));
    auto emit = [&](const std::vector<std::string>& r, bool head) {
      std::string line;
      for (std::size_t i = 0; i < r.size() && i < width.size(); ++i) {
        if (i) line += "  ";
        std::string pad(width[i] - display_width(r[i]), ' ');
        bool right = !head && i < numeric_.size() && numeric_[i];
        line += right ? pad + r[i] : r[i] + pad;
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out_ << line << '\n';
    };
    emit(columns_, true);
    for (const auto& r : rows_) emit(r, false);
    out_.flush();
  }

 private:
  std::ostream& out_;
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<bool> numeric_;
};

class MarkdownTableWriter : public TableWriter {
 public:
  explicit MarkdownTableWriter(std::ostream& out) : out_(out) {}
  void header(const std::vector<std::string>& columns) override {
    out_ << '|';
    for (const auto& c : columns) out_ << ' ' << escape(c) << " |";
    out_ << "\n|";
    for (std::size_t i = 0; i < columns.size(); ++i) out_ << " --- |";
    out_ << '\n';
  }
  void row(const std::vector<Cell>& cells) override {
    out_ << '|';
    for (const Cell& c : cells) out_ << ' ' << escape(cell_text(c)) << " |";
    out_ << '\n';
  }
  void finish() override { out_.flush(); }

 private:
  static std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '|') out += "\\|";
      else if (c == '\n' || c == '\r') out += ' ';
      else out += c;
    }
    return out;
  }
  std::ostream& out_;
};

// An array of objects keyed by column name; numbers stay numbers.
class JsonTableWriter : public TableWriter {
 public:
  explicit JsonTableWriter(std::ostream& out) : json_(out, true) {}
  void header(const std::vector<std::string>& columns) override {
    columns_ = columns;
    json_.begin_array();
  }
  void row(const std::vector<Cell>& cells) override {
    json_.begin_object();
    for (std::size_t i = 0; i < cells.size() && i < columns_.size(); ++i) {
      json_.key(columns_[i]);
      const Cell& c = cells[i];
      if (auto* s = std::get_if<std::string>(&c.v)) json_.value(*s);
      else if (auto* n = std::get_if<std::int64_t>(&c.v)) json_.value(*n);
      else if (auto* d = std::get_if<Cell::Number>(&c.v)) json_.value(d->value, d->decimals);
      else json_.null();
    }
    json_.end_object();
  }
  void finish() override {
    json_.end_array();
    json_.finish();
  }

 private:
  JsonWriter json_;
  std::vector<std::string> columns_;
};

}  // namespace

std::unique_ptr<TableWriter> make_table_writer(Format format, std::ostream& out) {
  switch (format) {
    case Format::csv: return std::make_unique<DelimitedWriter>(out, ',');
    case Format::tsv: return std::make_unique<DelimitedWriter>(out, '\t');
    case Format::json: return std::make_unique<JsonTableWriter>(out);
    case Format::markdown: return std::make_unique<MarkdownTableWriter>(out);
    case Format::text: break;
  }
  return std::make_unique<TextTableWriter>(out);
}

void JsonWriter::newline() {
  if (!pretty_) return;
  out_ << '\n';
  for (std::size_t i = 0; i < has_element_.size(); ++i) out_ << "  ";
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_element_.empty()) {
    if (has_element_.back()) out_ << ',';
    has_element_.back() = true;
    newline();
  }
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_ << '{';
  has_element_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  bool had = has_element_.back();
  has_element_.pop_back();
  if (had) newline();
  out_ << bracket;
  return *this;
}

JsonWriter& JsonWriter::end_object() { return close('}'); }

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_ << '[';
  has_element_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_array() { return close(']'); }

JsonWriter& JsonWriter::key(std::string_view k) {
  before_value();
  std::string s;
  append_json_string(s, k);
  out_ << s << (pretty_ ? ": " : ":");
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view v) {
  before_value();
  std::string s;
  append_json_string(s, v);
  out_ << s;
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t i) {
  before_value();
  out_ << i;
  return *this;
}

JsonWriter& JsonWriter::value(double d, int decimals) {
  before_value();
  std::string s = format_fixed(d, decimals);
  out_ << (s.empty() ? "null" : s);
  return *this;
}

JsonWriter& JsonWriter::value(bool b) {
  before_value();
  out_ << (b ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ << "null";
  return *this;
}

void JsonWriter::finish() {
  out_ << '\n';
  out_.flush();
}

}  // namespace cxmap
