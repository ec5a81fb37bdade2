// cxmap export: the stage-level sentiment table.
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands.h"
#include "pipeline/emotion.h"
#include "report/stage_table.h"
#include "search/search.h"

namespace cxmap {

namespace {

struct ExportArgs {
  std::vector<std::string> words;  // the filter query, in the search language
  std::string by = "stage";
  std::string format = "csv";
  std::string out;
};

int run(const ExportArgs& args, const GlobalOptions& options) {
  auto format = parse_format(args.format);
  if (!format) return fail(format.error());
  StageTableRequest req;
  std::stringstream fields(args.by);
  std::string field;
  bool first = true;
  while (std::getline(fields, field, ',')) {
    if (first && field == "stage") {
      first = false;
      continue;  // rows are always per stage; "stage," is allowed for clarity
    }
    first = false;
    if (!field.empty()) req.group_by.push_back(field);
  }
  auto resources = load_pipeline_resources(options);
  if (!resources) return fail(resources.error());
  auto store = Store::open(options.data_dir, OpenMode::read_only);
  if (!store) return fail(store.error());
  std::string query;
  for (const std::string& w : args.words) query += (query.empty() ? "" : " ") + w;
  if (!query.empty()) {
    auto ids = matching_event_ids(options.data_dir, query);
    if (!ids) return fail(ids.error());
    req.only_events = std::move(*ids);
  }
  auto table = build_stage_table(*store, (*resources)->journey.stage_names(), emotion_labels(), req);
  if (!table) return fail(table.error());
  if (args.out.empty() || args.out == "-") {
    write_stage_table(*table, *format, std::cout);
  } else {
    std::ofstream file(args.out, std::ios::binary);
    if (!file) return fail(make_error(ErrorKind::usage, "cannot write " + args.out));
    write_stage_table(*table, *format, file);
    if (!file.flush()) return fail(make_error(ErrorKind::usage, "cannot write " + args.out));
  }
  return 0;
}

}  // namespace

void setup_export(CLI::App& root, CommandEnv env) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = root.add_subcommand(
      "export",
      "Export the stage-level sentiment table (customer sentences), in journey order.\n"
      "Columns: stage, group fields, feedback_n, events_n, mean_sentiment, ci95_low, ci95_high,\n"
      "pct_negative, pct_neutral, pct_positive, share_<emotion> for each emotion,\n"
      "pain_<kind> for each pain point, top_pains, mean_nps, mean_csat, and the most negative\n"
      "and most positive quote with its feedback id (see README, Export columns).");
  cmd->add_option("QUERY", args->words,
                  "Only the sentences this search query matches (same language as `cxmap search`),\n"
                  "e.g. cxmap export --by stage,month 'channel:email date:2026-09-01..'");
  std::string groups;
  for (const auto& g : stage_table_groupings()) groups += (groups.empty() ? "" : ", ") + g;
  cmd->add_option("--by", args->by, "stage, optionally followed by group fields: " + groups +
                                        "\n(e.g. --by stage,touchpoint; --by stage,meta.segment groups by a metadata field)");
  cmd->add_option("--format,-f", args->format, "csv, tsv, json, markdown or text")
      ->check(CLI::IsMember({"csv", "tsv", "json", "markdown", "md", "text"}));
  cmd->add_option("--out,-o", args->out, "Write to FILE instead of standard output");
  cmd->callback([args, env] { env.exit_code = run(*args, env.options); });
}

}  // namespace cxmap
