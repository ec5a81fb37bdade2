// cxmap tag: tag free text from standard input, one JSON object per line.
#include <iostream>

#include "app/commands.h"
#include "report/record_json.h"
#include "report/writer.h"

namespace cxmap {

namespace {

void write_event(JsonWriter& j, const Event& e) {
  j.begin_object();
  j.key("sentence").value(e.sentence);
  j.key("stage").value(e.stage);
  j.key("touchpoint").value(e.touchpoint);
  j.key("emotion").value(e.emotion);
  j.key("compound").value(e.sentiment.compound, 4);
  j.key("pain");
  write_pains(j, e.pains);
  j.end_object();
}

int run(bool cx_off, const GlobalOptions& options) {
  auto resources = load_pipeline_resources(options);
  if (!resources) return fail(resources.error());
  Pipeline pipeline(*resources, cx_options(!cx_off));
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    TextTags t = pipeline.tag_text(line);
    JsonWriter j(std::cout);
    j.begin_object();
    j.key("compound").value(t.sentiment.compound, 4);
    j.key("pos").value(t.sentiment.pos, 3);
    j.key("neu").value(t.sentiment.neu, 3);
    j.key("neg").value(t.sentiment.neg, 3);
    j.key("label").value(t.label);
    j.key("emotions").begin_array();
    for (const std::string& e : t.emotions) j.value(e);
    j.end_array();
    j.key("stage").value(t.stage);
    j.key("touchpoint").value(t.touchpoint);
    j.key("language").value(t.language);
    j.key("events").begin_array();
    for (const Event& e : t.events) write_event(j, e);
    j.end_array();
    j.end_object();
    j.finish();
  }
  return 0;
}

}  // namespace

void setup_tag(CLI::App& root, CommandEnv env) {
  auto cx_off = std::make_shared<bool>(false);
  CLI::App* cmd = root.add_subcommand(
      "tag",
      "Tag text read from standard input, one text per line; writes one JSON object per line:\n"
      "{compound, pos, neu, neg, label, emotions, stage, touchpoint, language, events: [...]}");
  cmd->add_flag("--no-cx", *cx_off, "Switch the customer-care valence layer off: plain VADER scores");
  cmd->callback([cx_off, env] { env.exit_code = run(*cx_off, env.options); });
}

}  // namespace cxmap
