// Survey CSV: how columns are guessed from a header when none are configured.
// (The connector itself is reached through open_source.)
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

// The header record of a CSV file (BOM stripped, fields trimmed).
Result<std::vector<std::string>> read_csv_header(const std::string& path);

}  // namespace cxmap::survey
