// Forgetting: removing a customer's data on request, or everything older
// than a retention date, from the store and (through the tombstones) the
// index.
//
// Everything goes in one transaction: every feedback of the customer (or
// received before the date) with its events, pains and journey links, and
// the quarantined records whose raw bytes name the customer (a rejected email
// of theirs) or that were quarantined before the date. SQLite's secure_delete
// is on for the transaction, so freed pages are zeroed, and the WAL is
// checkpointed and truncated afterwards: no byte of what was removed stays in
// the SQLite files. The index's documents are deleted by the next catch-up;
// Xapian may keep old blocks until the index is rebuilt, which is why the
// command offers --purge (rebuild the index from the store).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/store.h"

namespace cxmap {

struct ForgetReport {
  std::int64_t feedback = 0, events = 0, links = 0, quarantined = 0;
  // Customers of the removed feedback: their remaining feedback (forget
  // --before) needs its journey links recomputed.
  std::vector<std::string> customers;
};

// Removes every trace of one customer key (already normalised).
Result<ForgetReport> forget_customer(Store& store, const std::string& customer_key);

// Removes feedback received before `date` (ISO-8601, compared as text, so
// "2026-01-01" means before that day) and quarantine rows created before it.
// Feedback with no received date is kept.
Result<ForgetReport> forget_before(Store& store, const std::string& date);

}  // namespace cxmap
