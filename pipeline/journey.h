// The journey definition (stages and touchpoints with their cues) and the
// classifier that places one sentence on it.
//
// A definition is plain data (usually read from config/journey.json by
// lexicons/journey_loader.h) and must be compiled with compile_journey()
// before classify() can use it: compiling turns cues into token sequences
// (folded + Snowball stem) and RE2 patterns into matchers, and reports a bad
// pattern as an error naming the stage or touchpoint and the pattern.
// Cue matching: every word of a cue must match a consecutive sentence word by
// its folded form or, unless the cue starts with '=', by its stem. A label's
// score is its strongest cue's weight plus 0.2 x the weights of its other
// matched cues and patterns; the best label wins, ties go to the higher
// priority, then to the earlier label. Below 0.5 the label is "none".
//
// Story order: "I first tried the FAQ, then called" tells two steps, and
// "Before calling I had searched the help pages" tells the same two steps the
// other way round. story_steps() cuts a sentence into clauses at sequence
// cues and returns them in the order they happened: "then", "and then",
// "after that", "afterwards", "so I/we", "finally", "eventually" and "in the
// end" keep the text order; "before that", "after" + a clause ("I called
// after trying the FAQ"), ", but first I ...", an opening "Before ..." and a
// past perfect after a simple past ("I called because I had already read the
// FAQ") put the later clause first. A cut only stands when the parts on both
// sides have a stage cue of their own and tell different steps (a new stage,
// or a new touchpoint named on both sides); otherwise the sentence is one
// step. classify() of a split sentence takes the stage (and, when it names
// one, the touchpoint) of the last step, the furthest point the story reaches.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/result.h"
#include "pipeline/segment.h"
#include "pipeline/topic.h"

namespace cxmap {

struct CueDef {
  std::string text;    // word or phrase; a leading '=' disables stem matching
  double weight = 1;
};

struct PatternDef {
  std::string regex;   // RE2 syntax, matched against the folded sentence
  double weight = 1;
};

struct LabelDef {
  std::string name;
  std::string description;
  std::vector<CueDef> cues;
  std::vector<PatternDef> patterns;
  int priority = 0;    // breaks score ties: higher wins
};
using StageDef = LabelDef;
using TouchpointDef = LabelDef;

struct JourneyMatcher;  // compiled cues and patterns (journey.cpp)

// Cross-feedback links (db/journey_links.h): a self-service event followed
// within dead_end_days by an assisted contact on the same topic is a dead end;
// contacts on one topic within repeat_contact_days are repeat contacts.
struct JourneyLinks {
  int dead_end_days = 7;
  int repeat_contact_days = 14;
};

struct JourneyDefinition {
  std::vector<StageDef> stages;  // in journey order
  std::vector<TouchpointDef> touchpoints;
  JourneyLinks links;
  std::vector<TopicDef> topics;  // empty: default_topics()
  std::shared_ptr<const JourneyMatcher> matcher;       // set by compile_journey
  std::shared_ptr<const TopicMatcher> topic_matcher;   // set by compile_journey

  std::vector<std::string> stage_names() const;
  std::vector<std::string> touchpoint_names() const;
};

// Validates (non-empty unique names, weights > 0, at least one stage) and
// compiles; errors are ErrorKind::config and name the entry at fault.
Result<JourneyDefinition> compile_journey(JourneyDefinition def);

struct JourneyTags {
  std::string stage = "none";
  std::string touchpoint = "none";
  std::string stage_cue;       // the cue or pattern that decided the stage (for explain)
  std::string touchpoint_cue;
  double stage_score = 0;
  double touchpoint_score = 0;
};

// folded_sentence = fold_case(sentence text), used by the RE2 patterns.
JourneyTags classify(const std::vector<Token>& tokens, std::string_view folded_sentence,
                     const JourneyDefinition& def);

// One step of a sentence's story.
struct ClauseTags {
  std::size_t first_token = 0, end_token = 0;  // [first, end) indexes into the tokens
  std::size_t start = 0, end = 0;              // byte offsets in the sentence
  JourneyTags tags;
};

// The steps of one sentence in story order (the byte offsets of a step told
// "before" go backwards), each classified on its own; empty when the
// sentence tells one step, the common case, which costs one scan for cue
// words. The pipeline emits one event per step, so events follow the story.
std::vector<ClauseTags> story_steps(const std::vector<Token>& tokens, const JourneyDefinition& def);

// story_steps(), or one clause (the whole sentence) when it does not split.
std::vector<ClauseTags> classify_clauses(const std::vector<Token>& tokens, std::string_view sentence,
                                         const JourneyDefinition& def);

}  // namespace cxmap
