// cxmap search: ranked, collapsed search over customer sentences with facets.
#include <iostream>

#include "app/commands.h"
#include "report/record_json.h"
#include "report/writer.h"
#include "search/query_syntax.h"
#include "search/search.h"
#include "server/json_views.h"

namespace cxmap {

namespace {

struct SearchArgs {
  std::vector<std::string> words;
  bool json = false;
  int limit = 10;
  int offset = 0;
  std::string sort = "relevance";
  bool explain = false;
};

void write_text(const SearchResult& r, int offset, std::ostream& out) {
  out << r.total << " feedback match (" << r.events << " sentences)\n";
  if (!r.suggestion.empty()) out << "did you mean: " << r.suggestion << '\n';
  int n = offset;
  for (const SearchHit& h : r.hits) {
    out << '\n' << ++n << ". " << h.feedback_id << '#' << h.ordinal << "  " << h.date.substr(0, 10) << "  "
        << h.channel << "  " << h.stage << " / " << h.touchpoint << " / " << h.emotion << "  "
        << format_fixed(h.compound, 2);
    if (!h.pains.empty()) {
      out << "  [";
      for (std::size_t i = 0; i < h.pains.size(); ++i) out << (i ? ", " : "") << pain_text(h.pains[i]);
      out << ']';
    }
    out << "\n   " << h.snippet << '\n';
    if (h.more_in_feedback > 0) out << "   (+" << h.more_in_feedback << " more in this feedback)\n";
  }
  if (r.events > 0) out << '\n';
  for (const auto& [name, counts] : r.facets) {
    if (counts.empty()) continue;
    out << name << ':';
    for (std::size_t i = 0; i < counts.size(); ++i)
      out << (i ? ", " : " ") << counts[i].value << ' ' << counts[i].count;
    out << '\n';
  }
}

int run(const SearchArgs& args, const GlobalOptions& options) {
  SearchRequest req;
  for (const std::string& w : args.words) req.query += (req.query.empty() ? "" : " ") + w;
  req.limit = args.limit;
  req.offset = args.offset;
  req.sort = args.sort == "date" ? SortOrder::date : args.sort == "sentiment" ? SortOrder::sentiment
                                                                              : SortOrder::relevance;
  if (args.explain) {
    auto explanation = explain_search(options.data_dir, req.query);
    if (!explanation) return fail(explanation.error());
    std::cout << *explanation;
    return check_query(req.query).error ? exit_code(ErrorKind::usage) : 0;
  }
  auto store = Store::open(options.data_dir, OpenMode::read_only);
  if (!store) return fail(store.error());
  auto result = search(*store, options.data_dir, req);
  if (!result) return fail(result.error());
  if (args.json) write_search_json(*result, std::cout);
  else write_text(*result, args.offset, std::cout);
  return 0;
}

}  // namespace

void setup_search(CLI::App& root, CommandEnv env) {
  auto args = std::make_shared<SearchArgs>();
  CLI::App* cmd = root.add_subcommand("search", "Search customer sentences; results collapse per feedback");
  cmd->add_option("QUERY", args->words,
                  "Free text (stemmed; \"phrases\", AND/OR/NOT, wild*) with filters stage: touchpoint:\n"
                  "emotion: channel: pain: speaker: source: customer: sentiment:pos|neu|neg lang:\n"
                  "and ranges date:2026-09-01..2026-09-30 nps:0..6 csat:1..2 score:-1..-0.5");
  cmd->add_flag("--json", args->json, "JSON for scripts");
  cmd->add_flag("--explain", args->explain,
                "Print how the query is parsed (tokens, rules, Xapian query, spelling) instead of searching");
  cmd->add_option("--limit,-n", args->limit, "Results per page")->check(CLI::Range(0, 10000));
  cmd->add_option("--offset", args->offset, "Skip this many results")->check(CLI::NonNegativeNumber);
  cmd->add_option("--sort", args->sort, "relevance, date (newest first) or sentiment (most negative first)")
      ->check(CLI::IsMember({"relevance", "date", "sentiment"}));
  cmd->callback([args, env] { env.exit_code = run(*args, env.options); });
}

}  // namespace cxmap
