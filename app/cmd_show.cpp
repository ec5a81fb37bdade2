// cxmap show: one feedback with each sentence's tags.
#include <iostream>

#include "app/commands.h"
#include "db/store.h"
#include "report/record_json.h"
#include "report/writer.h"

namespace cxmap {

namespace {

struct ShowArgs {
  std::string id;
  bool json = false;
};

int run(const ShowArgs& args, const GlobalOptions& options) {
  auto store = Store::open(options.data_dir, OpenMode::read_only);
  if (!store) return fail(store.error());
  auto fb = store->feedback(args.id);
  if (!fb) return fail(fb.error());
  if (!*fb) return fail(make_error(ErrorKind::usage, "no feedback with id " + args.id));
  auto events = store->events_of(args.id);
  if (!events) return fail(events.error());
  const FeedbackRow& f = **fb;
  if (args.json) {
    JsonWriter j(std::cout, true);
    j.begin_object();
    j.key("id").value(f.id).key("source").value(f.source).key("channel").value(f.channel);
    j.key("external_id").value(f.external_id).key("customer").value(f.customer_key);
    j.key("received_at").value(f.received_at).key("subject").value(f.subject);
    j.key("language").value(f.language);
    j.key("nps");
    f.nps ? j.value(*f.nps) : j.null();
    j.key("csat");
    f.csat ? j.value(*f.csat) : j.null();
    j.key("events").begin_array();
    for (const EventRow& e : *events) {
      j.begin_object();
      j.key("ordinal").value(e.ordinal).key("speaker").value(e.speaker).key("sentence").value(e.sentence);
      j.key("stage").value(e.stage).key("touchpoint").value(e.touchpoint).key("emotion").value(e.emotion);
      j.key("compound").value(e.compound, 4);
      j.key("pain");
      write_pains(j, e.pains);
      j.end_object();
    }
    j.end_array();
    j.end_object();
    j.finish();
    return 0;
  }
  std::cout << "feedback " << f.id << "  " << f.channel << " from " << f.source << " (" << f.external_id << ")\n";
  if (!f.customer_key.empty()) std::cout << "customer " << f.customer_key << '\n';
  if (!f.received_at.empty()) std::cout << "received " << f.received_at << '\n';
  if (!f.subject.empty()) std::cout << "subject  " << f.subject << '\n';
  if (f.nps || f.csat) {
    std::cout << "scores  ";
    if (f.nps) std::cout << " nps " << *f.nps;
    if (f.csat) std::cout << " csat " << *f.csat;
    std::cout << '\n';
  }
  std::cout << '\n';
  for (const EventRow& e : *events) {
    std::cout << '#' << e.ordinal << ' ' << e.speaker << "  " << e.stage << " / " << e.touchpoint << " / "
              << e.emotion << "  " << format_fixed(e.compound, 2) << pains_text(e.pains);
    std::cout << "\n   " << e.sentence << '\n';
  }
  return 0;
}

}  // namespace

void setup_show(CLI::App& root, CommandEnv env) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* cmd = root.add_subcommand("show", "Print one feedback with each sentence's tags");
  cmd->add_option("ID", args->id, "Feedback id (as printed by search)")->required();
  cmd->add_flag("--json", args->json, "JSON for scripts");
  cmd->callback([args, env] { env.exit_code = run(*args, env.options); });
}

}  // namespace cxmap
