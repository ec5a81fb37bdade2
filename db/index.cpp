// The Xapian index: documents built from store events, and catch-up from the store.
#include "db/index.h"

#include <filesystem>

#include "db/fields.h"

namespace cxmap {

namespace {

constexpr const char* kLastEventKey = "last_event_id";
constexpr const char* kSchemaKey = "cxmap_schema";
// The document layout's version: what the index stores, independent of the
// store's migration number (a store migration that does not change documents
// must not force a reindex). Bump when terms, values or data change.
constexpr int kIndexFormat = 2;

std::string term(std::string_view field, std::string_view value) {
  const Field* f = find_field(field);
  return std::string(f->term_prefix) + std::string(value);
}

const char* sentiment_term(double compound) {
  return compound >= 0.05 ? "pos" : compound <= -0.05 ? "neg" : "neu";
}

}  // namespace

Status xapian_guard(const std::string& what, const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Xapian::Error& e) {
    return make_error(ErrorKind::store, what + ": " + e.get_description());
  }
  return ok_status();
}

std::string date_value(const std::string& iso) {
  // Accept "YYYY-MM-DD..." only; anything else is unknown.
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return "";
  std::string digits;
  digits.reserve(8);
  digits.append(iso, 0, 4).append(iso, 5, 2).append(iso, 8, 2);
  for (char c : digits)
    if (c < '0' || c > '9') return "";  // search's date column holds numbers
  return digits;
}

Index::Index(std::unique_ptr<Xapian::WritableDatabase> db) : db_(std::move(db)) {
  termgen_ = std::make_unique<Xapian::TermGenerator>();
  termgen_->set_stemmer(Xapian::Stem("english"));
  termgen_->set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
}

Result<Index> Index::open_writable(const std::string& data_dir) {
  std::unique_ptr<Xapian::WritableDatabase> db;
  std::int64_t last = 0;
  const std::string path = index_path(data_dir);
  std::string schema;
  auto s = xapian_guard("opening index " + path, [&] {
    db = std::make_unique<Xapian::WritableDatabase>(path, Xapian::DB_CREATE_OR_OPEN);
    std::string v = db->get_metadata(kLastEventKey);
    last = v.empty() ? 0 : std::stoll(v);
    schema = db->get_metadata(kSchemaKey);
  });
  if (!s) return s.error();
  if (!schema.empty() && schema != std::to_string(kIndexFormat))
    return make_error(ErrorKind::store, path + " was built for index format " + schema + ", this cxmap uses " +
                                            std::to_string(kIndexFormat) +
                                            ": run `cxmap reindex`");
  Index index(std::move(db));
  index.last_event_id_ = last;
  return index;
}

Status Index::add(const EventRow& r) {
  return xapian_guard("indexing event " + std::to_string(r.event_id), [&] {
    Xapian::Document doc;
    termgen_->set_document(doc);
    termgen_->index_text(r.sentence);
    doc.add_boolean_term(std::string(kIdTermPrefix).append(std::to_string(r.event_id)));
    doc.add_boolean_term(term("stage", r.stage));
    doc.add_boolean_term(term("touchpoint", r.touchpoint));
    doc.add_boolean_term(term("emotion", r.emotion));
    doc.add_boolean_term(term("channel", r.channel));
    doc.add_boolean_term(term("speaker", r.speaker));
    doc.add_boolean_term(term("source", r.source));
    doc.add_boolean_term(term("sentiment", sentiment_term(r.compound)));
    doc.add_boolean_term(term("lang", r.language));
    doc.add_boolean_term(term("feedback", r.feedback_id));
    if (!r.customer_key.empty()) doc.add_boolean_term(term("customer", r.customer_key));
    for (const PainPoint& p : r.pains) doc.add_boolean_term(term("pain", p.kind));

    doc.add_value(slot_feedback_id, r.feedback_id);
    const std::string date = date_value(r.received_at);
    if (!date.empty()) doc.add_value(slot_date, date);
    doc.add_value(slot_compound, Xapian::sortable_serialise(r.compound));
    if (r.nps) doc.add_value(slot_nps, Xapian::sortable_serialise(*r.nps));
    if (r.csat) doc.add_value(slot_csat, Xapian::sortable_serialise(*r.csat));
    doc.add_value(slot_stage, r.stage);
    doc.add_value(slot_touchpoint, r.touchpoint);
    doc.add_value(slot_emotion, r.emotion);
    doc.add_value(slot_channel, r.channel);
    if (!r.pains.empty()) doc.add_value(slot_pain, r.pains.front().kind);
    doc.set_data(std::to_string(r.event_id));
    db_->replace_document(static_cast<Xapian::docid>(r.event_id), doc);
  });
}

std::int64_t rewrite_count(const Xapian::Database& db) {
  const std::string n = db.get_metadata(kRewritesKey);
  return n.empty() ? 0 : std::stoll(n);
}

Status Index::note_rewrite(const std::vector<std::int64_t>& event_ids) {
  return xapian_guard("marking rewritten documents", [&] {
    const std::int64_t next = rewrite_count(*db_) + 1;
    // Past this many a reader reloads everything anyway.
    constexpr std::size_t kMaxListed = 100000;
    std::string list;
    if (event_ids.size() > kMaxListed) {
      list = "*";
    } else {
      for (std::int64_t id : event_ids) {
        if (!list.empty()) list += ',';
        list += std::to_string(id);
      }
    }
    db_->set_metadata(std::string(kRewriteListPrefix).append(std::to_string(next)), list.empty() ? "-" : list);
    if (next > kRewriteListsKept)
      db_->set_metadata(std::string(kRewriteListPrefix).append(std::to_string(next - kRewriteListsKept)), "");
    db_->set_metadata(kRewritesKey, std::to_string(next));
  });
}

Status Index::commit(std::int64_t last_event_id) {
  auto s = xapian_guard("committing index", [&] {
    db_->set_metadata(kLastEventKey, std::to_string(last_event_id));
    db_->set_metadata(kSchemaKey, std::to_string(kIndexFormat));
    db_->commit();
  });
  if (s) last_event_id_ = last_event_id;
  return s;
}

Result<Xapian::Database> open_index_readonly(const std::string& data_dir) {
  const std::string path = index_path(data_dir);
  if (!std::filesystem::exists(path))
    return make_error(ErrorKind::usage, "no index in " + data_dir + " (run `cxmap ingest` first)");
  Xapian::Database db;
  auto s = xapian_guard("opening index " + path, [&] { db = Xapian::Database(path); });
  if (!s) return s.error();
  return db;
}

namespace {

// Deletes tombstoned documents, commits, and only then clears the tombstones:
// a kill in between repeats the (idempotent) deletes next time.
Status apply_tombstones(Store& store, Index& index) {
  auto ids = store.tombstones();
  if (!ids) return ids.error();
  if (ids->empty()) return ok_status();
  auto s = xapian_guard("deleting replaced events", [&] {
    for (std::int64_t id : *ids) {
      try {
        index.database().delete_document(static_cast<Xapian::docid>(id));
      } catch (const Xapian::DocNotFoundError&) {
        // never indexed (the batch that stored it was replaced before a catch-up)
      }
    }
  });
  if (!s) return s;
  if (auto r = index.note_rewrite(*ids); !r) return r;
  if (auto c = index.commit(index.last_event_id()); !c) return c;
  return store.clear_tombstones(ids->back());
}

}  // namespace

Result<std::int64_t> sync_index(Store& store, Index& index, std::int64_t batch_size) {
  if (auto t = apply_tombstones(store, index); !t) return t.error();
  return index_new_events(store, index, batch_size);
}

Result<std::int64_t> index_new_events(Store& store, Index& index, std::int64_t batch_size) {
  std::int64_t done = 0, last = index.last_event_id();
  auto s = store.for_each_event_after(last, [&](const EventRow& row) -> Status {
    if (auto a = index.add(row); !a) return a;
    last = row.event_id;
    if (++done % batch_size == 0) return index.commit(last);
    return ok_status();
  });
  if (!s) return s.error();
  if (auto c = index.commit(last); !c) return c.error();
  return done;
}

Result<std::int64_t> reindex_events(Store& store, Index& index, const std::vector<std::int64_t>& event_ids) {
  std::int64_t done = 0;
  std::vector<std::int64_t> rewritten;
  for (std::int64_t id : event_ids) {
    if (id > index.last_event_id()) continue;  // sync_index will add it
    rewritten.push_back(id);
    auto row = store.event(id);
    if (!row) return row.error();
    if (*row) {
      if (auto a = index.add(**row); !a) return a.error();
    } else if (auto d = xapian_guard("removing event " + std::to_string(id),
                                     [&] { index.database().delete_document(static_cast<Xapian::docid>(id)); });
               !d) {
      return d.error();
    }
    ++done;
  }
  if (done > 0)
    if (auto r = index.note_rewrite(rewritten); !r) return r.error();
  if (auto c = index.commit(index.last_event_id()); !c) return c.error();
  return done;
}

}  // namespace cxmap
