// How the bytes of a survey CSV become UTF-8, without reading the file whole.
//
// Survey tools and Excel write CSV in three ways that matter here:
//  - UTF-8 (with or without a byte-order mark): read as it is;
//  - UTF-16 or UTF-32 with a byte-order mark (Excel "Unicode", some
//    SurveyMonkey downloads), or a configured encoding whose bytes are not a
//    superset of ASCII (UTF-16 without BOM, EBCDIC, ISO-2022, UTF-7): the
//    whole stream goes through an ICU converter (Utf8Transcoder), so the CSV
//    reader sees UTF-8 and its quotes, commas and line breaks;
//  - an ASCII-compatible legacy encoding (windows-1252 from Excel, latin-9,
//    Shift_JIS...): CSV structure is ASCII in all of them, so the reader
//    parses the bytes as they are and each field that is not valid UTF-8 is
//    converted from the fallback encoding (the configured "encoding", else
//    windows-1252) with email::to_utf8. Valid UTF-8 is never reinterpreted.
// A byte-order mark wins over a configured encoding: it is a fact about the
// bytes. ICU's UErrorCode stays in csv_encoding.cpp.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <streambuf>
#include <string>
#include <string_view>

#include "pipeline/result.h"

namespace cxmap::survey {

struct CsvEncoding {
  // Non-empty: the whole stream is transcoded from this ICU charset name,
  // starting `skip` bytes in (after the byte-order mark).
  std::string stream_charset;
  std::size_t skip = 0;
  // Fallback for fields that are not valid UTF-8 (parsed bytes only); empty
  // means "leave them" (the configured encoding is UTF-8 itself: the
  // pipeline replaces invalid sequences with U+FFFD and counts them).
  std::string fallback = "windows-1252";
  // What every record of a transcoded stream records in metadata
  // "source_encoding", e.g. "UTF-16LE (byte-order mark)".
  std::string stream_note;
};

// Picks the decoding from the file's first bytes (up to 4 are looked at)
// and the configured "encoding" (empty = none). An encoding ICU does not
// know is a config error naming it.
Result<CsvEncoding> choose_encoding(std::string_view first_bytes, const std::string& configured);

// Converts `field` to UTF-8 from `fallback` when it is not valid UTF-8;
// true when it did (then the record notes "<fallback> (not valid UTF-8)").
bool decode_field(std::string& field, const std::string& fallback);

// A read-only, seekable streambuf over `source` (bytes in `charset` from
// offset `start`) that yields UTF-8. Memory is bounded: it keeps the last
// `window` converted bytes behind the read position so the CSV reader can
// seek back to retry a broken record; a seek further back restarts the
// conversion from `start` (correct, only slower). Unconvertible bytes become
// U+FFFD.
class Utf8Transcoder : public std::streambuf {
 public:
  static constexpr std::size_t kWindow = 2u << 20;  // > CsvReader::kMaxQuotedBytes
  static constexpr std::size_t kChunk = 64u << 10;

  static Result<std::unique_ptr<Utf8Transcoder>> open(std::istream& source, const std::string& charset,
                                                      std::streamoff start, std::size_t window = kWindow,
                                                      std::size_t chunk = kChunk);
  ~Utf8Transcoder() override;
  Utf8Transcoder(const Utf8Transcoder&) = delete;
  Utf8Transcoder& operator=(const Utf8Transcoder&) = delete;

  // True when reading the source failed (not at end of input).
  bool failed() const;

 protected:
  int_type underflow() override;
  pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode which) override;
  pos_type seekpos(pos_type pos, std::ios_base::openmode which) override;

 private:
  struct Impl;
  explicit Utf8Transcoder(std::unique_ptr<Impl> impl);
  bool fill();     // converts the next chunk; false at end of input
  bool restart();  // back to `start`, converters reset
  pos_type seek_to(std::uint64_t target);
  void set_area(std::size_t pos);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cxmap::survey
