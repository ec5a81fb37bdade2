// JSON and short text forms of the record types that several outputs share
// (search results, `show`, `tag`, `journey`, later the HTTP API), so each is
// written one way everywhere.
#pragma once

#include <string>
#include <vector>

#include "pipeline/record.h"
#include "report/writer.h"

namespace cxmap {

// [{"kind": "long_wait", "value": 45.0, "unit": "min"}, {"kind": "dead_end"}]
void write_pains(JsonWriter& json, const std::vector<PainPoint>& pains);

// "long_wait 45 min", or just the kind when the pain has no value.
std::string pain_text(const PainPoint& pain);

// "  [long_wait 45 min]  [dead_end]": the pains appended to an event line.
std::string pains_text(const std::vector<PainPoint>& pains);

}  // namespace cxmap
