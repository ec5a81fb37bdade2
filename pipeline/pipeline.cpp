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
// - Most salient sentence: highest |compound| + 0.5 per pain kind (at most
//   1) + stage cue score / 4 (at most 1), among sentences with a stage; ties
//   go to the earlier sentence. The stage cue score is the one analyze
//   computed for the sentence (tag_text tokenizes and classifies a sentence
//   once; only a sentence split into steps is scored whole a second time).
// - Story steps: a sentence that tells two steps ("I first tried the FAQ,
//   then called"; journey.h story_steps) becomes one event per step, in story
//   order, each with its clause as its sentence and offsets, and its own
//   sentiment, emotion, tags and pain points. The steps are for the journey
//   (events, the map, search by stage); tag_text's text-level figures stay
//   per sentence: a split sentence is scored whole once more for them and
//   takes the stage classify() gives it (its last step), so cutting a
//   sentence into steps does not change how the text as a whole reads.
// - explain() is analyze() with the sentiment and emotion traces switched on,
//   so what it shows is exactly what tag_text computes.
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

Pipeline::Pipeline(std::shared_ptr<const Resources> resources, PipelineOptions options)
    : resources_(std::move(resources)), options_(options) {}

namespace {

struct Work {
  std::size_t turn = 0;
  std::size_t sentence = 0;  // index of the sentence; the steps of one sentence share it
  std::vector<Token> tokens;
  bool step = false;  // one step of a split sentence: step_tags hold its tags
  JourneyTags step_tags;
  double cue_score = 0;    // stage cue score; 0 when the stage was inherited or none
  double stage_score = 0;  // the sentence's own classify() score (salience in tag_text)
};

// A sentence cut into story steps, kept whole for tag_text's per-sentence
// figures.
struct SplitSentence {
  std::size_t index = 0;  // sentence index (Work::sentence)
  std::string text;
  std::vector<Token> tokens;
};

// What tag_text reads of one sentence: the event itself, or for a split
// sentence the sentence scored whole.
struct SentenceSummary {
  Speaker speaker = Speaker::customer;
  Sentiment sentiment;
  std::vector<std::pair<std::string, double>> emotions;
  std::size_t pain_kinds = 0;
  std::string stage = "none", touchpoint = "none";
  double stage_score = 0;
};

// The tokens of tokens[first, end) that lie inside [start, end) of the
// sentence, with offsets made relative to the clause.
std::vector<Token> clause_tokens(const std::vector<Token>& tokens, const ClauseTags& c) {
  std::vector<Token> out;
  for (std::size_t i = c.first_token; i < c.end_token; ++i) {
    if (tokens[i].start < c.start || tokens[i].end > c.end) continue;
    Token t = tokens[i];
    t.start -= c.start;
    t.end -= c.start;
    out.push_back(std::move(t));
  }
  return out;
}

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

// analyze() with what tag_text and explain need beside the events: the
// per-sentence summaries, and (when `explain` is given) the traces.
AnalyzedFeedback analyze_feedback(const Resources& res, const PipelineOptions& options, RawFeedback raw,
                                  std::vector<SentenceSummary>* sentences,
                                  std::vector<SentenceExplanation>* explain) {
  AnalyzedFeedback out;
  out.id = feedback_id(raw.source, raw.external_id);

  std::vector<Work> work;
  std::vector<SplitSentence> split;
  std::size_t sentence_count = 0;
  // Redaction first, so no later step (nor the store) sees what it removes.
  auto redact_into = [&](std::string& text) {
    RedactionResult r = redact(text, options.redaction);
    if (r.total() == 0) return;
    for (std::size_t t = 0; t < kRedactionTypes; ++t) out.redactions[t] += r.counts[t];
    text = std::move(r.text);
  };
  if (options.redact) {
    redact_into(raw.subject);
    for (auto& kv : raw.metadata) redact_into(kv.second);
  }
  for (std::size_t ti = 0; ti < raw.turns.size(); ++ti) {
    NormalizedText norm = normalize_text(raw.turns[ti].text);
    out.invalid_utf8 += norm.invalid_utf8;
    if (options.redact) redact_into(norm.text);
    // The raw turn goes with the record: it must not keep what was removed.
    if (options.redact) raw.turns[ti].text = norm.text;
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
      w.sentence = sentence_count++;
      w.tokens = tokenize(ev.sentence);
      std::vector<ClauseTags> steps = story_steps(w.tokens, res.journey);
      if (steps.empty()) {
        out.events.push_back(std::move(ev));
        work.push_back(std::move(w));
        continue;
      }
      // One event per step, in story order (see the note at the top).
      for (const ClauseTags& c : steps) {
        Event step;
        step.speaker = ev.speaker;
        step.start = ev.start + c.start;
        step.end = ev.start + c.end;
        step.sentence = ev.sentence.substr(c.start, c.end - c.start);
        Work sw;
        sw.turn = ti;
        sw.sentence = w.sentence;
        sw.tokens = clause_tokens(w.tokens, c);
        sw.step = true;
        sw.step_tags = c.tags;
        out.events.push_back(std::move(step));
        work.push_back(std::move(sw));
      }
      if (sentences) split.push_back({w.sentence, std::move(ev.sentence), std::move(w.tokens)});
    }
  }

  {
    LanguageEvidence evidence;
    for (const Work& w : work) evidence.add(w.tokens);
    out.language = evidence.decide("und");
  }
  const std::string fallback = out.language == "und" ? "en" : out.language;
  const SentimentOptions sentiment_options{options.cx_layer};
  if (explain) explain->resize(out.events.size());

  for (std::size_t i = 0; i < out.events.size(); ++i) {
    Event& ev = out.events[i];
    Work& w = work[i];
    SentenceExplanation* x = explain ? &(*explain)[i] : nullptr;
    ev.ordinal = static_cast<int>(i);
    const std::string lang = detect_language(w.tokens, fallback);
    const std::string folded = fold_case(ev.sentence);
    if (lang == "en") {
      ev.sentiment = score_sentence(w.tokens, res.valence, sentiment_options, x ? &x->sentiment : nullptr);
      EmotionResult em = detect_emotions(w.tokens, res.emotions, x ? &x->emotion : nullptr);
      ev.emotion = em.dominant;
      ev.emotions = std::move(em.weights);
    }
    JourneyTags jt = w.step ? w.step_tags : classify(w.tokens, folded, res.journey);
    ev.stage = jt.stage;
    ev.touchpoint = jt.touchpoint;
    w.cue_score = jt.stage == "none" ? 0 : jt.stage_score;
    w.stage_score = jt.stage_score;
    // "since Monday" needs a date to count from: the turn's time, else the
    // feedback's.
    const std::string& when = raw.turns[w.turn].time.empty() ? raw.received_at : raw.turns[w.turn].time;
    ev.pains = detect_pain_points(w.tokens, folded, when);
    if (x) {
      x->language = lang;
      x->journey = std::move(jt);
    }
  }
  apply_stage_context(out.events, work);
  if (sentences) {
    sentences->assign(sentence_count, SentenceSummary{});
    for (std::size_t i = 0; i < out.events.size(); ++i) {
      const Event& e = out.events[i];
      if (work[i].step) continue;
      SentenceSummary& s = (*sentences)[work[i].sentence];
      s.speaker = e.speaker;
      s.sentiment = e.sentiment;
      s.emotions = e.emotions;
      s.pain_kinds = e.pains.size();
      s.stage = e.stage;
      s.touchpoint = e.touchpoint;
      s.stage_score = work[i].stage_score;
    }
    for (const SplitSentence& sp : split) {
      SentenceSummary& s = (*sentences)[sp.index];
      std::vector<std::string> kinds;
      for (std::size_t i = 0; i < out.events.size(); ++i) {
        if (work[i].sentence != sp.index) continue;
        s.speaker = out.events[i].speaker;
        for (const PainPoint& p : out.events[i].pains)
          if (std::find(kinds.begin(), kinds.end(), p.kind) == kinds.end()) kinds.push_back(p.kind);
      }
      s.pain_kinds = kinds.size();
      if (detect_language(sp.tokens, fallback) == "en") {
        s.sentiment = score_sentence(sp.tokens, res.valence, sentiment_options, nullptr);
        s.emotions = detect_emotions(sp.tokens, res.emotions, nullptr).weights;
      }
      JourneyTags jt = classify(sp.tokens, fold_case(sp.text), res.journey);
      s.stage = jt.stage;
      s.touchpoint = jt.touchpoint;
      s.stage_score = jt.stage_score;
    }
  }
  if (explain)
    for (std::size_t i = 0; i < out.events.size(); ++i) {
      SentenceExplanation& x = (*explain)[i];
      x.event = out.events[i];
      x.tokens = std::move(work[i].tokens);
      x.stage_inherited = work[i].cue_score <= 0 && out.events[i].stage != "none";
    }
  out.raw = std::move(raw);
  return out;
}

RawFeedback text_feedback(std::string_view text) {
  RawFeedback raw;
  raw.source = "text";
  raw.external_id = content_hash(std::string(text));
  raw.channel = "text";
  Turn turn;
  turn.speaker = Speaker::customer;
  turn.text = std::string(text);
  raw.turns.push_back(std::move(turn));
  return raw;
}

}  // namespace

AnalyzedFeedback Pipeline::analyze(RawFeedback raw) const {
  return analyze_feedback(*resources_, options_, std::move(raw), nullptr, nullptr);
}

std::vector<SentenceExplanation> Pipeline::explain(std::string_view text) const {
  std::vector<SentenceExplanation> out;
  analyze_feedback(*resources_, options_, text_feedback(text), nullptr, &out);
  return out;
}

TextTags Pipeline::tag_text(std::string_view text) const {
  std::vector<SentenceSummary> sentences;
  AnalyzedFeedback fb = analyze_feedback(*resources_, options_, text_feedback(text), &sentences, nullptr);

  TextTags tags;
  tags.language = fb.language == "und" ? "en" : fb.language;
  tags.invalid_utf8 = fb.invalid_utf8;

  Sentiment mean{0, 0, 0, 0};
  int opinionated = 0;
  std::map<std::string, double> emotion_sum;
  for (const SentenceSummary& e : sentences) {
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

  // Most salient sentence (see the note at the top of this file).
  const SentenceSummary* best = nullptr;
  double best_score = -1;
  for (const SentenceSummary& e : sentences) {
    if (e.stage == "none") continue;
    double score = std::fabs(e.sentiment.compound) + std::min(1.0, 0.5 * static_cast<double>(e.pain_kinds)) +
                   std::min(1.0, e.stage_score / 4.0);
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
