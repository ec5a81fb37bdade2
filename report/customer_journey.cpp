// Customer journeys: load by customer key, print as text or JSON.
#include "report/customer_journey.h"

#include <map>

#include "report/record_json.h"
#include "report/writer.h"

namespace cxmap {

Result<CustomerJourney> load_customer_journey(Store& store, const std::string& customer) {
  CustomerJourney j;
  j.customer = customer;
  auto st = store.connection().prepare("SELECT id FROM feedback WHERE customer_key = ?1 ORDER BY received_at, id");
  if (!st) return st.error();
  st->bind(1, customer);
  std::vector<std::string> ids;
  if (auto s = st->collect(ids); !s) return s.error();
  if (ids.empty()) return make_error(ErrorKind::usage, "no feedback from customer " + customer);
  for (const std::string& id : ids) {
    auto fb = store.feedback(id);
    if (!fb) return fb.error();
    auto events = store.events_of(id);
    if (!events) return events.error();
    j.steps.push_back({**fb, std::move(*events)});
  }
  auto links = links_of_customer(store, customer);
  if (!links) return links.error();
  j.links = std::move(*links);
  return j;
}

namespace {

std::string short_id(const std::string& feedback_id, int ordinal) { return feedback_id + "#" + std::to_string(ordinal); }

}  // namespace

void write_customer_journey_text(const CustomerJourney& j, std::ostream& out, bool include_agents) {
  std::size_t customer_events = 0;
  for (const auto& s : j.steps)
    for (const auto& e : s.events) customer_events += e.speaker == "customer";
  out << "journey of " << j.customer << ": " << j.steps.size() << " feedback, " << customer_events
      << " customer sentences, " << j.links.size() << " links\n";
  std::map<std::int64_t, std::vector<std::string>> link_marks;
  for (const LinkRow& l : j.links) {
    link_marks[l.from_event].push_back(l.kind + " -> " + short_id(l.to_feedback, l.to_ordinal));
    link_marks[l.to_event].push_back(l.kind + " <- " + short_id(l.from_feedback, l.from_ordinal));
  }
  for (const JourneyStep& s : j.steps) {
    const FeedbackRow& f = s.feedback;
    out << '\n' << f.received_at << "  " << f.channel << "  " << f.source << "  " << f.id;
    if (!f.subject.empty()) out << "  \"" << f.subject << '"';
    out << '\n';
    for (const EventRow& e : s.events) {
      if (!include_agents && e.speaker != "customer") continue;
      out << "  #" << e.ordinal << ' ';
      if (e.speaker != "customer") out << e.speaker << ' ';
      out << e.stage << " / " << e.touchpoint << " / " << e.emotion << "  " << format_fixed(e.compound, 2)
          << pains_text(e.pains);
      if (auto it = link_marks.find(e.event_id); it != link_marks.end())
        for (const auto& m : it->second) out << "  {" << m << '}';
      out << "\n     " << e.sentence << '\n';
    }
  }
  if (!j.links.empty()) {
    out << "\nlinks\n";
    for (const LinkRow& l : j.links)
      out << "  " << l.kind << "  " << short_id(l.from_feedback, l.from_ordinal) << " -> "
          << short_id(l.to_feedback, l.to_ordinal) << "  " << format_fixed(l.days, 1) << " days  topic "
          << (l.topic.empty() ? "-" : l.topic) << '\n';
  }
}

void write_customer_journey_json(const CustomerJourney& j, std::ostream& out, bool include_agents) {
  JsonWriter w(out, true);
  w.begin_object().key("customer").value(j.customer).key("feedback").begin_array();
  for (const JourneyStep& s : j.steps) {
    const FeedbackRow& f = s.feedback;
    w.begin_object().key("id").value(f.id).key("received_at").value(f.received_at).key("channel").value(f.channel);
    w.key("source").value(f.source).key("subject").value(f.subject).key("events").begin_array();
    for (const EventRow& e : s.events) {
      if (!include_agents && e.speaker != "customer") continue;
      w.begin_object().key("event_id").value(e.event_id).key("ordinal").value(e.ordinal);
      w.key("speaker").value(e.speaker).key("sentence").value(e.sentence).key("stage").value(e.stage);
      w.key("touchpoint").value(e.touchpoint).key("emotion").value(e.emotion).key("compound").value(e.compound, 4);
      w.key("pain");
      write_pains(w, e.pains);
      w.end_object();
    }
    w.end_array().end_object();
  }
  w.end_array().key("links").begin_array();
  for (const LinkRow& l : j.links) {
    w.begin_object().key("kind").value(l.kind).key("topic").value(l.topic).key("days").value(l.days, 2);
    w.key("from").begin_object().key("feedback_id").value(l.from_feedback).key("ordinal").value(l.from_ordinal);
    w.key("event_id").value(l.from_event).end_object();
    w.key("to").begin_object().key("feedback_id").value(l.to_feedback).key("ordinal").value(l.to_ordinal);
    w.key("event_id").value(l.to_event).end_object();
    w.end_object();
  }
  w.end_array().end_object();
  w.finish();
}

}  // namespace cxmap
