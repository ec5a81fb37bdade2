// Survey CSV: how columns are guessed from a header when none are configured.
// (The connector itself is reached through open_source; export formats are
// in survey_export.h, decoding in csv_encoding.h, settings in
// survey_csv_input.h.)
#pragma once

#include <string>
#include <vector>

#include "connectors/source.h"

namespace cxmap::survey {

// Maps header names to roles by case-insensitive name (letters and digits
// only are compared): id, date, customer, nps, csat, ces, free-text columns;
// every other column becomes metadata.
CsvColumns guess_csv_columns(const std::vector<std::string>& header);

// True when no column is configured at all (then pull() guesses).
bool columns_empty(const CsvColumns& columns);

// The column names of a CSV file (decoded; for Qualtrics and SurveyMonkey
// exports the names of survey_export.h, not the raw first row).
Result<std::vector<std::string>> read_csv_header(const std::string& path);

// The columns detect_source() gives a .csv named on the command line: the
// export format is detected and its columns guessed as pull() would
// (guess_export_columns), so a Qualtrics or SurveyMonkey file reads the same
// whether configured or named. An input error for an unreadable or empty file.
Result<CsvColumns> detect_csv_columns(const std::string& path);

}  // namespace cxmap::survey
