// cxmap summary: the journey at a glance, one line per stage.
#include <iostream>

#include "app/commands.h"
#include "report/journey_summary.h"

namespace cxmap {

namespace {

int run(bool json, const GlobalOptions& options) {
  auto resources = load_pipeline_resources(options);
  if (!resources) return fail(resources.error());
  auto store = Store::open(options.data_dir, OpenMode::read_only);
  if (!store) return fail(store.error());
  auto summary = build_journey_summary(*store, (*resources)->journey.stage_names());
  if (!summary) return fail(summary.error());
  write_journey_summary(*summary, json ? Format::json : Format::text, std::cout);
  return 0;
}

}  // namespace

void setup_summary(CLI::App& root, CommandEnv env) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = root.add_subcommand(
      "summary", "The journey at a glance: per stage, sentences, mean sentiment, dominant emotion,\n"
                 "touchpoint and the most frequent pain point");
  cmd->add_flag("--json", *json, "JSON for scripts");
  cmd->callback([json, env] { env.exit_code = run(*json, env.options); });
}

}  // namespace cxmap
