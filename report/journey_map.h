// Journey map: the analyst's picture of the journey, one self-contained HTML
// file with an inline SVG. Stages are columns in journey order; lanes show
// the volumes, the emotion curve (mean sentiment with its 95% CI band), the
// dominant emotions, touchpoints, pain points and one negative and one
// positive customer quote per stage. A second segment (another query or
// period) can be drawn on the same map with its own curve, colour and
// legend entry.
//
// Pure rendering: it takes stage tables already built (report/stage_table.h)
// and writes text; it never opens the store, the network or a file. The file
// it writes loads nothing (no scripts, fonts, images or external CSS), every
// customer text is escaped, and the same input gives byte-identical output.
// Each stage column is a <g class="stage" data-stage=... data-events=...
// data-feedback=... data-mean=...> carrying the first segment's figures as
// the export prints them, so scripts and tests can read the DOM.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "report/stage_table.h"

namespace cxmap {

// A column of the map: a stage of the journey definition.
struct JourneyMapStage {
  std::string name;
  std::string description;  // shown under the name; may be empty
};

// One population drawn on the map: every feedback, or what a query matched.
struct JourneyMapSegment {
  std::string label;         // legend text, e.g. the query or "all feedback"
  StageTable by_stage;       // no group fields: one row per stage
  StageTable by_touchpoint;  // grouped by "touchpoint"; may be empty (no lane rows)
};

struct JourneyMap {
  std::string title = "Customer journey map";
  std::vector<JourneyMapStage> stages;      // the columns, in journey order
  std::vector<JourneyMapSegment> segments;  // one or two; more are not drawn
};

// Most segments a map draws: a map is read by comparing two curves, and each
// further one would need its own colour and lane rows.
inline constexpr std::size_t kJourneyMapMaxSegments = 2;

void write_journey_map(const JourneyMap& map, std::ostream& out);

// Text made safe for HTML text and quoted attribute values: & < > " ' become
// entities, control characters (other than tab and line breaks) spaces.
std::string html_escape(std::string_view text);

}  // namespace cxmap
