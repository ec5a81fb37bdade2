// verify_data_dir: store checks, then every event against its document.
#include "db/verify.h"

#include <xapian.h>

#include <set>

#include "db/fields.h"
#include "db/index.h"

namespace cxmap {

namespace {

class Problems {
 public:
  Problems(VerifyReport& report, int max) : report_(report), max_(max) {}
  void add(const std::string& line) {
    if (report_.problem_count++ < max_) report_.problems.push_back(line);
  }

 private:
  VerifyReport& report_;
  int max_;
};

std::string filter_term(std::string_view field, std::string_view value) {
  return std::string(find_field(field)->term_prefix) + std::string(value);
}

Status check_store(Store& store, VerifyReport& report, Problems& problems) {
  const auto& db = store.connection();
  auto integrity = db.prepare("PRAGMA integrity_check");
  if (!integrity) return integrity.error();
  for (;;) {
    auto row = integrity->step();
    if (!row) return row.error();
    if (!*row) break;
    if (integrity->text(0) != "ok") problems.add("sqlite integrity: " + integrity->text(0));
  }
  auto fk = db.prepare("PRAGMA foreign_key_check");
  if (!fk) return fk.error();
  for (;;) {
    auto row = fk->step();
    if (!row) return row.error();
    if (!*row) break;
    problems.add("sqlite foreign key: table " + fk->text(0) + " row " + fk->text(1) + " has no " + fk->text(2));
  }
  auto runs = db.prepare(
      "SELECT id, status, read_n, ingested_n, duplicate_n, quarantined_n FROM ingest_run ORDER BY id");
  if (!runs) return runs.error();
  for (;;) {
    auto row = runs->step();
    if (!row) return row.error();
    if (!*row) break;
    const std::string status = runs->text(1);
    if (status == "running" || status == "interrupted") {
      ++report.runs_interrupted;
      continue;
    }
    ++report.runs_checked;
    const std::int64_t read = runs->int64(2), sum = runs->int64(3) + runs->int64(4) + runs->int64(5);
    if (read != sum)
      problems.add("run " + runs->text(0) + ": read " + std::to_string(read) +
                   " != ingested + duplicate + quarantined " + std::to_string(sum));
  }
  auto counts = db.prepare("SELECT (SELECT COUNT(*) FROM feedback), (SELECT COUNT(*) FROM event)");
  if (!counts) return counts.error();
  if (auto row = counts->step(); !row) return row.error();
  report.feedback = counts->int64(0);
  report.events = counts->int64(1);
  return ok_status();
}

// The terms an event's document must hold, beyond its free text.
std::vector<std::string> expected_terms(const EventRow& e) {
  std::vector<std::string> terms = {
      std::string(kIdTermPrefix) + std::to_string(e.event_id),
      filter_term("stage", e.stage),
      filter_term("touchpoint", e.touchpoint),
      filter_term("emotion", e.emotion),
      filter_term("channel", e.channel),
      filter_term("speaker", e.speaker),
      filter_term("source", e.source),
      filter_term("feedback", e.feedback_id),
  };
  for (const PainPoint& p : e.pains) terms.push_back(filter_term("pain", p.kind));
  return terms;
}

}  // namespace

Result<VerifyReport> verify_data_dir(Store& store, const std::string& data_dir, int max_problems) {
  VerifyReport report;
  Problems problems(report, max_problems);
  if (auto s = check_store(store, report, problems); !s) return s.error();
  auto max_id = store.max_event_id();
  if (!max_id) return max_id.error();
  report.store_max_event_id = *max_id;

  auto db = open_index_readonly(data_dir);
  if (!db) return db.error();
  // One bit per event id: bounded memory even for millions of events.
  std::vector<bool> seen(static_cast<std::size_t>(report.store_max_event_id) + 1, false);
  std::int64_t seen_n = 0;
  auto s = xapian_guard("reading index", [&] {
    report.documents = db->get_doccount();
    const std::string last = db->get_metadata("last_event_id");
    report.index_last_event_id = last.empty() ? 0 : std::stoll(last);
  });
  if (!s) return s.error();
  if (report.index_last_event_id != report.store_max_event_id)
    problems.add("index last_event_id " + std::to_string(report.index_last_event_id) + " != store's last event " +
                 std::to_string(report.store_max_event_id));

  // Pain kinds are compared as sets: the pain prefix is shared by all kinds.
  const std::string pain_prefix(find_field("pain")->term_prefix);
  auto walked = store.for_each_event_after(0, [&](const EventRow& e) -> Status {
    const auto docid = static_cast<Xapian::docid>(e.event_id);
    return xapian_guard("reading document " + std::to_string(e.event_id), [&] {
      Xapian::Document doc;
      try {
        doc = db->get_document(docid);
      } catch (const Xapian::DocNotFoundError&) {
        problems.add("event " + std::to_string(e.event_id) + " (" + e.feedback_id + " #" +
                     std::to_string(e.ordinal) + "): no document in the index");
        return;
      }
      seen[docid] = true;
      ++seen_n;
      std::set<std::string> pains_in_doc;
      for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        const std::string term = *t;
        if (term.compare(0, pain_prefix.size(), pain_prefix) == 0) pains_in_doc.insert(term);
      }
      std::set<std::string> pains_in_store;
      for (const std::string& term : expected_terms(e)) {
        if (term.compare(0, pain_prefix.size(), pain_prefix) == 0) {
          pains_in_store.insert(term);
          continue;
        }
        auto it = doc.termlist_begin();
        it.skip_to(term);
        if (it == doc.termlist_end() || *it != term)
          problems.add("event " + std::to_string(e.event_id) + ": document lacks term " + term);
      }
      if (pains_in_doc != pains_in_store)
        problems.add("event " + std::to_string(e.event_id) + ": document pains differ from the store's");
    });
  });
  if (!walked) return walked.error();

  if (seen_n != report.documents) {
    auto extra = xapian_guard("listing documents", [&] {
      for (auto it = db->postlist_begin(""); it != db->postlist_end(""); ++it)
        if (*it >= seen.size() || !seen[*it]) problems.add("document " + std::to_string(*it) + ": no such event in the store");
    });
    if (!extra) return extra.error();
  }
  return report;
}

}  // namespace cxmap
