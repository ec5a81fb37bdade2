// A survey CSV opened for reading: its settings read, its decoding chosen
// (csv_encoding.h), its header rows read and its export format known
// (survey_export.h). Data records then come out one at a time, as UTF-8,
// blank ones skipped, so memory stays bounded whatever the file's size.
//
// Invariants:
//  1. Every data record the CsvReader returns after the header rows is
//     returned by next(), in file order, good or broken (a broken record
//     keeps its raw bytes, as read, for the quarantine).
//  2. The header rows are the first header_rows(format()) non-blank
//     records; records read ahead to detect the format and not part of the
//     header are handed out first.
#pragma once

#include <deque>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/survey/csv_encoding.h"
#include "connectors/survey/csv_reader.h"
#include "connectors/survey/survey_export.h"
#include "pipeline/result.h"

namespace cxmap::survey {

// A survey_csv source's own settings, from its config entry
// (SourceSpec::settings), all optional:
//   "format":   "auto" (default) | "generic" | "qualtrics" | "surveymonkey"
//   "encoding": the file's encoding when it is not UTF-8 and has no
//               byte-order mark (default windows-1252); see csv_encoding.h
//   "timezone": IANA zone for dates written without one (default UTC);
//               a Qualtrics column's own "timeZone" wins
struct SurveySettings {
  std::optional<ExportFormat> format;  // nullopt: detect
  std::string encoding;
  std::string timezone;
};

// Errors are config errors naming the source.
Result<SurveySettings> parse_survey_settings(const std::string& settings_json,
                                             const std::string& source_name);

class SurveyCsvInput {
 public:
  // An input error when the file cannot be opened or its header is broken.
  static Result<std::unique_ptr<SurveyCsvInput>> open(const std::string& path,
                                                      const SurveySettings& settings);

  bool has_header() const { return !columns_.empty(); }
  ExportFormat format() const { return format_; }
  const std::vector<ExportColumn>& columns() const { return columns_; }

  // The next non-blank data record, decoded; `encoding_note` is what the
  // record's "source_encoding" metadata says ("" when nothing was converted).
  bool next(CsvRecord& record, std::string& encoding_note);

  // True when the file could not be read to its end.
  bool read_failed() const;

 private:
  SurveyCsvInput() = default;
  bool read(CsvRecord& record, std::string& encoding_note);  // next non-blank record

  std::string path_;
  std::ifstream file_;
  CsvEncoding encoding_;
  std::unique_ptr<Utf8Transcoder> transcoder_;
  std::unique_ptr<std::istream> decoded_;
  std::unique_ptr<CsvReader> reader_;
  std::deque<std::pair<CsvRecord, std::string>> pending_;
  ExportFormat format_ = ExportFormat::generic;
  std::vector<ExportColumn> columns_;
};

}  // namespace cxmap::survey
