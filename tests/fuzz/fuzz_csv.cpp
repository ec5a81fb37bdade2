// Fuzz target: CSV records and survey-export detection. Every record is good
// or carries a reason; line numbers never go backwards; header detection
// and column guessing accept whatever the first rows hold.
#include <sstream>
#include <string>

#include "connectors/survey/csv_reader.h"
#include "connectors/survey/survey_export.h"
#include "fuzz_target.h"

using namespace cxmap::survey;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  CsvReader reader(in);
  CsvRecord record;
  std::vector<Row> head;
  std::size_t last_line = 0, records = 0;
  while (reader.next(record)) {
    FUZZ_CHECK(record.line >= last_line);
    FUZZ_CHECK(record.ok || !record.error.empty());
    last_line = record.line;
    if (record.ok && head.size() < 3) head.push_back(record.fields);
    FUZZ_CHECK(++records <= size + 1);  // each record consumes input
  }
  const ExportFormat format = detect_export_format(head);
  const auto columns = export_columns(format, head);
  (void)guess_export_columns(format, columns);
  return 0;
}
