// RFC 4180 CSV, read one record at a time from a stream.
//
// Handles quoted fields, "" escapes, CR/LF/CRLF inside quotes, CRLF or LF (or
// lone CR) record ends, and a UTF-8 byte-order mark. Each record carries the
// 1-based line where it starts. A broken record is returned as an error
// record (ok == false, with a reason), and reading resumes:
//  - if the broken record spans several lines (a quote opened and not closed
//    where expected: end of input, text after the "closing" quote, more than
//    kMaxQuotedBytes) and the stream can seek, at the line after the record's
//    first line, so one unbalanced quote costs one row, not the rest of the file;
//  - otherwise (a stray quote in an unquoted field, text after a closing
//    quote on the same line) after the rest of that physical line.
// Invariant: every byte of the input is either in exactly one returned record
// (good or bad) or in a skipped part of a bad record's lines.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace cxmap::survey {

struct CsvRecord {
  bool ok = true;
  std::string error;                // reason when !ok
  std::size_t line = 0;             // 1-based line where the record starts
  std::vector<std::string> fields;  // the fields (partial when !ok)
  std::string raw;                  // the record's bytes as read (for quarantine)
};

class CsvReader {
 public:
  static constexpr std::size_t kMaxQuotedBytes = 1 << 20;

  explicit CsvReader(std::istream& in, char delimiter = ',');

  // Reads the next record; false at end of input.
  bool next(CsvRecord& record);

 private:
  int get();   // next byte or -1; counts lines
  int peek();
  void skip_rest_of_line();
  bool fail(CsvRecord& rec, const char* reason, std::streampos resume, std::size_t resume_line, bool at_eof);

  std::istream& in_;
  std::streambuf* buf_;
  char delim_;
  std::size_t line_ = 1;
  std::uint64_t offset_ = 0;
  bool started_ = false;
  std::string* raw_ = nullptr;
};

}  // namespace cxmap::survey
