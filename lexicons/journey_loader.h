// Reads a journey definition from JSON (config/journey.json) into the pure
// JourneyDefinition structs of pipeline/journey.h and compiles it. This is
// the one place Poco::JSON meets the journey model; pipeline/ stays Poco-free.
//
// Format: {"stages": [LABEL...], "touchpoints": [LABEL...]} where LABEL is
// {"name", "description", "priority", "cues": [CUE...], "patterns": [PAT...]};
// CUE is "text", {"text": "...", "weight": 2} or {"weight": 2, "terms": [...]};
// PAT is "regex" or {"regex": "...", "weight": 2}.
// Optional: "links": {"dead_end_days": 7, "repeat_contact_days": 14} (these
// defaults when absent) and "topics": [{"name", "cues": [...]}] (default:
// pipeline/topic.h default_topics()).
#pragma once

#include <string_view>

#include "pipeline/journey.h"
#include "pipeline/result.h"

namespace cxmap {

// origin names the file in error messages.
Result<JourneyDefinition> parse_journey_definition(std::string_view json_text, std::string_view origin);

}  // namespace cxmap
