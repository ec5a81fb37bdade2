// The Xapian index: documents built from store events, and catch-up from the store.
#include "db/index.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "db/cached_stem.h"
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

namespace {

std::string shard_dir_name(int k) { return "shard" + std::to_string(k); }

// "remote :HOST:PORT" (Xapian's stub syntax for TCP) or "remote HOST:PORT".
bool parse_remote(std::string_view spec, ShardLocation& out) {
  if (!spec.empty() && spec.front() == ':') spec.remove_prefix(1);
  const auto colon = spec.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string port(spec.substr(colon + 1));
  if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5) return false;
  out.host = std::string(spec.substr(0, colon));
  out.port = std::stoi(port);
  return out.port > 0 && out.port < 65536;
}

}  // namespace

namespace {

// Xapian writes a glass database's version file ("iamglass") after its
// tables, so a process killed while creating one leaves tables without it,
// and Xapian then neither opens nor creates over them. Such a database
// never committed anything. (A directory with another backend's version
// file is a finished database of that backend.)
bool unfinished_database(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return false;
  for (const char* version_file : {"/iamglass", "/iamchert", "/iamhoney"})
    if (fs::exists(path + version_file, ec)) return false;
  return true;
}

// Removes the table files of an unfinished database, so it is created
// afresh; other files are left alone.
Status clear_unfinished_database(const std::string& path) {
  namespace fs = std::filesystem;
  if (!unfinished_database(path)) return ok_status();
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(path, ec)) {
    const std::string name = e.path().filename().string();
    if (!name.ends_with(".glass") && name != "flintlock") continue;
    std::error_code rm;
    fs::remove(e.path(), rm);
    if (rm)
      return make_error(ErrorKind::store, "cannot remove " + e.path().string() +
                                              " (left by an interrupted index creation): " + rm.message());
  }
  if (ec) return make_error(ErrorKind::store, "cannot read " + path + ": " + ec.message());
  return ok_status();
}

}  // namespace

Result<std::vector<ShardLocation>> index_shards(const std::string& data_dir) {
  namespace fs = std::filesystem;
  const std::string dir = index_path(data_dir);
  std::error_code ec;
  if (!fs::exists(dir, ec)) return std::vector<ShardLocation>{};
  const std::string list_path = dir + "/" + kShardListFile;
  if (!fs::exists(list_path, ec)) {
    // Neither a shard list nor a finished database: an index whose
    // creation was interrupted, which holds nothing yet.
    if (unfinished_database(dir)) return std::vector<ShardLocation>{};
    return std::vector<ShardLocation>{ShardLocation{dir, "", 0}};
  }
  std::ifstream in(list_path);
  if (!in) return make_error(ErrorKind::store, "cannot read " + list_path);
  std::vector<ShardLocation> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    const auto space = line.find(' ');
    const std::string kind = line.substr(0, space);
    const std::string arg = space == std::string::npos ? "" : line.substr(line.find_first_not_of(' ', space));
    ShardLocation loc;
    if ((kind == "auto" || kind == "glass") && !arg.empty()) {
      loc.path = arg.front() == '/' ? arg : dir + "/" + arg;
    } else if (kind == "remote" && parse_remote(arg, loc)) {
    } else {
      return make_error(ErrorKind::store, list_path + ":" + std::to_string(n) + ": expected \"auto PATH\" or \"remote :HOST:PORT\", got \"" + line + "\"");
    }
    out.push_back(std::move(loc));
  }
  if (out.empty()) return make_error(ErrorKind::store, list_path + " lists no shards");
  return out;
}

Status only_local_shards(const std::string& data_dir, const std::vector<ShardLocation>& shards) {
  for (const ShardLocation& loc : shards)
    if (!loc.host.empty())
      return make_error(ErrorKind::usage, index_path(data_dir) + " lists a remote shard (" + loc.host + ":" +
                                              std::to_string(loc.port) +
                                              "): remote shards are read-only; write where the shard lives");
  return ok_status();
}

std::optional<Xapian::rev> single_revision(const std::string& revision) {
  if (revision.empty() || revision.find(',') != std::string::npos) return std::nullopt;
  return static_cast<Xapian::rev>(std::stoull(revision));
}

Result<Index> Index::open_writable(const std::string& data_dir, int shards) {
  namespace fs = std::filesystem;
  auto found = index_shards(data_dir);
  if (!found) return found.error();
  std::vector<ShardLocation> locations = std::move(*found);
  const std::string dir = index_path(data_dir);
  if (locations.empty()) {
    // A new index: one database, or N shards and the stub that lists them.
    // (An unfinished database in each location is cleared below; with
    // shards, the index dir may hold one from an unsharded start.)
    if (shards <= 1) {
      locations.push_back({dir, "", 0});
    } else {
      if (auto cleared = clear_unfinished_database(dir); !cleared) return cleared.error();
      std::error_code ec;
      fs::create_directories(dir, ec);
      if (ec) return make_error(ErrorKind::store, "cannot create " + dir + ": " + ec.message());
      // Written aside and renamed, so a kill never leaves half a list.
      const std::string list_path = dir + "/" + kShardListFile;
      std::ofstream list(list_path + ".tmp");
      for (int k = 0; k < shards; ++k) {
        list << "auto " << shard_dir_name(k) << '\n';
        locations.push_back({dir + "/" + shard_dir_name(k), "", 0});
      }
      list.close();
      if (!list) return make_error(ErrorKind::store, "cannot write " + list_path + ".tmp");
      fs::rename(list_path + ".tmp", list_path, ec);
      if (ec) return make_error(ErrorKind::store, "cannot write " + list_path + ": " + ec.message());
    }
  } else if (shards > 0 && static_cast<int>(locations.size()) != shards) {
    return make_error(ErrorKind::usage, dir + " has " + std::to_string(locations.size()) +
                                            " shard(s), not " + std::to_string(shards) +
                                            ": run `cxmap reindex --shards " + std::to_string(shards) +
                                            "` to rebuild it");
  }
  if (auto local = only_local_shards(data_dir, locations); !local) return local.error();

  Index index;
  std::string schema;
  for (const ShardLocation& loc : locations) {
    if (auto cleared = clear_unfinished_database(loc.path); !cleared) return cleared.error();
    Shard shard;
    auto s = xapian_guard("opening index " + loc.path, [&] {
      shard.db = std::make_unique<Xapian::WritableDatabase>(loc.path, Xapian::DB_CREATE_OR_OPEN);
      const std::string v = shard.db->get_metadata(kLastEventKey);
      shard.last_event_id = v.empty() ? 0 : std::stoll(v);
      if (schema.empty()) schema = shard.db->get_metadata(kSchemaKey);
    });
    if (!s) return s.error();
    if (!schema.empty() && schema != std::to_string(kIndexFormat))
      return make_error(ErrorKind::store, loc.path + " was built for index format " + schema +
                                              ", this cxmap uses " + std::to_string(kIndexFormat) +
                                              ": run `cxmap reindex`");
    shard.termgen = std::make_unique<Xapian::TermGenerator>();
    shard.termgen->set_stemmer(CachedStem::make("english"));
    shard.termgen->set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    index.shards_.push_back(std::move(shard));
  }
  return index;
}

std::int64_t Index::last_event_id() const {
  std::int64_t last = shards_.front().last_event_id;
  for (const Shard& shard : shards_) last = std::min(last, shard.last_event_id);
  return last;
}

Index::Shard& Index::shard_of(std::int64_t event_id, Xapian::docid& local) {
  const auto n = static_cast<std::int64_t>(shards_.size());
  local = static_cast<Xapian::docid>((event_id - 1) / n + 1);
  return shards_[static_cast<std::size_t>((event_id - 1) % n)];
}

void Index::delete_event(std::int64_t event_id) {
  Xapian::docid local;
  shard_of(event_id, local).db->delete_document(local);
}

Status Index::add(const EventRow& r) {
  return xapian_guard("indexing event " + std::to_string(r.event_id), [&] {
    Xapian::docid local;
    Shard& shard = shard_of(r.event_id, local);
    Xapian::Document doc;
    shard.termgen->set_document(doc);
    shard.termgen->index_text(r.sentence);
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
    shard.db->replace_document(local, doc);
  });
}

std::int64_t rewrite_count(const Xapian::Database& db) {
  const std::string n = db.get_metadata(kRewritesKey);
  return n.empty() ? 0 : std::stoll(n);
}

Status Index::note_rewrite(const std::vector<std::int64_t>& event_ids) {
  return xapian_guard("marking rewritten documents", [&] {
    // Every shard carries the same counter and lists (a reader of the
    // combined database sees the first shard's metadata).
    const std::int64_t next = rewrite_count(*shards_.front().db) + 1;
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
    for (Shard& shard : shards_) {
      shard.db->set_metadata(std::string(kRewriteListPrefix).append(std::to_string(next)), list.empty() ? "-" : list);
      if (next > kRewriteListsKept)
        shard.db->set_metadata(std::string(kRewriteListPrefix).append(std::to_string(next - kRewriteListsKept)), "");
      shard.db->set_metadata(kRewritesKey, std::to_string(next));
    }
  });
}

Status Index::note_forget() {
  return xapian_guard("marking a forget", [&] {
    const std::string n = shards_.front().db->get_metadata(kForgetsKey);
    const std::string next = std::to_string((n.empty() ? 0 : std::stoll(n)) + 1);
    for (Shard& shard : shards_) shard.db->set_metadata(kForgetsKey, next);
  });
}

void Index::commit_one(Shard& shard, std::int64_t last_event_id) {
  shard.db->set_metadata(kLastEventKey, std::to_string(last_event_id));
  shard.db->set_metadata(kSchemaKey, std::to_string(kIndexFormat));
  shard.db->commit();
  shard.last_event_id = last_event_id;
}

Status Index::commit(std::int64_t last_event_id) {
  return xapian_guard("committing index", [&] {
    for (auto it = shards_.rbegin(); it != shards_.rend(); ++it) commit_one(*it, last_event_id);
  });
}

Status Index::commit_shard(int shard, std::int64_t last_event_id) {
  return xapian_guard("committing index shard " + std::to_string(shard),
                      [&] { commit_one(shards_[static_cast<std::size_t>(shard)], last_event_id); });
}

Result<Xapian::Database> open_index_readonly(const std::string& data_dir) {
  std::string revision;
  return open_index_readonly(data_dir, revision);
}

Result<Xapian::Database> open_index_readonly(const std::string& data_dir, std::string& revision) {
  auto shards = index_shards(data_dir);
  if (!shards) return shards.error();
  if (shards->empty())
    return make_error(ErrorKind::usage, "no index in " + data_dir + " (run `cxmap ingest` first)");
  Xapian::Database db;
  revision.clear();
  bool known = true;
  for (const ShardLocation& loc : *shards) {
    const std::string name = loc.host.empty() ? loc.path : loc.host + ":" + std::to_string(loc.port);
    auto s = xapian_guard("opening index " + name, [&] {
      if (loc.host.empty()) {
        Xapian::Database shard(loc.path);
        if (!revision.empty()) revision += ',';
        revision += std::to_string(shard.get_revision());
        db.add_database(shard);
      } else {
        db.add_database(Xapian::Remote::open(loc.host, static_cast<unsigned>(loc.port)));
        known = false;  // the remote backend gives no revision
      }
    });
    if (!s) return s.error();
  }
  if (!known) revision.clear();
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
        index.delete_event(id);
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

Result<std::int64_t> index_shard_events(Store& store, Index& index, int shard, std::int64_t up_to,
                                        std::int64_t batch_size) {
  std::int64_t done = 0;
  const std::int64_t from = index.shard_last_event_id(shard);
  if (up_to <= from) return done;
  auto s = store.for_each_shard_event(from, up_to, index.shard_count(), shard, [&](const EventRow& row) -> Status {
    if (auto a = index.add(row); !a) return a;
    if (++done % batch_size == 0) return index.commit_shard(shard, row.event_id);
    return ok_status();
  });
  if (!s) return s.error();
  if (auto c = index.commit_shard(shard, up_to); !c) return c.error();
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
                                     [&] { index.delete_event(id); });
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
