// Resources: everything the pipeline needs that comes from data files, already
// parsed: the valence lexicon, the project's CX lexicons, the emotion lexicon
// and the journey definition (stages, touchpoints and their cues).
//
// Parsing from text lives next to each type (pure functions over strings);
// reading the files from disk lives in lexicons/resources_loader.h.
#pragma once

#include <string>
#include <vector>

#include "pipeline/journey.h"
#include "pipeline/lexicon.h"

namespace cxmap {

struct Resources {
  ValenceLexicon valence;     // VADER lexicon (imported at set-up) + CX overrides
  EmotionLexicon emotions;    // lexicons/cx_emotions.tsv
  JourneyDefinition journey;  // config/journey.json
};

}  // namespace cxmap
