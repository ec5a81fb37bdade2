// cxmap journey: one customer's journey across sources, or --check of a
// journey definition.
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands.h"
#include "connectors/customer_keys.h"
#include "lexicons/journey_loader.h"
#include "report/customer_journey.h"

namespace cxmap {

namespace {

struct JourneyArgs {
  std::string customer;
  std::string config;
  bool check = false;
  bool json = false;
  bool agents = false;
};

int check(const std::string& file_arg, const GlobalOptions& options) {
  const std::string path = !file_arg.empty()       ? file_arg
                           : !options.journey.empty() ? options.journey
                                                      : options.share_dir + "/journey.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(make_error(ErrorKind::config, "cannot read journey definition " + path));
  std::stringstream buf;
  buf << in.rdbuf();
  auto def = parse_journey_definition(buf.str(), path);
  if (!def) return fail(def.error());
  std::size_t cues = 0, patterns = 0;
  for (const auto* set : {&def->stages, &def->touchpoints})
    for (const LabelDef& l : *set) {
      cues += l.cues.size();
      patterns += l.patterns.size();
    }
  std::cout << path << ": ok\n"
            << "stages       " << def->stages.size() << "\n"
            << "touchpoints  " << def->touchpoints.size() << "\n"
            << "cues         " << cues << "\n"
            << "patterns     " << patterns << "\n"
            << "topics       " << (def->topic_matcher ? def->topic_matcher->size() : 0)
            << (def->topics.empty() ? " (default)" : "") << "\n"
            << "links        dead_end_days " << def->links.dead_end_days << ", repeat_contact_days "
            << def->links.repeat_contact_days << "\n";
  return 0;
}

int run(const JourneyArgs& args, const GlobalOptions& options) {
  if (args.check) return check(args.customer, options);
  if (args.customer.empty())
    return fail(make_error(ErrorKind::usage, "journey: give a CUSTOMER (email, phone or id), or --check [FILE]"));
  auto store = Store::open(options.data_dir, OpenMode::read_only);
  if (!store) return fail(store.error());
  // In privacy mode the store holds keyed hashes: the sources config's HMAC
  // key (and aliases) turn the id typed here into the key stored.
  std::string key = normalize_customer_key(args.customer);
  if (!args.config.empty()) {
    auto customers = load_customer_aliases(args.config);
    if (!customers) return fail(customers.error());
    key = customers->resolve(args.customer);
  }
  auto j = load_customer_journey(*store, key);
  if (!j) return fail(j.error());
  if (args.json) write_customer_journey_json(*j, std::cout, args.agents);
  else write_customer_journey_text(*j, std::cout, args.agents);
  return 0;
}

}  // namespace

void setup_journey(CLI::App& root, CommandEnv env) {
  auto args = std::make_shared<JourneyArgs>();
  CLI::App* cmd = root.add_subcommand(
      "journey",
      "Print one customer's events across all sources in time order, with the links found\n"
      "between them (dead_end, repeat_contact); or validate a journey definition with --check.");
  cmd->add_option("CUSTOMER", args->customer,
                  "Customer key (email address, phone number, account id); with --check: the FILE to validate "
                  "(default: the definition in use)");
  cmd->add_flag("--check", args->check, "Validate a journey definition and print its counts");
  cmd->add_flag("--json", args->json, "JSON for scripts");
  cmd->add_flag("--agents", args->agents, "Also print agent and bot sentences");
  cmd->add_option("--config", args->config,
                  "Sources config: its customer aliases and HMAC key (privacy mode) name the customer");
  cmd->footer("Exit codes: 0 ok, 2 unknown customer or no store, 3 bad journey definition.");
  cmd->callback([args, env] { env.exit_code = run(*args, env.options); });
}

}  // namespace cxmap
