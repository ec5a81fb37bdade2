// Journey links: per customer, load feedback and events, find topics,
// self-service steps and assisted contacts, and write links and derived pains.
// Many customers are read on two threads (update_journey_links).
#include "db/journey_links.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <set>
#include <thread>

#include "pipeline/segment.h"
#include "pipeline/topic.h"

namespace cxmap {

std::int64_t iso_seconds(const std::string& iso) {
  std::tm tm{};
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return -1;
  tm.tm_year = std::atoi(iso.substr(0, 4).c_str()) - 1900;
  tm.tm_mon = std::atoi(iso.substr(5, 2).c_str()) - 1;
  tm.tm_mday = std::atoi(iso.substr(8, 2).c_str());
  if (iso.size() >= 19 && (iso[10] == 'T' || iso[10] == ' ')) {
    tm.tm_hour = std::atoi(iso.substr(11, 2).c_str());
    tm.tm_min = std::atoi(iso.substr(14, 2).c_str());
    tm.tm_sec = std::atoi(iso.substr(17, 2).c_str());
  }
  return static_cast<std::int64_t>(timegm(&tm));
}

namespace {

struct Step {
  std::string feedback_id, channel;
  std::int64_t at = -1;
  std::vector<std::string> topics;
  std::int64_t self_service_event = 0;  // last customer self_service event, or 0
  std::int64_t contact_event = 0;       // the assisted contact, or 0
};

bool assisted_touchpoint(const std::string& t) { return t == "phone" || t == "email" || t == "chat"; }

bool share_topic(const Step& a, const Step& b) {
  for (const auto& t : a.topics)
    if (std::find(b.topics.begin(), b.topics.end(), t) != b.topics.end()) return true;
  return false;
}

std::string common_topic(const Step& a, const Step& b) {
  for (const auto& t : a.topics)
    if (std::find(b.topics.begin(), b.topics.end(), t) != b.topics.end()) return t;
  return "";
}

Result<std::vector<Step>> load_steps(Store& store, const std::string& customer, const TopicMatcher& topics) {
  auto lease = store.connection().reuse(
      "SELECT id, channel, received_at, subject FROM feedback WHERE customer_key = ?1 ORDER BY received_at, id");
  if (!lease) return lease.error();
  sql::Statement* st = &**lease;
  st->bind(1, customer);
  std::vector<Step> steps;
  std::vector<std::string> subjects;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    Step s;
    s.feedback_id = st->text(0);
    s.channel = st->text(1);
    s.at = iso_seconds(st->text(2));
    subjects.push_back(st->text(3));
    if (s.at >= 0) steps.push_back(std::move(s));
    else subjects.pop_back();
  }
  for (std::size_t i = 0; i < steps.size(); ++i) {
    Step& s = steps[i];
    auto events = store.events_of(s.feedback_id);
    if (!events) return events.error();
    std::vector<int> hits(topics.size(), 0);
    topics.count(tokenize(subjects[i]), hits);
    bool has_agent = false;
    std::int64_t first_customer = 0, first_contact = 0;
    for (const EventRow& e : *events) {
      if (e.speaker == "agent") has_agent = true;
      if (e.speaker != "customer") continue;
      topics.count(tokenize(e.sentence), hits);
      if (!first_customer) first_customer = e.event_id;
      if (e.stage == "self_service") s.self_service_event = e.event_id;
      if (!first_contact && assisted_touchpoint(e.touchpoint) && (e.stage == "contact" || e.stage == "engage"))
        first_contact = e.event_id;
    }
    s.topics = topics.top(hits);
    if (first_contact) s.contact_event = first_contact;
    else if ((s.channel == "email" || (s.channel == "chat" && has_agent)) && first_customer)
      s.contact_event = first_customer;
  }
  return steps;
}

struct NewLink {
  std::int64_t from, to;
  std::string kind, topic;
  double days;
};

std::vector<NewLink> find_links(const std::vector<Step>& steps, const JourneyLinks& cfg) {
  std::vector<NewLink> out;
  const double day = 86400.0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& a = steps[i];
    if (a.self_service_event && !a.topics.empty()) {
      for (std::size_t j = i + 1; j < steps.size(); ++j) {
        const Step& b = steps[j];
        const double days = (b.at - a.at) / day;
        if (days > cfg.dead_end_days) break;
        if (b.contact_event && share_topic(a, b)) {
          out.push_back({a.self_service_event, b.contact_event, "dead_end", common_topic(a, b), days});
          break;
        }
      }
    }
    if (a.contact_event && !a.topics.empty()) {
      for (std::size_t j = i; j-- > 0;) {
        const Step& p = steps[j];
        const double days = (a.at - p.at) / day;
        if (days > cfg.repeat_contact_days) break;
        if (p.contact_event && share_topic(p, a)) {
          out.push_back({p.contact_event, a.contact_event, "repeat_contact", common_topic(p, a), days});
          break;
        }
      }
    }
  }
  return out;
}

Status collect_ids(Store& store, const std::string& sql, const std::string& customer, std::set<std::int64_t>& out) {
  auto lease = store.connection().reuse(sql);
  if (!lease) return lease.error();
  sql::Statement* st = &**lease;
  st->bind(1, customer);
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.insert(st->int64(0));
  }
  return ok_status();
}

Status replace_links(Store& store, const std::string& customer, const std::vector<NewLink>& links,
                     std::set<std::int64_t>& changed) {
  const sql::Connection& db = store.connection();
  if (auto s = collect_ids(store, "SELECT from_event FROM journey_link WHERE customer_key = ?1 UNION "
                                  "SELECT to_event FROM journey_link WHERE customer_key = ?1", customer, changed); !s)
    return s;
  for (const char* q : {"DELETE FROM event_pain WHERE link_id IN (SELECT id FROM journey_link WHERE customer_key = ?1)",
                        "DELETE FROM journey_link WHERE customer_key = ?1"}) {
    auto st = db.reuse(q);
    if (!st) return st.error();
    (*st)->bind(1, customer);
    if (auto s = (*st)->run(); !s) return s;
  }
  auto ins_lease = db.reuse(
      "INSERT OR IGNORE INTO journey_link(customer_key, from_event, to_event, kind, topic, days)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!ins_lease) return ins_lease.error();
  auto has_lease = db.reuse("SELECT 1 FROM event_pain WHERE event_id = ?1 AND kind = ?2");
  if (!has_lease) return has_lease.error();
  auto pain_lease = db.reuse("INSERT INTO event_pain(event_id, kind, value, unit, link_id) VALUES (?1, ?2, 0, '', ?3)");
  if (!pain_lease) return pain_lease.error();
  sql::Statement* ins = &**ins_lease;
  sql::Statement* has = &**has_lease;
  sql::Statement* pain = &**pain_lease;
  for (const NewLink& l : links) {
    ins->bind(1, customer).bind(2, l.from).bind(3, l.to).bind(4, l.kind).bind(5, l.topic).bind(6, l.days);
    if (auto s = ins->run(); !s) return s;
    if (sqlite3_changes(db.handle()) == 0) continue;
    const std::int64_t link_id = db.last_insert_rowid();
    for (std::int64_t ev : {l.from, l.to}) {
      has->bind(1, ev).bind(2, l.kind);
      auto found = has->step();
      has->reset();
      if (!found) return found.error();
      if (*found) continue;  // invariant 2
      pain->bind(1, ev).bind(2, l.kind).bind(3, link_id);
      if (auto s = pain->run(); !s) return s;
      changed.insert(ev);
    }
  }
  return ok_status();
}

}  // namespace

Result<std::vector<std::string>> customers_of_run(Store& store, std::int64_t run_id) {
  auto st = store.connection().prepare(
      "SELECT DISTINCT customer_key FROM feedback WHERE run_id = ?1 AND customer_key <> '' ORDER BY customer_key");
  if (!st) return st.error();
  st->bind(1, run_id);
  std::vector<std::string> out;
  if (auto s = st->collect(out); !s) return s.error();
  return out;
}

Result<std::vector<std::int64_t>> events_of_customers(Store& store, const std::vector<std::string>& customers) {
  auto st = store.connection().prepare(
      "SELECT e.id FROM event e JOIN feedback f ON f.id = e.feedback_id WHERE f.customer_key = ?1");
  if (!st) return st.error();
  std::vector<std::int64_t> out;
  for (const std::string& c : customers) {
    st->reset();
    st->bind(1, c);
    if (auto s = st->collect(out); !s) return s.error();
  }
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

// The links of customers[from, to), read through `store`; a customer's links
// depend on its own history only, so any split of the list gives the same
// links.
Result<std::vector<std::vector<NewLink>>> links_of(Store& store, const std::vector<std::string>& customers,
                                                   std::size_t from, std::size_t to, const TopicMatcher& topics,
                                                   const JourneyLinks& cfg) {
  std::vector<std::vector<NewLink>> out;
  out.reserve(to - from);
  for (std::size_t i = from; i < to; ++i) {
    auto steps = load_steps(store, customers[i], topics);
    if (!steps) return steps.error();
    out.push_back(find_links(*steps, cfg));
  }
  return out;
}

// Below this many customers the second reader is not worth its start-up.
constexpr std::size_t kParallelLinkCustomers = 256;

}  // namespace

Result<LinkUpdate> update_journey_links(Store& store, const std::vector<std::string>& customers,
                                        const JourneyDefinition& def) {
  LinkUpdate out;
  if (customers.empty()) return out;
  TopicMatcher fallback;
  if (!def.topic_matcher) {
    auto m = TopicMatcher::compile(default_topics());
    if (!m) return m.error();
    fallback = std::move(m).value();
  }
  const TopicMatcher& topics = def.topic_matcher ? *def.topic_matcher : fallback;
  // Reading each customer's history (and tokenizing it for topics) is most
  // of the work, and every write waits for it: with many customers the
  // second half is read on a thread of its own, through a read-only
  // connection. Nothing is written before both halves are read, and the
  // caller has committed everything (no transaction is open), so both see
  // the same data.
  const std::size_t n = customers.size();
  const std::size_t half = n >= kParallelLinkCustomers ? n / 2 : n;
  Result<std::vector<std::vector<NewLink>>> second = std::vector<std::vector<NewLink>>{};
  std::thread reader;
  if (half < n)
    reader = std::thread([&] {
      try {
        auto other = Store::open(store.data_dir(), OpenMode::read_only);
        if (!other) {
          second = other.error();
          return;
        }
        second = links_of(*other, customers, half, n, topics, def.links);
      } catch (const std::exception& e) {
        second = make_error(ErrorKind::store, std::string("journey links: ") + e.what());
      }
    });
  Result<std::vector<std::vector<NewLink>>> first = std::vector<std::vector<NewLink>>{};
  try {
    first = links_of(store, customers, 0, half, topics, def.links);
  } catch (...) {
    if (reader.joinable()) reader.join();  // a joinable thread must not be destroyed
    throw;
  }
  if (reader.joinable()) reader.join();
  if (!first) return first.error();
  if (!second) return second.error();

  if (auto s = store.begin(); !s) return s.error();
  std::set<std::int64_t> changed;
  for (std::size_t i = 0; i < n; ++i) {
    const std::vector<NewLink>& links = i < half ? (*first)[i] : (*second)[i - half];
    for (const NewLink& l : links) ++(l.kind == "dead_end" ? out.dead_end : out.repeat_contact);
    if (auto s = replace_links(store, customers[i], links, changed); !s) {
      (void)store.rollback();
      return s.error();
    }
    ++out.customers;
  }
  if (auto s = store.commit(); !s) return s.error();
  out.changed_events.assign(changed.begin(), changed.end());
  return out;
}

Result<std::vector<LinkRow>> links_of_customer(Store& store, const std::string& customer) {
  auto st = store.connection().prepare(
      "SELECT l.id, l.from_event, l.to_event, l.kind, l.topic, l.days, a.feedback_id, a.ordinal, b.feedback_id,"
      " b.ordinal FROM journey_link l JOIN event a ON a.id = l.from_event JOIN event b ON b.id = l.to_event"
      " WHERE l.customer_key = ?1 ORDER BY l.from_event, l.to_event, l.kind");
  if (!st) return st.error();
  st->bind(1, customer);
  std::vector<LinkRow> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    LinkRow r;
    r.id = st->int64(0);
    r.from_event = st->int64(1);
    r.to_event = st->int64(2);
    r.kind = st->text(3);
    r.topic = st->text(4);
    r.days = st->real(5);
    r.from_feedback = st->text(6);
    r.from_ordinal = st->integer(7);
    r.to_feedback = st->text(8);
    r.to_ordinal = st->integer(9);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace cxmap
