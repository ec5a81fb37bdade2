// forget_customer / forget_before: select the feedback, delete each through
// Store::delete_feedback (tombstones for the index), in one transaction.
#include "db/forget.h"

#include <vector>

namespace cxmap {

namespace {

Result<std::vector<std::string>> ids_of(Store& store, const char* sql, const std::string& arg) {
  auto st = store.connection().prepare(sql);
  if (!st) return st.error();
  st->bind(1, arg);
  std::vector<std::string> out;
  if (auto s = st->collect(out); !s) return s.error();
  return out;
}

Result<std::int64_t> count(Store& store, const char* sql, const std::string& arg) {
  auto st = store.connection().prepare(sql);
  if (!st) return st.error();
  st->bind(1, arg);
  auto row = st->step();
  if (!row) return row.error();
  return st->int64(0);
}

// Runs the deletes with secure_delete on, commits, then checkpoints the WAL
// so the old pages leave the -wal file too.
Result<ForgetReport> forget(Store& store, const std::vector<std::string>& feedback_ids, const char* customers_sql,
                            const char* links_sql, const char* quarantine_sql, const std::string& arg) {
  const auto& db = store.connection();
  if (auto s = db.exec("PRAGMA secure_delete = ON"); !s) return s.error();
  ForgetReport report;
  auto customers = ids_of(store, customers_sql, arg);
  if (!customers) return customers.error();
  report.customers = std::move(*customers);
  if (auto s = store.begin(); !s) return s.error();
  auto fail = [&](const Error& e) -> Result<ForgetReport> {
    (void)store.rollback();
    return e;
  };
  auto links = count(store, links_sql, arg);
  if (!links) return fail(links.error());
  report.links = *links;
  for (const std::string& id : feedback_ids) {
    auto n = store.delete_feedback(id);
    if (!n) return fail(n.error());
    report.events += *n;
    ++report.feedback;
  }
  auto q = db.prepare(quarantine_sql);
  if (!q) return fail(q.error());
  q->bind(1, arg);
  if (auto s = q->run(); !s) return fail(s.error());
  report.quarantined = sqlite3_changes(db.handle());
  if (auto s = store.commit(); !s) return s.error();
  if (auto s = db.exec("PRAGMA wal_checkpoint(TRUNCATE)"); !s) return s.error();
  return report;
}

}  // namespace

Result<ForgetReport> forget_customer(Store& store, const std::string& customer_key) {
  if (customer_key.empty()) return make_error(ErrorKind::usage, "forget: an empty customer key matches nothing");
  auto ids = ids_of(store, "SELECT id FROM feedback WHERE customer_key = ?1 ORDER BY id", customer_key);
  if (!ids) return ids.error();
  return forget(store, *ids, "SELECT DISTINCT customer_key FROM feedback WHERE customer_key = ?1",
                "SELECT COUNT(*) FROM journey_link WHERE customer_key = ?1",
                // A rejected record has no customer key: its raw bytes are
                // searched for the key (an email address, an account id).
                "DELETE FROM quarantine WHERE instr(CAST(raw AS TEXT), ?1) > 0", customer_key);
}

Result<ForgetReport> forget_before(Store& store, const std::string& date) {
  if (date.size() < 10 || date[4] != '-' || date[7] != '-')
    return make_error(ErrorKind::usage, "forget: --before wants a date like 2026-01-31, got '" + date + "'");
  auto ids = ids_of(store, "SELECT id FROM feedback WHERE received_at <> '' AND received_at < ?1 ORDER BY id", date);
  if (!ids) return ids.error();
  return forget(store, *ids,
                "SELECT DISTINCT customer_key FROM feedback WHERE received_at <> '' AND received_at < ?1"
                " AND customer_key <> '' ORDER BY 1",
                "SELECT COUNT(*) FROM journey_link l JOIN event e ON e.id = l.from_event"
                " JOIN feedback f ON f.id = e.feedback_id WHERE f.received_at <> '' AND f.received_at < ?1",
                "DELETE FROM quarantine WHERE created_at < ?1", date);
}

}  // namespace cxmap
