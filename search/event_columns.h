// Event columns: the fields search filters, counts and sorts on, for every
// indexed event, held in memory as small integer codes indexed by document id.
//
// Counting facets through Xapian means asking for five values per matching
// document, and restricting to customer sentences means walking a posting
// list that holds most of the index: at a million events both cost hundreds
// of milliseconds per query. Read once from the index's own posting lists and
// value streams (never from the store, so columns and index cannot disagree),
// the columns make a facet count, a collapse per feedback or a filter-only
// query one pass over a few arrays. This is the column-store idea behind
// facet engines, kept small: codes, masks and numbers, about 40 bytes per
// event.
//
// The loaded columns are shared per index and refreshed when the index moves
// on: events appended since the last load are read alone (an ingest commits
// often, and a server must not reread a million events each time), and older
// documents the indexer rewrote (forget, replaced feedback, journey links;
// it lists their docids in the index metadata, see Index::note_rewrite) are
// reread one by one. A rebuilt index (a new UUID), or lists too old to be
// kept, load everything again. The snapshot before the newest is kept too,
// for readers that opened the index just before a commit; a reader older
// than both gets columns read for it alone. A loaded snapshot never changes, so many
// threads read it without locks.
#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cxmap {

// The coded fields, each read from the posting lists of its boolean prefix.
enum class CodedField : unsigned { stage, touchpoint, emotion, channel, speaker, source, sentiment, lang, count };
inline constexpr std::size_t kCodedFieldCount = static_cast<std::size_t>(CodedField::count);
inline constexpr std::string_view kCodedFieldNames[kCodedFieldCount] = {
    "stage", "touchpoint", "emotion", "channel", "speaker", "source", "sentiment", "lang"};

// The values of one coded field. Code 0 means "no value".
struct ColumnDictionary {
  std::vector<std::string> values{std::string()};
  std::unordered_map<std::string, std::uint16_t> codes;
  std::uint16_t code_of(const std::string& value) const {
    auto it = codes.find(value);
    return it == codes.end() ? 0 : it->second;
  }
};

struct EventColumns {
  Xapian::docid last = 0;  // arrays hold docids 0..last (0 unused)
  std::array<std::vector<std::uint16_t>, kCodedFieldCount> coded;
  std::array<ColumnDictionary, kCodedFieldCount> dictionaries;
  // Pain kinds as bits (bit i is pain_kinds[i]); an event has several.
  std::vector<std::uint64_t> pains;
  std::vector<std::string> pain_kinds;
  // The feedback of each event as a dense number (1-based); 0 marks a docid
  // with no document (never indexed, or deleted).
  std::vector<std::uint32_t> feedback;
  std::uint32_t feedback_count = 0;
  std::vector<std::uint32_t> date;  // YYYYMMDD as a number, 0 when unknown
  std::vector<double> compound;
  // False when some date value is not YYYYMMDD: date filters then go
  // through Xapian, which compares the stored strings.
  bool dates_numeric = true;
  // The first docid the load that made this snapshot read: 1 for a full
  // load, last + 1 of the previous snapshot when only appended events were
  // read (for tests and diagnostics).
  Xapian::docid first_loaded = 1;
  // Documents of the previous snapshot reread one by one because the index
  // rewrote them (replaced or deleted); 0 after a full load.
  std::size_t reread = 0;

  std::uint16_t code(CodedField f, Xapian::docid d) const { return coded[static_cast<unsigned>(f)][d]; }
  const ColumnDictionary& dictionary(CodedField f) const { return dictionaries[static_cast<unsigned>(f)]; }
};

// The columns of `db`, loaded or refreshed as needed. `key` names the index
// (its path) for the shared cache; `revision` is what open_index_readonly()
// gave for this db: a single database's snapshot is extended with appended
// and rewritten documents, a sharded one's is reloaded when any shard moves,
// and with "" (a remote shard) the columns are read afresh and not kept.
std::shared_ptr<const EventColumns> event_columns(const std::string& key, const Xapian::Database& db,
                                                  const std::string& revision);
// The same for a single database, at its current revision.
std::shared_ptr<const EventColumns> event_columns(const std::string& key, const Xapian::Database& db);

}  // namespace cxmap
