// cxmap explain: why a text got its tags. For each sentence: every word's
// valence with its source and each rule that changed it, the sentence-level
// emphasis, sum and compound; the emotion words and what negation or a
// booster did to them; the stage and touchpoint with the cue that decided
// each; the pain points. The scores are the same ones `cxmap tag` gives
// (Pipeline::explain runs the same code with traces switched on).
// Text comes from the arguments, or from standard input when there are none.
#include <iostream>
#include <iterator>

#include "app/commands.h"
#include "report/record_json.h"
#include "report/writer.h"

namespace cxmap {

namespace {

struct ExplainArgs {
  std::vector<std::string> words;
  bool json = false;
  bool cx_off = false;
};

std::string fixed(double x, int decimals) { return format_fixed(x, decimals); }

void write_rule(JsonWriter& j, const SentimentRule& r) {
  j.begin_object();
  j.key("rule").value(r.rule).key("detail").value(r.detail);
  j.key("before").value(r.before, 4).key("after").value(r.after, 4);
  j.end_object();
}

void write_json(const std::vector<SentenceExplanation>& sentences, bool cx) {
  JsonWriter j(std::cout, true);
  j.begin_object();
  j.key("cx_layer").value(cx);
  j.key("sentences").begin_array();
  for (const SentenceExplanation& x : sentences) {
    const Event& e = x.event;
    j.begin_object();
    j.key("sentence").value(e.sentence).key("language").value(x.language);
    j.key("words").begin_array();
    for (const SentimentTraceWord& w : x.sentiment.words) {
      j.begin_object();
      j.key("text").value(w.text).key("source").value(w.source).key("role").value(w.role);
      j.key("base").value(w.base, 4).key("valence").value(w.valence, 4);
      j.key("rules").begin_array();
      for (const SentimentRule& r : w.rules) write_rule(j, r);
      j.end_array();
      j.end_object();
    }
    j.end_array();
    j.key("sentence_rules").begin_array();
    for (const SentimentRule& r : x.sentiment.sentence_rules) write_rule(j, r);
    j.end_array();
    j.key("sum").value(x.sentiment.sum, 4).key("emphasis").value(x.sentiment.emphasis, 4);
    j.key("compound").value(e.sentiment.compound, 4);
    j.key("pos").value(e.sentiment.pos, 3).key("neu").value(e.sentiment.neu, 3).key("neg").value(e.sentiment.neg, 3);
    j.key("emotion").value(e.emotion);
    j.key("emotions").begin_object();
    for (const auto& [label, weight] : e.emotions) j.key(label).value(weight, 3);
    j.end_object();
    j.key("emotion_hits").begin_array();
    for (const EmotionHit& h : x.emotion.hits) {
      j.begin_object();
      j.key("text").value(h.text).key("match").value(h.match).key("emotion").value(h.emotion);
      j.key("weight").value(h.weight, 3).key("effect").value(h.effect);
      j.key("counted").value(h.counted).key("counted_weight").value(h.counted_weight, 3);
      j.end_object();
    }
    j.end_array();
    j.key("question_curious").value(x.emotion.question_curious);
    j.key("stage").value(e.stage).key("stage_cue").value(x.journey.stage_cue);
    j.key("stage_score").value(x.journey.stage_score, 3).key("stage_inherited").value(x.stage_inherited);
    j.key("touchpoint").value(e.touchpoint).key("touchpoint_cue").value(x.journey.touchpoint_cue);
    j.key("touchpoint_score").value(x.journey.touchpoint_score, 3);
    j.key("pain");
    write_pains(j, e.pains);
    j.end_object();
  }
  j.end_array();
  j.end_object();
  j.finish();
}

void write_text(const std::vector<SentenceExplanation>& sentences, bool cx) {
  std::ostream& o = std::cout;
  if (!cx) o << "(CX layer off: plain VADER valence)\n";
  for (std::size_t n = 0; n < sentences.size(); ++n) {
    const SentenceExplanation& x = sentences[n];
    const Event& e = x.event;
    if (n > 0) o << '\n';
    o << "sentence " << n + 1 << ": " << e.sentence << '\n';
    if (x.language != "en") {
      o << "  language " << x.language << ": not scored (the lexicons are English)\n";
    } else {
      o << "  sentiment\n";
      for (const SentimentTraceWord& w : x.sentiment.words) {
        o << "    " << w.text;
        if (!w.source.empty()) o << "  " << w.source << ' ' << fixed(w.base, 3);
        if (!w.role.empty()) o << "  (" << w.role << ")";
        if (!w.source.empty() || w.valence != 0) o << "  -> " << fixed(w.valence, 3);
        o << '\n';
        for (const SentimentRule& r : w.rules)
          o << "      " << r.rule << ": " << r.detail << "  (" << fixed(r.before, 3) << " -> " << fixed(r.after, 3)
            << ")\n";
      }
      o << "    sum " << fixed(x.sentiment.sum, 3) << '\n';
      for (const SentimentRule& r : x.sentiment.sentence_rules)
        o << "    " << r.rule << " emphasis: " << r.detail << "  (" << fixed(r.before, 3) << " -> "
          << fixed(r.after, 3) << ")\n";
      o << "    compound " << fixed(e.sentiment.compound, 4) << "  (pos " << fixed(e.sentiment.pos, 3) << ", neu "
        << fixed(e.sentiment.neu, 3) << ", neg " << fixed(e.sentiment.neg, 3) << ")\n";
      o << "  emotion " << e.emotion;
      for (const auto& [label, weight] : e.emotions) o << "  " << label << ' ' << fixed(weight, 2);
      o << '\n';
      for (const EmotionHit& h : x.emotion.hits) {
        o << "    '" << h.text << "' (" << h.match << ") " << h.emotion << ' ' << fixed(h.weight, 2);
        if (!h.effect.empty()) o << "  " << h.effect;
        if (!h.counted.empty()) o << "  -> " << h.counted << ' ' << fixed(h.counted_weight, 2);
        o << '\n';
      }
      if (x.emotion.question_curious) o << "    a question: curious +0.6\n";
    }
    o << "  stage " << e.stage;
    if (x.stage_inherited) o << "  (no cue of its own: from a neighbouring sentence)";
    else if (!x.journey.stage_cue.empty())
      o << "  by cue '" << x.journey.stage_cue << "' (score " << fixed(x.journey.stage_score, 2) << ")";
    o << '\n';
    o << "  touchpoint " << e.touchpoint;
    if (!x.journey.touchpoint_cue.empty())
      o << "  by cue '" << x.journey.touchpoint_cue << "' (score " << fixed(x.journey.touchpoint_score, 2) << ")";
    o << '\n';
    o << "  pain";
    if (e.pains.empty()) o << " none";
    for (const PainPoint& p : e.pains) {
      o << ' ' << p.kind;
      if (!p.unit.empty()) o << " (" << fixed(p.value, 0) << ' ' << p.unit << ')';
    }
    o << '\n';
  }
}

int run(const ExplainArgs& args, const GlobalOptions& options) {
  std::string text;
  if (!args.words.empty()) {
    for (const std::string& w : args.words) {
      if (!text.empty()) text += ' ';
      text += w;
    }
  } else {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return fail(make_error(ErrorKind::usage, "explain: no text (give it as arguments or on standard input)"));
  auto resources = load_pipeline_resources(options);
  if (!resources) return fail(resources.error());
  Pipeline pipeline(*resources, cx_options(!args.cx_off));
  const auto sentences = pipeline.explain(text);
  if (args.json) write_json(sentences, !args.cx_off);
  else write_text(sentences, !args.cx_off);
  return 0;
}

}  // namespace

void setup_explain(CLI::App& root, CommandEnv env) {
  auto args = std::make_shared<ExplainArgs>();
  CLI::App* cmd = root.add_subcommand(
      "explain",
      "Explain the tags of a text: every word's valence and the rules that changed it, each sentence's\n"
      "compound, emotion words, stage and touchpoint with the deciding cue, pain points");
  cmd->add_option("TEXT", args->words, "Text to explain (default: standard input)");
  cmd->add_flag("--json", args->json, "JSON for scripts");
  cmd->add_flag("--no-cx", args->cx_off, "Switch the customer-care valence layer off: plain VADER scores");
  cmd->callback([args, env] { env.exit_code = run(*args, env.options); });
}

}  // namespace cxmap
