// Event columns: loading from posting lists and value streams, and the cache.
#include "search/event_columns.h"

#include <iterator>
#include <map>
#include <mutex>
#include <optional>

#include "db/fields.h"
#include "db/index.h"

namespace cxmap {

namespace {

// The code of `value` in `dict`, added when new; 0 ("none") once the
// dictionary holds 65,535 values.
std::uint16_t code_for(ColumnDictionary& dict, std::string value) {
  auto it = dict.codes.find(value);
  if (it == dict.codes.end()) {
    if (dict.values.size() == 0xFFFF) return 0;
    it = dict.codes.emplace(value, static_cast<std::uint16_t>(dict.values.size())).first;
    dict.values.push_back(std::move(value));
  }
  return it->second;
}

// The bit of a pain kind, added when new; -1 past 64 kinds (DESIGN.md names
// nine; a 65th is not counted).
int pain_bit(EventColumns& c, const std::string& kind) {
  std::size_t bit = 0;
  while (bit < c.pain_kinds.size() && c.pain_kinds[bit] != kind) ++bit;
  if (bit == c.pain_kinds.size()) {
    if (bit == 64) return -1;
    c.pain_kinds.push_back(kind);
  }
  return static_cast<int>(bit);
}

// The dense number of a feedback id, the next one when it is new.
std::uint32_t feedback_number(std::unordered_map<std::string, std::uint32_t>& numbers, EventColumns& c,
                              const std::string& feedback_id) {
  auto [it, added] = numbers.emplace(feedback_id, c.feedback_count + 1);
  if (added) ++c.feedback_count;
  return it->second;
}

// A date value "YYYYMMDD" as a number; false when it is not eight digits.
bool date_number(const std::string& s, std::uint32_t& n) {
  if (s.size() != 8) return false;
  n = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
    n = n * 10 + static_cast<std::uint32_t>(ch - '0');
  }
  return true;
}

// Reads docids first..last of every term under `prefix` into `column`,
// coding each term's value through `dict`.
void load_coded(const Xapian::Database& db, std::string_view prefix, Xapian::docid first,
                std::vector<std::uint16_t>& column, ColumnDictionary& dict) {
  const std::string p(prefix);
  for (auto t = db.allterms_begin(p); t != db.allterms_end(p); ++t) {
    std::string value = (*t).substr(p.size());
    if (value.empty()) continue;  // an empty field has no value slot either: "none"
    const std::uint16_t code = code_for(dict, std::move(value));
    if (code == 0) continue;
    auto p_it = db.postlist_begin(*t);
    p_it.skip_to(first);
    for (; p_it != db.postlist_end(*t); ++p_it) column[*p_it] = code;
  }
}

void load_pains(const Xapian::Database& db, Xapian::docid first, EventColumns& c) {
  const std::string p(find_field("pain")->term_prefix);
  for (auto t = db.allterms_begin(p); t != db.allterms_end(p); ++t) {
    const int bit = pain_bit(c, (*t).substr(p.size()));
    if (bit < 0) continue;
    auto p_it = db.postlist_begin(*t);
    p_it.skip_to(first);
    for (; p_it != db.postlist_end(*t); ++p_it) c.pains[*p_it] |= std::uint64_t{1} << bit;
  }
}

// Feedback ids become dense numbers; `numbers` persists across refreshes so
// an appended event of known feedback gets the same number.
void load_feedback(const Xapian::Database& db, Xapian::docid first, EventColumns& c,
                   std::unordered_map<std::string, std::uint32_t>& numbers) {
  auto v = db.valuestream_begin(slot_feedback_id);
  v.skip_to(first);
  for (; v != db.valuestream_end(slot_feedback_id); ++v) {
    c.feedback[v.get_docid()] = feedback_number(numbers, c, *v);
  }
}

void load_numbers(const Xapian::Database& db, Xapian::docid first, EventColumns& c) {
  auto d = db.valuestream_begin(slot_date);
  d.skip_to(first);
  for (; d != db.valuestream_end(slot_date); ++d) {
    std::uint32_t n = 0;
    if (date_number(*d, n)) c.date[d.get_docid()] = n;
    else c.dates_numeric = false;
  }
  auto s = db.valuestream_begin(slot_compound);
  s.skip_to(first);
  for (; s != db.valuestream_end(slot_compound); ++s)
    c.compound[s.get_docid()] = Xapian::sortable_unserialise(*s);
}

// Extends `c` (a copy of the previous snapshot, or empty) with docids
// first..db.get_lastdocid().
void load_from(const Xapian::Database& db, Xapian::docid first, EventColumns& c,
               std::unordered_map<std::string, std::uint32_t>& feedback_numbers) {
  c.last = db.get_lastdocid();
  const std::size_t n = static_cast<std::size_t>(c.last) + 1;
  for (auto& col : c.coded) col.resize(n, 0);
  c.pains.resize(n, 0);
  c.feedback.resize(n, 0);
  c.date.resize(n, 0);
  c.compound.resize(n, 0.0);
  for (std::size_t f = 0; f < kCodedFieldCount; ++f)
    load_coded(db, find_field(kCodedFieldNames[f])->term_prefix, first, c.coded[f], c.dictionaries[f]);
  load_pains(db, first, c);
  load_feedback(db, first, c, feedback_numbers);
  load_numbers(db, first, c);
}

// Rereads single documents (rewritten since the snapshot): each field is
// cleared, then set from the document's own terms and values, or left clear
// when the document is gone.
void reread_documents(const Xapian::Database& db, const std::vector<Xapian::docid>& ids, EventColumns& c,
                      std::unordered_map<std::string, std::uint32_t>& feedback_numbers) {
  std::string prefixes[kCodedFieldCount];
  for (std::size_t f = 0; f < kCodedFieldCount; ++f) prefixes[f] = find_field(kCodedFieldNames[f])->term_prefix;
  const std::string pain_prefix(find_field("pain")->term_prefix);
  for (Xapian::docid d : ids) {
    if (d == 0 || d > c.last) continue;
    for (auto& col : c.coded) col[d] = 0;
    c.pains[d] = 0;
    c.feedback[d] = 0;
    c.date[d] = 0;
    c.compound[d] = 0;
    Xapian::Document doc;
    try {
      doc = db.get_document(d);
    } catch (const Xapian::DocNotFoundError&) {
      continue;
    }
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      const std::string term = *t;
      if (term.empty() || term[0] < 'A' || term[0] > 'Z') continue;  // free text is lower case
      if (term.rfind(pain_prefix, 0) == 0) {
        if (const int bit = pain_bit(c, term.substr(pain_prefix.size())); bit >= 0)
          c.pains[d] |= std::uint64_t{1} << bit;
        continue;
      }
      for (std::size_t f = 0; f < kCodedFieldCount; ++f) {
        if (term.rfind(prefixes[f], 0) != 0 || term.size() == prefixes[f].size()) continue;
        c.coded[f][d] = code_for(c.dictionaries[f], term.substr(prefixes[f].size()));
        break;
      }
    }
    const std::string fb = doc.get_value(slot_feedback_id);
    if (!fb.empty()) {
      c.feedback[d] = feedback_number(feedback_numbers, c, fb);
    }
    const std::string date = doc.get_value(slot_date);
    std::uint32_t n = 0;
    if (date_number(date, n)) c.date[d] = n;
    else if (!date.empty()) c.dates_numeric = false;
    const std::string compound = doc.get_value(slot_compound);
    if (!compound.empty()) c.compound[d] = Xapian::sortable_unserialise(compound);
  }
}

// The docids rewritten between two values of the rewrites counter, or
// nullopt when a list is gone (too old) or too long to have been kept.
std::optional<std::vector<Xapian::docid>> rewritten_between(const Xapian::Database& db, std::int64_t from,
                                                            std::int64_t to) {
  if (to < from || to - from > kRewriteListsKept) return std::nullopt;
  std::vector<Xapian::docid> ids;
  for (std::int64_t k = from + 1; k <= to; ++k) {
    const std::string list = db.get_metadata(std::string(kRewriteListPrefix).append(std::to_string(k)));
    if (list.empty() || list == "*") return std::nullopt;
    if (list == "-") continue;
    std::size_t pos = 0;
    while (pos < list.size()) {
      std::size_t comma = list.find(',', pos);
      if (comma == std::string::npos) comma = list.size();
      ids.push_back(static_cast<Xapian::docid>(std::stoul(list.substr(pos, comma - pos))));
      pos = comma + 1;
    }
  }
  return ids;
}

struct CacheEntry {
  std::string uuid;
  std::int64_t rewrites = 0;
  std::string revision;  // as open_index_readonly() gives it
  std::shared_ptr<const EventColumns> columns;
  // The snapshot before: a reader that opened the index just before a
  // commit asks for it after another has loaded the new one.
  std::string previous_revision;
  std::shared_ptr<const EventColumns> previous;
  // Feedback id -> number, only touched by loaders (under the cache lock),
  // so extended in place rather than copied with each snapshot.
  std::shared_ptr<std::unordered_map<std::string, std::uint32_t>> feedback_numbers;
};

// Every document's columns, read for one reader and kept by no cache.
std::shared_ptr<const EventColumns> load_alone(const Xapian::Database& db) {
  auto columns = std::make_shared<EventColumns>();
  std::unordered_map<std::string, std::uint32_t> numbers;
  load_from(db, 1, *columns, numbers);
  return columns;
}

}  // namespace

std::shared_ptr<const EventColumns> event_columns(const std::string& key, const Xapian::Database& db) {
  return event_columns(key, db, std::to_string(db.get_revision()));
}

std::shared_ptr<const EventColumns> event_columns(const std::string& key, const Xapian::Database& db,
                                                  const std::string& revision) {
  // No revision to key a snapshot on (a remote shard): read everything.
  if (revision.empty()) return load_alone(db);
  static std::mutex mutex;
  static std::map<std::string, CacheEntry> cache;
  // One loader at a time: concurrent first searches would otherwise each
  // read the whole index.
  std::unique_lock<std::mutex> lock(mutex);
  const std::string uuid = db.get_uuid();
  CacheEntry& entry = cache[key];
  const bool same_index = entry.columns && entry.uuid == uuid;
  if (same_index && entry.revision == revision) return entry.columns;
  if (same_index && entry.previous && entry.previous_revision == revision) return entry.previous;
  const auto now = single_revision(revision), before = single_revision(entry.revision);
  if (same_index && now && before && *now < *before) {
    // Older than both kept snapshots (a long-running reader): read it for
    // this reader alone, without the lock, and keep the newer ones.
    lock.unlock();
    return load_alone(db);
  }
  const std::int64_t rewrites = rewrite_count(db);

  auto columns = std::make_shared<EventColumns>();
  auto numbers = std::make_shared<std::unordered_map<std::string, std::uint32_t>>();
  Xapian::docid first = 1;
  std::vector<Xapian::docid> reread;
  // Appends are read alone only in a single database: the shards of a
  // sharded one commit one after another, so a reader can see one shard's
  // new documents without the lower-numbered ones of the next.
  if (same_index && now && before && *now > *before && db.get_lastdocid() >= entry.columns->last) {
    if (auto ids = rewritten_between(db, entry.rewrites, rewrites)) {
      // Appended, and perhaps some rewritten: copy the snapshot (readers
      // may still hold it), read the new documents and reread the others.
      *columns = *entry.columns;
      numbers = entry.feedback_numbers;
      first = entry.columns->last + 1;
      reread = std::move(*ids);
    }
  }
  columns->first_loaded = first;
  const std::uint32_t numbered = columns->feedback_count;
  try {
    load_from(db, first, *columns, *numbers);
    reread_documents(db, reread, *columns, *numbers);
  } catch (...) {
    // A failed load (typically DatabaseModifiedError: the caller reopens and
    // retries) must not leave its numbers in the map the snapshot shares.
    for (auto it = numbers->begin(); it != numbers->end();)
      it = it->second > numbered ? numbers->erase(it) : std::next(it);
    throw;
  }
  columns->reread = reread.size();
  entry = CacheEntry{uuid,    rewrites, revision, columns, same_index ? entry.revision : std::string(),
                     same_index ? entry.columns : nullptr, numbers};
  return columns;
}

}  // namespace cxmap
