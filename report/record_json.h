// JSON forms of the record types that several outputs share (search results,
// `show`, `tag`, later the HTTP API), so each is written one way everywhere.
#pragma once

#include <vector>

#include "pipeline/record.h"
#include "report/writer.h"

namespace cxmap {

// [{"kind": "long_wait", "value": 45.0, "unit": "min"}, {"kind": "dead_end"}]
void write_pains(JsonWriter& json, const std::vector<PainPoint>& pains);

}  // namespace cxmap
