// Survey export layouts: which tool wrote a CSV, how many header rows it
// has, what each column is called and asks, and which columns hold the id,
// date, customer, scores and free text.
//
// Formats (detected from the first three non-blank records, decoded):
//  - qualtrics: row 1 column ids (ResponseId, RecordedDate, Q1, Q2...),
//    row 2 question texts, row 3 {"ImportId":"QID2_TEXT"} JSON cells, some
//    with a "timeZone" for date columns. Detected when at least half of the
//    non-empty row-3 cells (and at least one) are {"ImportId":...} objects.
//    Data starts at row 4. A column's name is its row-1 id.
//  - surveymonkey: row 1 question texts (blank under the 2nd..nth column of
//    a multi-column question), row 2 sub-labels ("Response", "Open-Ended
//    Response", "Other (please specify)", option labels). Detected when
//    row 1 has a "Respondent ID" column, row 2 is blank under it and row 2
//    has at least one non-empty cell. Data starts at row 3. A column's name
//    is its question, or "question - sub-label" when the sub-label says more
//    than "Response"/"Open-Ended Response".
//  - generic: one header row; the header names are the column names and the
//    questions (the behaviour cxmap always had).
// Names are made unique ("name #2") so a configured name means one column.
//
// Guessing (when the source configures no "columns"), beyond the generic
// header-name rules of guess_csv_columns():
//  - qualtrics: ResponseId = id; RecordedDate (else EndDate, StartDate) =
//    date; RecipientEmail (else ExternalReference) = customer; an ImportId
//    ending in _TEXT = free text (text entry questions and "Other" boxes);
//    NPS = a column with a sibling <id>_NPS_GROUP, or id "NPS", or a
//    question containing "recommend"; CSAT = id "CSAT" or "satisf"; CES =
//    id "CES" or "effort" or the word "easy" (first match of each wins).
//  - surveymonkey: Respondent ID = id; End Date = date; Email Address =
//    customer; sub-label "Open-Ended Response" or "... please specify" =
//    free text; single-answer questions scored by the same question cues.
//  - both: other columns become metadata, except personal data with no use
//    here (IP address, first/last name, latitude/longitude) and Qualtrics'
//    *_NPS_GROUP (nps_category replaces it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connectors/source.h"

namespace cxmap::survey {

enum class ExportFormat { generic, qualtrics, surveymonkey };

const char* format_name(ExportFormat f);
// "generic", "qualtrics", "surveymonkey"; nullopt otherwise ("auto" is the caller's).
std::optional<ExportFormat> parse_format_name(const std::string& name);

using Row = std::vector<std::string>;

// The format of a file from its first (up to) three non-blank records.
ExportFormat detect_export_format(const std::vector<Row>& head);

// How many records the header takes: 1, 2 or 3.
std::size_t header_rows(ExportFormat f);

struct ExportColumn {
  std::string name;       // what configured "columns" and metadata keys use
  std::string question;   // the question text (generic: the name)
  std::string sub_label;  // surveymonkey only: the row-2 cell
  std::string import_id;  // qualtrics only: "QID2_TEXT", "recordedDate"...
  std::string time_zone;  // qualtrics only: the date column's "timeZone"
};

// The columns of a file of format `f` from its header records (head[0..]).
std::vector<ExportColumn> export_columns(ExportFormat f, const std::vector<Row>& head);

// The guessed roles of the columns (names as in ExportColumn::name).
CsvColumns guess_export_columns(ExportFormat f, const std::vector<ExportColumn>& columns);

}  // namespace cxmap::survey
