// Focus: search's event columns (search/event_columns.h): what they hold, and
// how the shared snapshot follows the index (appended events read alone, a
// rewrite or a rebuilt index read whole).
#include <catch2/catch.hpp>

#include "db/index.h"
#include "fixtures.h"
#include "search/event_columns.h"

using namespace cxmap;
using namespace cxmap::testing;

namespace {

std::string value(const EventColumns& c, CodedField f, Xapian::docid d) {
  return c.dictionary(f).values[c.code(f, d)];
}

std::vector<std::string> pains(const EventColumns& c, Xapian::docid d) {
  std::vector<std::string> out;
  for (std::size_t bit = 0; bit < c.pain_kinds.size(); ++bit)
    if (c.pains[d] >> bit & 1) out.push_back(c.pain_kinds[bit]);
  return out;
}

// Two snapshots hold the same events when every docid decodes alike (codes
// may differ: a snapshot extended by appends numbers new values later).
void check_same_events(const EventColumns& a, const EventColumns& b) {
  REQUIRE(a.last == b.last);
  for (Xapian::docid d = 1; d <= a.last; ++d) {
    INFO("docid " << d);
    for (std::size_t f = 0; f < kCodedFieldCount; ++f)
      CHECK(value(a, static_cast<CodedField>(f), d) == value(b, static_cast<CodedField>(f), d));
    CHECK(pains(a, d) == pains(b, d));
    CHECK((a.feedback[d] == 0) == (b.feedback[d] == 0));
    CHECK(a.date[d] == b.date[d]);
    CHECK(a.compound[d] == b.compound[d]);
  }
}

std::shared_ptr<const EventColumns> columns_of(const std::string& dir, const std::string& key) {
  Xapian::Database db(index_path(dir));
  return event_columns(key, db);
}

}  // namespace

TEST_CASE("event columns hold each event's fields as the index has them", "[db][columns]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  store_all(*store, sample_feedback());
  const auto c = columns_of(dir.path(), dir.path());
  REQUIRE(c->last == 10);
  CHECK(c->first_loaded == 1);
  // Event 3: "Then I called and waited on hold for 45 minutes." (email, contact, phone)
  CHECK(value(*c, CodedField::stage, 3) == "contact");
  CHECK(value(*c, CodedField::touchpoint, 3) == "phone");
  CHECK(value(*c, CodedField::emotion, 3) == "impatient");
  CHECK(value(*c, CodedField::channel, 3) == "email");
  CHECK(value(*c, CodedField::speaker, 3) == "customer");
  CHECK(value(*c, CodedField::sentiment, 3) == "neg");
  CHECK(pains(*c, 3) == std::vector<std::string>{"long_wait"});
  CHECK(c->date[3] == 20260903);
  CHECK(c->compound[3] == Approx(-0.6));
  // Event 5 is the chat agent's turn; events of one feedback share a number.
  CHECK(value(*c, CodedField::speaker, 5) == "agent");
  CHECK(c->feedback[1] == c->feedback[4]);
  CHECK(c->feedback[4] != c->feedback[5]);
  CHECK(c->feedback_count == 4);
  CHECK(c->feedback[0] == 0);  // docid 0 is never a document
}

TEST_CASE("event columns read appended events alone and reload after a rewrite", "[db][columns]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  auto all = sample_feedback();
  store_all(*store, {all[0], all[1]});
  const auto first = columns_of(dir.path(), dir.path());
  REQUIRE(first->last == 6);

  // Same revision: the same snapshot comes back.
  CHECK(columns_of(dir.path(), dir.path()) == first);

  store_all(*store, {all[2], all[3]});
  const auto appended = columns_of(dir.path(), dir.path());
  CHECK(appended->last == 10);
  CHECK(appended->first_loaded == 7);  // only the new documents were read
  CHECK(first->last == 6);             // a reader holding the old snapshot still sees it whole
  check_same_events(*appended, *columns_of(dir.path(), dir.path() + "#fresh"));

  // Tags of event 2 change (as journey links do): the document is replaced.
  {
    auto index = Index::open_writable(dir.path());
    REQUIRE(index);
    auto n = reindex_events(*store, *index, {2, 3});
    REQUIRE(n);
    CHECK(*n == 2);
  }
  const auto rewritten = columns_of(dir.path(), dir.path());
  CHECK(rewritten->first_loaded == 11);  // nothing appended
  CHECK(rewritten->reread == 2);         // events 2 and 3, listed by the indexer
  check_same_events(*rewritten, *columns_of(dir.path(), dir.path() + "#fresh2"));

  // A deleted document reads as no document.
  {
    auto index = Index::open_writable(dir.path());
    REQUIRE(index);
    REQUIRE(store->begin());
    REQUIRE(store->commit());
    index->delete_event(4);
    REQUIRE(index->note_rewrite({4}));
    REQUIRE(index->commit(index->last_event_id()));
  }
  const auto deleted = columns_of(dir.path(), dir.path());
  CHECK(deleted->reread == 1);
  CHECK(deleted->feedback[4] == 0);
  CHECK(deleted->code(CodedField::stage, 4) == 0);
  check_same_events(*deleted, *columns_of(dir.path(), dir.path() + "#fresh3"));
}

TEST_CASE("event columns load whole when the rewrite lists are gone", "[db][columns]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  auto all = sample_feedback();
  store_all(*store, {all[0], all[1]});
  REQUIRE(columns_of(dir.path(), dir.path())->last == 6);
  {
    auto index = Index::open_writable(dir.path());
    REQUIRE(index);
    // More rewrites than the index keeps lists for: the oldest list is gone.
    for (std::int64_t i = 0; i <= kRewriteListsKept; ++i) REQUIRE(index->note_rewrite({1}));
    REQUIRE(index->commit(index->last_event_id()));
  }
  const auto reloaded = columns_of(dir.path(), dir.path());
  CHECK(reloaded->first_loaded == 1);
  CHECK(reloaded->reread == 0);
  check_same_events(*reloaded, *columns_of(dir.path(), dir.path() + "#fresh"));
}

TEST_CASE("a rebuilt index at the same path is read whole", "[db][columns]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  auto all = sample_feedback();
  store_all(*store, {all[0]});
  REQUIRE(columns_of(dir.path(), dir.path())->last == 4);
  std::filesystem::remove_all(index_path(dir.path()));
  store_all(*store, {all[1]});  // a fresh index catches up on every event
  const auto rebuilt = columns_of(dir.path(), dir.path());
  CHECK(rebuilt->first_loaded == 1);
  CHECK(rebuilt->last == 6);
  CHECK(value(*rebuilt, CodedField::stage, 2) == "self_service");
}

TEST_CASE("a reader that opened just before a commit keeps its columns; an older one reads its own", "[db][columns]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  auto all = sample_feedback();
  store_all(*store, {all[0]});
  Xapian::Database oldest(index_path(dir.path()));
  const auto first = event_columns(dir.path(), oldest);
  store_all(*store, {all[1]});
  Xapian::Database older(index_path(dir.path()));
  const auto before = event_columns(dir.path(), older);
  REQUIRE(before != first);
  store_all(*store, {all[2], all[3]});
  const auto newest = columns_of(dir.path(), dir.path());
  REQUIRE(newest->last == 10);

  // The snapshot before the newest is kept: a reader still on it (it opened
  // the index before the commit) gets it again, without a reload.
  CHECK(event_columns(dir.path(), older) == before);
  CHECK(before->last == older.get_lastdocid());

  // Older than both: read for that reader alone, exactly its documents, and
  // the shared snapshots stay as they were.
  const auto alone = event_columns(dir.path(), oldest);
  CHECK(alone != first);
  check_same_events(*alone, *first);
  CHECK(columns_of(dir.path(), dir.path()) == newest);
  CHECK(event_columns(dir.path(), older) == before);
}
