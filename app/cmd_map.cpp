// cxmap map: the journey map as one self-contained HTML file (inline SVG).
// Wiring only: the search language selects the events (search/), the stage
// tables are built from the store (report/stage_table), the picture is drawn
// by report/journey_map. The page is rendered in memory first, so a failed
// query or store never leaves a half-written file behind.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands.h"
#include "pipeline/emotion.h"
#include "report/journey_map.h"
#include "search/search.h"

namespace cxmap {

namespace {

struct MapArgs {
  std::vector<std::string> words;
  std::string out;
  std::string compare;
  bool has_compare = false;
  std::vector<std::string> labels;
  std::string title = "Customer journey map";
};

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

// One population: every customer sentence, or those the query matches.
Result<JourneyMapSegment> build_segment(Store& store, const GlobalOptions& options, const std::string& query,
                                        std::string label, const std::vector<std::string>& stage_order) {
  StageTableRequest request;
  if (!blank(query)) {
    auto ids = matching_event_ids(options.data_dir, query);
    if (!ids) return ids.error();
    if (ids->empty())
      std::cerr << "cxmap: warning: the query \"" << query << "\" matches no customer sentences\n";
    request.only_events = std::move(*ids);
  }
  JourneyMapSegment segment;
  segment.label = std::move(label);
  auto by_stage = build_stage_table(store, stage_order, emotion_labels(), request);
  if (!by_stage) return by_stage.error();
  segment.by_stage = std::move(*by_stage);
  request.group_by = {"touchpoint"};
  auto by_touchpoint = build_stage_table(store, stage_order, emotion_labels(), request);
  if (!by_touchpoint) return by_touchpoint.error();
  segment.by_touchpoint = std::move(*by_touchpoint);
  return segment;
}

Status write_file(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return make_error(ErrorKind::usage, "cannot write " + path + ": " + std::strerror(errno));
  file << text;
  file.flush();
  if (!file) return make_error(ErrorKind::usage, "cannot write " + path + ": " + std::strerror(errno));
  return ok_status();
}

int run(const MapArgs& args, const GlobalOptions& options) {
  const std::size_t max_labels = args.has_compare ? 2 : 1;
  if (args.labels.size() > max_labels)
    return fail(make_error(ErrorKind::usage, std::string("--label given ") +
                                                 std::to_string(args.labels.size()) +
                                                 " times; expected at most " + std::to_string(max_labels) +
                                                 (args.has_compare ? "" : " without --compare")));
  std::string query;
  for (const std::string& w : args.words) query += (query.empty() ? "" : " ") + w;
  auto label = [&](std::size_t i, const std::string& q) {
    if (i < args.labels.size()) return args.labels[i];
    return blank(q) ? std::string("all feedback") : q;
  };

  auto resources = load_pipeline_resources(options);
  if (!resources) return fail(resources.error());
  const JourneyDefinition& journey = (*resources)->journey;
  auto store = Store::open(options.data_dir, OpenMode::read_only);
  if (!store) return fail(store.error());

  JourneyMap map;
  map.title = args.title;
  for (const StageDef& s : journey.stages) {
    JourneyMapStage column;
    column.name = s.name;
    column.description = s.description;
    map.stages.push_back(std::move(column));
  }
  auto first = build_segment(*store, options, query, label(0, query), journey.stage_names());
  if (!first) return fail(first.error());
  map.segments.push_back(std::move(*first));
  if (args.has_compare) {
    auto second = build_segment(*store, options, args.compare, label(1, args.compare), journey.stage_names());
    if (!second) return fail(make_error(second.error().kind, "--compare: " + second.error().message));
    map.segments.push_back(std::move(*second));
  }

  std::ostringstream html;
  write_journey_map(map, html);
  if (args.out.empty() || args.out == "-") {
    std::cout << html.str() << std::flush;
    return std::cout ? 0 : fail(make_error(ErrorKind::usage, "cannot write standard output"));
  }
  if (auto written = write_file(args.out, html.str()); !written) return fail(written.error());
  std::cout << "journey map written to " << args.out << ": " << map.stages.size() << " stages";
  for (const JourneyMapSegment& s : map.segments) {
    std::int64_t events = 0, placed = 0;
    for (const StageRow& r : s.by_stage.rows) {
      events += r.events_n;
      for (const JourneyMapStage& column : map.stages)
        if (column.name == r.stage) placed += r.events_n;
    }
    std::cout << "; " << s.label << ": " << placed << " of " << events << " customer sentences on the map";
  }
  std::cout << '\n';
  return 0;
}

}  // namespace

void setup_map(CLI::App& root, CommandEnv env) {
  auto args = std::make_shared<MapArgs>();
  CLI::App* cmd = root.add_subcommand(
      "map",
      "Draw the customer-journey map as one self-contained HTML file (inline SVG, loads nothing):\n"
      "stages as columns in journey order, the emotion curve (mean sentiment with its 95% CI),\n"
      "top emotions, touchpoints, pain points and quotes per stage. A QUERY (the search language)\n"
      "selects which customer sentences the map covers; --compare draws a second one on the same map.");
  cmd->add_option("QUERY", args->words,
                  "Customer sentences to map, in the search language (e.g. 'channel:email',\n"
                  "'date:2026-09-01..2026-09-30', 'refund'); default: all feedback");
  cmd->add_option("--out,-o", args->out, "Write the HTML to FILE (default: standard output)")
      ->type_name("FILE");
  CLI::Option* compare =
      cmd->add_option("--compare", args->compare,
                      "A second query (segment or period) drawn on the same map in another colour;\n"
                      "'' for all feedback");
  compare->type_name("QUERY");
  cmd->add_option("--label", args->labels,
                  "Legend text for the map's curve, and given twice for the --compare curve\n"
                  "(default: the query text, or \"all feedback\")")
      ->expected(1)
      ->take_all();
  cmd->add_option("--title", args->title, "Heading of the page")->capture_default_str();
  cmd->callback([args, env, compare] {
    args->has_compare = compare->count() > 0;
    env.exit_code = run(*args, env.options);
  });
}

}  // namespace cxmap
