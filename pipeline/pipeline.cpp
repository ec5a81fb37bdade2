// The composition: normalize -> segment -> (per sentence) sentiment, emotion,
// journey, pain points -> stage context -> AnalyzedFeedback.
//
// Choices made here (and why):
// - Every sentence of every speaker becomes an event; agent and bot sentences
//   are tagged the same way so an agent's "I have transferred you" is engage.
// - Stage context: a sentence with no stage cue takes the stage of the
//   nearest cue-tagged sentence of the same turn, looking back up to two
//   sentences first, then forward up to two; otherwise it stays "none".
//   Touchpoints are never inherited: "none" means the sentence names no
//   channel or place (DESIGN.md).
// - Language: the feedback's language is detected on all its words; each
//   sentence may override it only with clear evidence. A non-English sentence
//   gets neutral sentiment and no emotion (the lexicons are English).
// - Text sentiment (tag_text): the mean of the customer sentences that carry
//   an opinion (|compound| >= 0.05). VADER on a long text sums every valence
//   and drifts to +-1; the mean keeps the scale of one sentence, and leaving
//   out factual sentences ("my order number is 123") avoids diluting tone.
// - Most salient event: highest |compound| + 0.5 per pain point (at most 1) +
//   stage cue score / 4 (at most 1), among events with a stage; ties go to
//   the earlier event.
#include "pipeline/pipeline.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "pipeline/emotion.h"
#include "pipeline/journey.h"
#include "pipeline/language.h"
#include "pipeline/normalize.h"
#include "pipeline/pain_points.h"
#include "pipeline/segment.h"
#include "pipeline/sentiment.h"

namespace cxmap {

const char* sentiment_label(double compound) {
  if (compound >= 0.05) return "pos";
  if (compound <= -0.05) return "neg";
  return "neu";
}

Pipeline::Pipeline(std::shared_ptr<const Resources> resources) : resources_(std::move(resources)) {}

namespace {

struct Work {
  std::size_t turn = 0;
  std::vector<Token> tokens;
  double cue_score = 0;  // stage cue score; 0 when the stage was inherited or none
};

void apply_stage_context(std::vector<Event>& events, const std::vector<Work>& work) {
  const std::size_t n = events.size();
  std::vector<std::string> decided(n);
  for (std::size_t i = 0; i < n; ++i)
    if (work[i].cue_score > 0) decided[i] = events[i].stage;
  for (std::size_t i = 0; i < n; ++i) {
    if (!decided[i].empty()) continue;
    std::string found;
    for (std::size_t d = 1; d <= 2 && d <= i && found.empty(); ++d)
      if (work[i - d].turn == work[i].turn && !decided[i - d].empty()) found = decided[i - d];
    for (std::size_t d = 1; d <= 2 && i + d < n && found.empty(); ++d)
      if (work[i + d].turn == work[i].turn && !decided[i + d].empty()) found = decided[i + d];
    if (!found.empty()) events[i].stage = found;
  }
}

}  // namespace

AnalyzedFeedback Pipeline::analyze(RawFeedback raw) const {
  const Resources& res = *resources_;
  AnalyzedFeedback out;
  out.id = feedback_id(raw.source, raw.external_id);

  std::vector<Work> work;
  for (std::size_t ti = 0; ti < raw.turns.size(); ++ti) {
    NormalizedText norm = normalize_text(raw.turns[ti].text);
    out.invalid_utf8 += norm.invalid_utf8;
    if (ti > 0) out.text += '\n';
    const std::size_t base = out.text.size();
    out.text += norm.text;
    for (const SentenceSpan& span : split_sentences(norm.text)) {
      Event ev;
      ev.speaker = raw.turns[ti].speaker;
      ev.start = base + span.start;
      ev.end = base + span.end;
      ev.sentence = norm.text.substr(span.start, span.end - span.start);
      Work w;
      w.turn = ti;
      w.tokens = tokenize(ev.sentence);
      out.events.push_back(std::move(ev));
      work.push_back(std::move(w));
    }
  }

  {
    LanguageEvidence evidence;
    for (const Work& w : work) evidence.add(w.tokens);
    out.language = evidence.decide("und");
  }
  const std::string fallback = out.language == "und" ? "en" : out.language;

  for (std::size_t i = 0; i < out.events.size(); ++i) {
    Event& ev = out.events[i];
    Work& w = work[i];
    ev.ordinal = static_cast<int>(i);
    const std::string lang = detect_language(w.tokens, fallback);
    const std::string folded = fold_case(ev.sentence);
    if (lang == "en") {
      ev.sentiment = score_sentence(w.tokens, res.valence);
      EmotionResult em = detect_emotions(w.tokens, res.emotions);
      ev.emotion = em.dominant;
      ev.emotions = std::move(em.weights);
    }
    JourneyTags jt = classify(w.tokens, folded, res.journey);
    ev.stage = jt.stage;
    ev.touchpoint = jt.touchpoint;
    w.cue_score = jt.stage == "none" ? 0 : jt.stage_score;
    ev.pains = detect_pain_points(w.tokens, folded);
  }
  apply_stage_context(out.events, work);
  out.raw = std::move(raw);
  return out;
}

TextTags Pipeline::tag_text(std::string_view text) const {
  RawFeedback raw;
  raw.source = "text";
  raw.external_id = content_hash(std::string(text));
  raw.channel = "text";
  Turn turn;
  turn.speaker = Speaker::customer;
  turn.text = std::string(text);
  raw.turns.push_back(std::move(turn));
  AnalyzedFeedback fb = analyze(std::move(raw));

  TextTags tags;
  tags.language = fb.language == "und" ? "en" : fb.language;
  tags.invalid_utf8 = fb.invalid_utf8;

  Sentiment mean{0, 0, 0, 0};
  int opinionated = 0;
  std::map<std::string, double> emotion_sum;
  for (const Event& e : fb.events) {
    if (e.speaker != Speaker::customer) continue;
    if (std::fabs(e.sentiment.compound) >= 0.05) {
      mean.compound += e.sentiment.compound;
      mean.pos += e.sentiment.pos;
      mean.neu += e.sentiment.neu;
      mean.neg += e.sentiment.neg;
      ++opinionated;
    }
    for (const auto& [label, weight] : e.emotions) emotion_sum[label] += weight;
  }
  if (opinionated > 0) {
    mean.compound /= opinionated;
    mean.pos /= opinionated;
    mean.neu /= opinionated;
    mean.neg /= opinionated;
    tags.sentiment = mean;
  }
  tags.label = sentiment_label(tags.sentiment.compound);

  std::vector<std::pair<std::string, double>> em(emotion_sum.begin(), emotion_sum.end());
  std::stable_sort(em.begin(), em.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [label, weight] : em)
    if (weight >= 0.5) tags.emotions.push_back(label);

  // Most salient event (see the note at the top of this file).
  const Event* best = nullptr;
  double best_score = -1;
  for (const Event& e : fb.events) {
    if (e.stage == "none") continue;
    JourneyTags jt = classify(tokenize(e.sentence), fold_case(e.sentence), resources_->journey);
    double score = std::fabs(e.sentiment.compound) + std::min(1.0, 0.5 * static_cast<double>(e.pains.size())) +
                   std::min(1.0, jt.stage_score / 4.0);
    if (score > best_score + 1e-12) {
      best = &e;
      best_score = score;
    }
  }
  if (best) {
    tags.stage = best->stage;
    tags.touchpoint = best->touchpoint;
  }
  tags.events = std::move(fb.events);
  return tags;
}

}  // namespace cxmap
