// The pipeline: one pure function from RawFeedback to AnalyzedFeedback.
//
// normalize (ICU NFKC, invalid UTF-8 replaced and counted) -> segment into
// sentences and tokens (ICU BreakIterator) -> sentiment (VADER-style lexicon
// rules) -> emotion -> touchpoint & stage (journey definition cues) -> pain
// points. No files, sockets or database here: the lexicons and journey
// definition are loaded elsewhere (lexicons/) and handed in as Resources.
// A Pipeline is immutable after construction and safe to share across threads.
// PipelineOptions switch the CX valence layer off for plain VADER scores.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/emotion.h"
#include "pipeline/journey.h"
#include "pipeline/record.h"
#include "pipeline/redact.h"
#include "pipeline/resources.h"
#include "pipeline/segment.h"
#include "pipeline/sentiment.h"

namespace cxmap {

// Tags of one free text, as `cxmap tag` prints them.
struct TextTags {
  Sentiment sentiment;              // of the text as a whole (customer sentences)
  std::string label;                // "pos" | "neu" | "neg" (compound at +-0.05)
  std::vector<std::string> emotions;  // emotion labels present, strongest first (no "neutral")
  std::string stage = "none";       // of the most salient event
  std::string touchpoint = "none";  // of the most salient event
  std::string language = "en";
  int invalid_utf8 = 0;
  std::vector<Event> events;
};

struct PipelineOptions {
  bool cx_layer = true;  // false: plain VADER valence (SentimentOptions::cx_layer)
  // PII redaction (pipeline/redact.h) of every normalised turn, the subject
  // and metadata values, before anything is tagged, stored or indexed.
  bool redact = true;
  RedactionOptions redaction;
};

// Everything that decided one event's tags (cxmap explain): a sentence, or
// one step of a sentence that tells several.
struct SentenceExplanation {
  Event event;                // as analyze() tags it, stage context applied
  std::string language;       // of this sentence; not "en": no sentiment or emotion
  std::vector<Token> tokens;
  SentimentTrace sentiment;   // every word's valence and the rules that changed it
  EmotionTrace emotion;       // the lexicon hits and what negation/boosters did
  JourneyTags journey;        // the sentence's own stage/touchpoint and deciding cues
  bool stage_inherited = false;  // no cue of its own: stage taken from a neighbour
};

// The default options with the CX layer on or off (tag, explain, the evals).
inline PipelineOptions cx_options(bool cx_layer) {
  PipelineOptions options;
  options.cx_layer = cx_layer;
  return options;
}

class Pipeline {
 public:
  explicit Pipeline(std::shared_ptr<const Resources> resources, PipelineOptions options = {});

  // Normalises every turn, splits it into sentences and tags each one; a
  // sentence that tells several steps gives one event per step
  // (journey.h story_steps). Event ordinals follow turn order, then sentence
  // order, then story order within a sentence.
  AnalyzedFeedback analyze(RawFeedback raw) const;

  // One free text treated as a single customer turn.
  TextTags tag_text(std::string_view text) const;

  // The same tagging as tag_text, sentence by sentence, with the traces of
  // why each tag was given.
  std::vector<SentenceExplanation> explain(std::string_view text) const;

  const Resources& resources() const { return *resources_; }
  // The same resources with other options (per-source redaction settings).
  Pipeline with_options(PipelineOptions options) const { return Pipeline(resources_, options); }
  const PipelineOptions& options() const { return options_; }

 private:
  std::shared_ptr<const Resources> resources_;
  PipelineOptions options_;
};

// "pos" | "neu" | "neg" for a compound score, at the usual +-0.05 thresholds.
const char* sentiment_label(double compound);

}  // namespace cxmap
