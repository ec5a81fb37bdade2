// The SQLite store: migrations, ingest writes, runs, quarantine and reads.
#include "db/store.h"

#include "pipeline/redact.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "pipeline/json_text.h"

namespace cxmap {

namespace {

struct Migration {
  const char* name;
  const char* sql;
};

const Migration kMigrations[] = {
#include "db/migrations.inc"
};

int migration_number(const char* name) { return std::atoi(name); }

std::string emotions_json(const std::vector<std::pair<std::string, double>>& emotions) {
  std::string out = "{";
  for (std::size_t i = 0; i < emotions.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, emotions[i].first);
    out += ':';
    out += json_number(emotions[i].second);
  }
  out += '}';
  return out;
}

std::string metadata_json(const std::vector<std::pair<std::string, std::string>>& metadata) {
  std::string out = "{";
  for (std::size_t i = 0; i < metadata.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, metadata[i].first);
    out += ':';
    append_json_string(out, metadata[i].second);
  }
  out += '}';
  return out;
}

// Keeps the quarantine bounded: the reason and locator say what was wrong;
// the first bytes are enough to recognise the record.
constexpr std::size_t kMaxQuarantineBytes = 64 * 1024;

}  // namespace

std::string store_path(const std::string& data_dir) { return data_dir + "/cxmap.sqlite"; }
std::string index_path(const std::string& data_dir) { return data_dir + "/index"; }

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int Store::schema_version() {
  int v = 0;
  for (const auto& m : kMigrations) v = std::max(v, migration_number(m.name));
  return v;
}

Result<Store> Store::open(const std::string& data_dir, OpenMode mode) {
  namespace fs = std::filesystem;
  const bool rw = mode == OpenMode::read_write;
  std::error_code ec;
  if (rw) {
    fs::create_directories(data_dir, ec);
    if (ec)
      return make_error(ErrorKind::store, "cannot create data dir " + data_dir + ": " + ec.message());
    ::chmod(data_dir.c_str(), 0700);
  } else if (!fs::exists(store_path(data_dir))) {
    return make_error(ErrorKind::usage, "no cxmap store in " + data_dir +
                                            " (run `cxmap ingest` first, or pass --data DIR)");
  }
  auto conn = sql::Connection::open(store_path(data_dir), !rw);
  if (!conn) return conn.error();
  if (rw) ::chmod(store_path(data_dir).c_str(), 0600);
  Store store(std::move(*conn), data_dir);
  if (rw) {
    if (auto s = store.migrate(); !s) return s.error();
  } else {
    auto st = store.db_.prepare("PRAGMA user_version");
    if (!st) return st.error();
    auto row = st->step();
    if (!row) return row.error();
    int have = st->integer(0);
    if (have > schema_version())
      return make_error(ErrorKind::store, store_path(data_dir) + " has schema version " +
                                              std::to_string(have) + ", newer than this cxmap (" +
                                              std::to_string(schema_version()) + ")");
  }
  return store;
}

Status Store::migrate() {
  auto st = db_.prepare("PRAGMA user_version");
  if (!st) return st.error();
  auto row = st->step();
  if (!row) return row.error();
  const int have = st->integer(0);
  if (have > schema_version())
    return make_error(ErrorKind::store, db_.path() + " has schema version " + std::to_string(have) +
                                            ", newer than this cxmap (" +
                                            std::to_string(schema_version()) + ")");
  for (const auto& m : kMigrations) {
    const int n = migration_number(m.name);
    if (n <= have) continue;
    // A migration and its version bump commit together, or not at all.
    std::string script = std::string("BEGIN IMMEDIATE;\n") + m.sql + "\nPRAGMA user_version = " +
                         std::to_string(n) + ";\nCOMMIT;";
    if (auto s = db_.exec(script); !s) {
      (void)db_.exec("ROLLBACK");
      return make_error(ErrorKind::store, std::string("migration ") + m.name + ": " + s.error().message);
    }
  }
  return ok_status();
}

Status Store::begin() { return db_.exec("BEGIN IMMEDIATE"); }
Status Store::commit() { return db_.exec("COMMIT"); }
Status Store::rollback() { return db_.exec("ROLLBACK"); }
Status Store::checkpoint_wal() { return db_.exec("PRAGMA wal_checkpoint(PASSIVE)"); }

Result<bool> Store::has_feedback(const std::string& id) {
  if (!has_feedback_) {
    auto st = db_.prepare("SELECT 1 FROM feedback WHERE id = ?1");
    if (!st) return st.error();
    has_feedback_ = std::move(*st);
  }
  has_feedback_->bind(1, id);
  auto row = has_feedback_->step();
  has_feedback_->reset();
  if (!row) return row.error();
  return *row;
}

Result<std::optional<std::string>> Store::stored_revision(const std::string& id) {
  if (!stored_revision_) {
    auto st = db_.prepare("SELECT revision FROM feedback WHERE id = ?1");
    if (!st) return st.error();
    stored_revision_ = std::move(*st);
  }
  stored_revision_->bind(1, id);
  auto row = stored_revision_->step();
  if (!row) {
    stored_revision_->reset();
    return row.error();
  }
  std::optional<std::string> out;
  if (*row) out = stored_revision_->text(0);
  stored_revision_->reset();
  return out;
}

Result<int> Store::delete_feedback(const std::string& id) {
  const char* steps[] = {
      "INSERT INTO store_meta(key, value) SELECT 'event_id_floor', MAX(id) FROM event WHERE feedback_id = ?1"
      " HAVING MAX(id) IS NOT NULL ON CONFLICT(key) DO UPDATE SET value = MAX(value, excluded.value)",
      "INSERT OR IGNORE INTO index_tombstone(event_id) SELECT id FROM event WHERE feedback_id = ?1",
      "DELETE FROM feedback WHERE id = ?1",
  };
  int deleted = 0;
  for (const char* sql : steps) {
    auto st = db_.prepare(sql);
    if (!st) return st.error();
    st->bind(1, id);
    if (auto s = st->run(); !s) return s.error();
    if (sql == steps[1]) deleted = sqlite3_changes(db_.handle());
  }
  return deleted;
}

Result<std::vector<std::int64_t>> Store::tombstones() {
  auto st = db_.prepare("SELECT event_id FROM index_tombstone ORDER BY event_id");
  if (!st) return st.error();
  std::vector<std::int64_t> out;
  if (auto s = st->collect(out); !s) return s.error();
  return out;
}

Status Store::clear_tombstones(std::int64_t up_to_event_id) {
  auto st = db_.prepare("DELETE FROM index_tombstone WHERE event_id <= ?1");
  if (!st) return st.error();
  st->bind(1, up_to_event_id);
  return st->run();
}

Result<int> Store::insert_feedback(const AnalyzedFeedback& fb, std::int64_t run_id) {
  if (!insert_feedback_) {
    auto a = db_.prepare(
        "INSERT OR IGNORE INTO feedback(id, source, channel, external_id, customer_key, received_at,"
        " subject, language, nps, csat, ces, text, metadata, invalid_utf8, run_id, revision)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
    if (!a) return a.error();
    auto b = db_.prepare(
        "INSERT INTO event(id, feedback_id, ordinal, speaker, start_offset, end_offset, sentence,"
        " compound, pos, neu, neg, emotion, emotions, touchpoint, stage)"
        " VALUES (MAX(COALESCE((SELECT MAX(id) FROM event), 0),"  // never reuse a deleted id: 003
        "             COALESCE((SELECT value FROM store_meta WHERE key = 'event_id_floor'), 0)) + 1,"
        "         ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    if (!b) return b.error();
    auto c = db_.prepare("INSERT INTO event_pain(event_id, kind, value, unit) VALUES (?1, ?2, ?3, ?4)");
    if (!c) return c.error();
    insert_feedback_ = std::move(*a);
    insert_event_ = std::move(*b);
    insert_pain_ = std::move(*c);
  }
  const RawFeedback& raw = fb.raw;
  auto& f = *insert_feedback_;
  f.bind(1, fb.id).bind(2, raw.source).bind(3, raw.channel).bind(4, raw.external_id);
  f.bind(5, raw.customer_key).bind(6, raw.received_at).bind(7, raw.subject).bind(8, fb.language);
  f.bind(9, raw.nps).bind(10, raw.csat).bind(11, raw.ces).bind(12, fb.text);
  f.bind(13, metadata_json(raw.metadata)).bind(14, fb.invalid_utf8).bind(15, run_id).bind(16, raw.revision);
  if (auto s = f.run(); !s) return s.error();
  if (sqlite3_changes(db_.handle()) == 0) return 0;  // already stored: invariant 2

  int written = 0;
  for (const Event& e : fb.events) {
    auto& ev = *insert_event_;
    ev.bind(1, fb.id).bind(2, e.ordinal).bind(3, speaker_name(e.speaker));
    ev.bind(4, static_cast<std::int64_t>(e.start)).bind(5, static_cast<std::int64_t>(e.end));
    ev.bind(6, e.sentence).bind(7, e.sentiment.compound).bind(8, e.sentiment.pos);
    ev.bind(9, e.sentiment.neu).bind(10, e.sentiment.neg).bind(11, e.emotion);
    ev.bind(12, emotions_json(e.emotions)).bind(13, e.touchpoint).bind(14, e.stage);
    if (auto s = ev.run(); !s) return s.error();
    const std::int64_t event_id = db_.last_insert_rowid();
    for (const PainPoint& p : e.pains) {
      auto& pn = *insert_pain_;
      pn.bind(1, event_id).bind(2, p.kind).bind(3, p.value).bind(4, p.unit);
      if (auto s = pn.run(); !s) return s.error();
    }
    ++written;
  }
  return written;
}

Result<bool> Store::quarantine(const Quarantined& q, std::int64_t run_id) {
  if (!insert_quarantine_) {
    auto st = db_.prepare(
        "INSERT OR IGNORE INTO quarantine(run_id, source, locator, checksum, reason, raw, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st) return st.error();
    insert_quarantine_ = std::move(*st);
  }
  auto& st = *insert_quarantine_;
  std::string_view raw(q.raw);
  if (raw.size() > kMaxQuarantineBytes) raw = raw.substr(0, kMaxQuarantineBytes);
  st.bind(1, run_id).bind(2, q.source).bind(3, q.locator).bind(4, content_hash(q.raw));
  st.bind(5, q.reason).bind_blob(6, raw).bind(7, utc_now());
  if (auto s = st.run(); !s) return s.error();
  return sqlite3_changes(db_.handle()) > 0;
}

Result<std::string> Store::load_cursor(const std::string& source) {
  auto st = db_.prepare("SELECT cursor FROM source_cursor WHERE source = ?1");
  if (!st) return st.error();
  st->bind(1, source);
  auto row = st->step();
  if (!row) return row.error();
  return *row ? st->text(0) : std::string();
}

Status Store::save_cursor(const std::string& source, const std::string& cursor) {
  auto st = db_.prepare(
      "INSERT INTO source_cursor(source, cursor, updated_at) VALUES (?1, ?2, ?3)"
      " ON CONFLICT(source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at");
  if (!st) return st.error();
  st->bind(1, source).bind(2, cursor).bind(3, utc_now());
  return st->run();
}

Result<std::int64_t> Store::begin_run(const std::string& sources) {
  auto st = db_.prepare("INSERT INTO ingest_run(started_at, sources) VALUES (?1, ?2)");
  if (!st) return st.error();
  st->bind(1, utc_now()).bind(2, sources);
  if (auto s = st->run(); !s) return s.error();
  return db_.last_insert_rowid();
}

Result<std::vector<std::int64_t>> Store::unfinished_runs() {
  auto st = db_.prepare("SELECT id FROM ingest_run WHERE status = 'running' ORDER BY id");
  if (!st) return st.error();
  std::vector<std::int64_t> out;
  if (auto s = st->collect(out); !s) return s.error();
  return out;
}

Status Store::mark_interrupted(std::int64_t run_id) {
  auto st = db_.prepare("UPDATE ingest_run SET status = 'interrupted' WHERE id = ?1");
  if (!st) return st.error();
  st->bind(1, run_id);
  return st->run();
}

Status Store::finish_run(std::int64_t run_id, const IngestCounts& c, const std::string& status) {
  auto st = db_.prepare(
      "UPDATE ingest_run SET finished_at = ?2, status = ?3, read_n = ?4, ingested_n = ?5,"
      " duplicate_n = ?6, quarantined_n = ?7, events_n = ?8, redacted = ?9 WHERE id = ?1");
  if (!st) return st.error();
  std::string redacted = "{";
  for (std::size_t t = 0; t < kRedactionTypes; ++t) {
    if (c.redacted[t] == 0) continue;
    if (redacted.size() > 1) redacted += ", ";
    redacted += std::string("\"") + redaction_type_name(static_cast<RedactionType>(t)) +
                "\": " + std::to_string(c.redacted[t]);
  }
  redacted += "}";
  st->bind(1, run_id).bind(2, utc_now()).bind(3, status).bind(4, c.read).bind(5, c.ingested);
  st->bind(6, c.duplicate).bind(7, c.quarantined).bind(8, c.events).bind(9, redacted);
  return st->run();
}

Result<StoreStats> Store::stats() {
  StoreStats s;
  auto scalar = [&](const char* q) -> Result<std::int64_t> {
    auto st = db_.prepare(q);
    if (!st) return st.error();
    auto row = st->step();
    if (!row) return row.error();
    return *row ? st->int64(0) : 0;
  };
  struct {
    const char* q;
    std::int64_t* out;
  } scalars[] = {
      {"SELECT COUNT(*) FROM feedback", &s.feedback},
      {"SELECT COUNT(*) FROM event", &s.events},
      {"SELECT COUNT(*) FROM event WHERE speaker = 'customer'", &s.customer_events},
      {"SELECT COUNT(*) FROM quarantine", &s.quarantined},
      {"SELECT COUNT(*) FROM ingest_run", &s.runs},
  };
  for (auto& sc : scalars) {
    auto v = scalar(sc.q);
    if (!v) return v.error();
    *sc.out = *v;
  }
  auto grouped = [&](const char* q, std::vector<std::pair<std::string, std::int64_t>>& out) -> Status {
    auto st = db_.prepare(q);
    if (!st) return st.error();
    for (;;) {
      auto row = st->step();
      if (!row) return row.error();
      if (!*row) break;
      out.emplace_back(st->text(0), st->int64(1));
    }
    return ok_status();
  };
  if (auto r = grouped("SELECT channel, COUNT(*) FROM feedback GROUP BY channel ORDER BY channel", s.by_channel); !r)
    return r.error();
  if (auto r = grouped("SELECT source, COUNT(*) FROM feedback GROUP BY source ORDER BY source", s.by_source); !r)
    return r.error();
  auto st = db_.prepare(
      "SELECT id, status, read_n, ingested_n, duplicate_n, quarantined_n, events_n"
      " FROM ingest_run ORDER BY id DESC LIMIT 1");
  if (!st) return st.error();
  auto row = st->step();
  if (!row) return row.error();
  if (*row) {
    s.last_run_id = st->int64(0);
    s.last_run_status = st->text(1);
    s.last_run = IngestCounts{st->int64(2), st->int64(3), st->int64(4), st->int64(5), st->int64(6)};
  }
  return s;
}

Result<std::int64_t> Store::max_event_id() {
  auto st = db_.prepare("SELECT COALESCE(MAX(id), 0) FROM event");
  if (!st) return st.error();
  auto row = st->step();
  if (!row) return row.error();
  return st->int64(0);
}

static constexpr const char* kEventRowSelect =
    "SELECT e.id, e.feedback_id, e.ordinal, e.speaker, e.sentence, e.emotion, e.touchpoint,"
    " e.stage, e.compound, f.source, f.channel, f.customer_key, f.received_at, f.language,"
    " f.subject, f.nps, f.csat,"
    // Most events have no pain point: the pains are loaded (one more
    // statement) only for those that have one.
    " EXISTS (SELECT 1 FROM event_pain p WHERE p.event_id = e.id)"
    " FROM event e JOIN feedback f ON f.id = e.feedback_id ";

static EventRow read_event_row(const sql::Statement& st) {
  EventRow r;
  r.event_id = st.int64(0);
  r.feedback_id = st.text(1);
  r.ordinal = st.integer(2);
  r.speaker = st.text(3);
  r.sentence = st.text(4);
  r.emotion = st.text(5);
  r.touchpoint = st.text(6);
  r.stage = st.text(7);
  r.compound = st.real(8);
  r.source = st.text(9);
  r.channel = st.text(10);
  r.customer_key = st.text(11);
  r.received_at = st.text(12);
  r.language = st.text(13);
  r.subject = st.text(14);
  r.nps = st.opt_int(15);
  r.csat = st.opt_int(16);
  return r;
}

// Whether the row read by kEventRowSelect has pain points to load.
static bool row_has_pains(const sql::Statement& st) { return st.integer(17) != 0; }

Status Store::load_pains(EventRow& row) {
  if (!pains_of_) {
    auto st = db_.prepare("SELECT kind, value, unit FROM event_pain WHERE event_id = ?1 ORDER BY rowid");
    if (!st) return st.error();
    pains_of_ = std::move(*st);
  }
  pains_of_->bind(1, row.event_id);
  for (;;) {
    auto r = pains_of_->step();
    if (!r) {
      pains_of_->reset();
      return r.error();
    }
    if (!*r) break;
    row.pains.push_back(PainPoint{pains_of_->text(0), pains_of_->real(1), pains_of_->text(2)});
  }
  pains_of_->reset();
  return ok_status();
}

Status Store::each_event_row(sql::Statement& st, const std::function<Status(const EventRow&)>& fn) {
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) break;
    EventRow r = read_event_row(st);
    if (row_has_pains(st))
      if (auto s = load_pains(r); !s) return s;
    if (auto s = fn(r); !s) return s;
  }
  return ok_status();
}

Status Store::for_each_event_after(std::int64_t after_id,
                                   const std::function<Status(const EventRow&)>& fn) {
  auto st = db_.prepare(std::string(kEventRowSelect) + "WHERE e.id > ?1 ORDER BY e.id");
  if (!st) return st.error();
  st->bind(1, after_id);
  return each_event_row(*st, fn);
}

Status Store::for_each_shard_event(std::int64_t after_id, std::int64_t up_to, int shards, int shard,
                                  const std::function<Status(const EventRow&)>& fn) {
  auto st = db_.prepare(std::string(kEventRowSelect) +
                        "WHERE e.id > ?1 AND e.id <= ?2 AND (e.id - 1) % ?3 = ?4 ORDER BY e.id");
  if (!st) return st.error();
  st->bind(1, after_id).bind(2, up_to).bind(3, shards).bind(4, shard);
  return each_event_row(*st, fn);
}

Result<std::optional<EventRow>> Store::event(std::int64_t event_id) {
  auto lease = db_.reuse(std::string(kEventRowSelect) + "WHERE e.id = ?1");
  if (!lease) return lease.error();
  sql::Statement* st = &**lease;
  st->bind(1, event_id);
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return std::optional<EventRow>{};
  EventRow r = read_event_row(*st);
  if (row_has_pains(*st))
    if (auto s = load_pains(r); !s) return s.error();
  return std::optional<EventRow>{std::move(r)};
}

Result<std::vector<EventRow>> Store::events_of(const std::string& feedback_id) {
  auto lease = db_.reuse(std::string(kEventRowSelect) + "WHERE e.feedback_id = ?1 ORDER BY e.ordinal");
  if (!lease) return lease.error();
  sql::Statement* st = &**lease;
  st->bind(1, feedback_id);
  std::vector<EventRow> out;
  std::vector<char> has_pains;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(read_event_row(*st));
    has_pains.push_back(row_has_pains(*st) ? 1 : 0);
  }
  for (std::size_t i = 0; i < out.size(); ++i)
    if (has_pains[i])
      if (auto s = load_pains(out[i]); !s) return s.error();
  return out;
}

Result<std::optional<FeedbackRow>> Store::feedback(const std::string& id) {
  auto st = db_.prepare(
      "SELECT id, source, channel, external_id, customer_key, received_at, subject, language,"
      " text, metadata, nps, csat, ces, invalid_utf8 FROM feedback WHERE id = ?1");
  if (!st) return st.error();
  st->bind(1, id);
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return std::optional<FeedbackRow>{};
  FeedbackRow f;
  f.id = st->text(0);
  f.source = st->text(1);
  f.channel = st->text(2);
  f.external_id = st->text(3);
  f.customer_key = st->text(4);
  f.received_at = st->text(5);
  f.subject = st->text(6);
  f.language = st->text(7);
  f.text = st->text(8);
  f.metadata = st->text(9);
  f.nps = st->opt_int(10);
  f.csat = st->opt_int(11);
  f.ces = st->opt_int(12);
  f.invalid_utf8 = st->integer(13);
  return std::optional<FeedbackRow>{std::move(f)};
}

Result<std::vector<QuarantineRow>> Store::quarantined(int limit) {
  auto st = db_.prepare(
      "SELECT id, run_id, source, locator, checksum, reason, created_at FROM quarantine"
      " ORDER BY id LIMIT ?1");
  if (!st) return st.error();
  st->bind(1, limit);
  std::vector<QuarantineRow> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(QuarantineRow{st->int64(0), st->int64(1), st->text(2), st->text(3), st->text(4),
                                st->text(5), st->text(6)});
  }
  return out;
}

}  // namespace cxmap
