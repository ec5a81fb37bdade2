// RFC 4180 streaming reader; see csv_reader.h.
#include "connectors/survey/csv_reader.h"

namespace cxmap::survey {

CsvReader::CsvReader(std::istream& in, char delimiter) : in_(in), buf_(in.rdbuf()), delim_(delimiter) {}

int CsvReader::peek() {
  if (!buf_) return -1;
  int c = buf_->sgetc();
  return c == std::char_traits<char>::eof() ? -1 : c;
}

// Returns the next byte; a line break (LF, CRLF, lone CR) comes back as '\n'
// and counts one line; raw bytes are appended to *raw_.
int CsvReader::get() {
  if (!buf_) return -1;
  int c = buf_->sbumpc();
  if (c == std::char_traits<char>::eof()) return -1;
  ++offset_;
  if (raw_) raw_->push_back(static_cast<char>(c));
  if (c == '\r') {
    if (peek() == '\n') {
      buf_->sbumpc();
      ++offset_;
      if (raw_) raw_->push_back('\n');
    }
    ++line_;
    return '\n';
  }
  if (c == '\n') ++line_;
  return c;
}

void CsvReader::skip_rest_of_line() {
  int c;
  while ((c = get()) != -1 && c != '\n') {
  }
}

// Marks rec broken and positions the reader for the next record: at the line
// after the record's first line when the record spans lines (and the stream
// can seek), else after the rest of the current line.
bool CsvReader::fail(CsvRecord& rec, const char* reason, std::streampos resume, std::size_t resume_line,
                     bool at_eof) {
  rec.ok = false;
  rec.error = reason;
  raw_ = nullptr;
  if (resume != std::streampos(-1) && buf_->pubseekpos(resume, std::ios::in) == resume) {
    if (!at_eof) rec.error = "unbalanced quote (quoted field runs past its line): " + rec.error;
    line_ = resume_line;
    // The record's raw bytes are only its first line now.
    if (auto nl = rec.raw.find('\n'); nl != std::string::npos) rec.raw.resize(nl + 1);
  } else if (!at_eof) {
    skip_rest_of_line();
  }
  return true;
}

bool CsvReader::next(CsvRecord& rec) {
  if (!started_) {
    started_ = true;
    if (peek() == 0xEF) {
      // UTF-8 BOM: EF BB BF.
      auto pos = buf_->pubseekoff(0, std::ios::cur, std::ios::in);
      buf_->sbumpc();
      if (buf_->sgetc() == 0xBB && (buf_->sbumpc(), buf_->sgetc() == 0xBF)) {
        buf_->sbumpc();
        offset_ += 3;
      } else if (pos != std::streampos(-1)) {
        buf_->pubseekpos(pos, std::ios::in);
      }
    }
  }
  rec = CsvRecord{};
  if (peek() == -1) return false;
  rec.line = line_;
  raw_ = &rec.raw;
  const std::size_t start_line = line_;
  // Where the line after the record's first line starts, for recovery.
  std::streampos resume = -1;
  std::size_t resume_line = 0;
  std::string field;
  bool quoted = false;       // the current field started with a quote
  bool field_started = false;
  for (;;) {
    int c = get();
    if (c == -1 || (c == '\n' && !quoted)) {
      rec.fields.push_back(std::move(field));
      break;
    }
    if (!field_started && c == '"') {
      quoted = true;
      field_started = true;
      // Inside quotes until the closing quote.
      for (;;) {
        int q = get();
        if (q == '\n' && resume == std::streampos(-1) && line_ == start_line + 1) {
          resume = buf_->pubseekoff(0, std::ios::cur, std::ios::in);
          resume_line = line_;
        }
        if (q == -1 || field.size() > kMaxQuotedBytes) {
          rec.fields.push_back(std::move(field));
          return fail(rec, q == -1 ? "unterminated quoted field (end of file inside quotes)"
                                   : "quoted field longer than 1 MiB (unterminated quote?)",
                      resume, resume_line, q == -1);
        }
        if (q == '"') {
          if (peek() == '"') {
            get();
            field += '"';
            continue;
          }
          break;  // closing quote
        }
        // A CRLF inside quotes is kept as written by get()'s raw, but the
        // field gets "\n" for any line break.
        field += static_cast<char>(q);
      }
      // After the closing quote: delimiter, line end or end of input.
      int after = peek();
      if (after == delim_) {
        get();
        rec.fields.push_back(std::move(field));
        field.clear();
        quoted = false;
        field_started = false;
        continue;
      }
      if (after == -1 || after == '\n' || after == '\r') {
        get();
        rec.fields.push_back(std::move(field));
        break;
      }
      rec.fields.push_back(std::move(field));
      return fail(rec, "unexpected text after a closing quote", resume, resume_line, false);
    }
    if (c == delim_) {
      rec.fields.push_back(std::move(field));
      field.clear();
      field_started = false;
      continue;
    }
    if (c == '"') {
      rec.fields.push_back(std::move(field));
      return fail(rec, "stray quote in an unquoted field", resume, resume_line, false);
    }
    field += static_cast<char>(c);
    field_started = true;
  }
  raw_ = nullptr;
  return true;
}

}  // namespace cxmap::survey
