// Focus: verify_data_dir (db/verify.h) finds every kind of disagreement
// between the store and the index, and none in a sound data dir.
#include <catch2/catch.hpp>

#include "db/fields.h"
#include "db/verify.h"
#include "fixtures.h"

using namespace cxmap;
using namespace cxmap::testing;

namespace {

bool mentions(const VerifyReport& r, const std::string& text) {
  for (const std::string& p : r.problems)
    if (p.find(text) != std::string::npos) return true;
  return false;
}

VerifyReport verify(Store& store, const TempDir& dir) {
  auto r = verify_data_dir(store, dir.path());
  REQUIRE(r);
  return *r;
}

}  // namespace

TEST_CASE("verify: a freshly ingested data dir agrees", "[db][verify]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  store_all(*store, sample_feedback());
  const VerifyReport r = verify(*store, dir);
  INFO((r.problems.empty() ? "" : r.problems.front()));
  CHECK(r.ok());
  CHECK(r.feedback == 4);
  CHECK(r.events == 10);
  CHECK(r.documents == 10);
  CHECK(r.index_last_event_id == 10);
  CHECK(r.store_max_event_id == 10);
}

TEST_CASE("verify: a missing, a stale and an extra document are each reported", "[db][verify]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  store_all(*store, sample_feedback());
  {
    Xapian::WritableDatabase db(index_path(dir.path()), Xapian::DB_OPEN);
    db.delete_document(3);  // event 3 lost
    Xapian::Document stale = db.get_document(4);
    stale.remove_term(std::string(find_field("stage")->term_prefix) + "resolution");  // event 4's stage
    stale.add_boolean_term(std::string(find_field("stage")->term_prefix) + "contact");
    db.replace_document(4, stale);
    Xapian::Document ghost;
    ghost.add_boolean_term("Q99");
    db.replace_document(99, ghost);  // a document of no event
    db.commit();
  }
  const VerifyReport r = verify(*store, dir);
  CHECK_FALSE(r.ok());
  CHECK(r.problem_count == 3);
  CHECK(mentions(r, "event 3 ("));
  CHECK(mentions(r, "no document in the index"));
  CHECK(mentions(r, "event 4: document lacks term XSresolution"));
  CHECK(mentions(r, "document 99: no such event"));
}

TEST_CASE("verify: pains that differ and a lagging last_event_id are reported", "[db][verify]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  store_all(*store, sample_feedback());
  {
    Xapian::WritableDatabase db(index_path(dir.path()), Xapian::DB_OPEN);
    Xapian::Document doc = db.get_document(2);  // event 2 has the dead_end pain
    doc.remove_term(std::string(find_field("pain")->term_prefix) + "dead_end");
    db.replace_document(2, doc);
    db.set_metadata("last_event_id", "7");
    db.commit();
  }
  const VerifyReport r = verify(*store, dir);
  CHECK(r.problem_count == 2);
  CHECK(mentions(r, "event 2: document pains differ"));
  CHECK(mentions(r, "index last_event_id 7 != store's last event 10"));
}

TEST_CASE("verify: a run whose counts do not reconcile is reported; interrupted runs are counted", "[db][verify]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  store_all(*store, sample_feedback());  // leaves run 1 'running', as a killed ingest would
  auto run = store->begin_run("test");
  REQUIRE(run);
  IngestCounts bad;
  bad.read = 5;
  bad.ingested = 3;
  REQUIRE(store->finish_run(*run, bad, "ok"));
  const VerifyReport r = verify(*store, dir);
  CHECK(r.runs_interrupted == 1);
  CHECK(r.runs_checked == 1);
  CHECK(r.problem_count == 1);
  CHECK(mentions(r, "run 2: read 5 != ingested + duplicate + quarantined 3"));
  auto unfinished = store->unfinished_runs();
  REQUIRE(unfinished);
  CHECK(*unfinished == std::vector<std::int64_t>{1});
  REQUIRE(store->mark_interrupted(1));
  unfinished = store->unfinished_runs();
  REQUIRE(unfinished);
  CHECK(unfinished->empty());
}

TEST_CASE("cursors are saved per source and replaced, inside the caller's transaction", "[db][cursor]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  auto none = store->load_cursor("imap");
  REQUIRE(none);
  CHECK(none->empty());
  REQUIRE(store->begin());
  REQUIRE(store->save_cursor("imap", R"({"INBOX":{"uidvalidity":1,"last_uid":7}})"));
  REQUIRE(store->commit());
  REQUIRE(store->begin());
  REQUIRE(store->save_cursor("imap", R"({"INBOX":{"uidvalidity":1,"last_uid":9}})"));
  REQUIRE(store->rollback());  // a batch that never committed leaves the old cursor
  auto saved = store->load_cursor("imap");
  REQUIRE(saved);
  CHECK(*saved == R"({"INBOX":{"uidvalidity":1,"last_uid":7}})");
  auto other = store->load_cursor("pop3");
  REQUIRE(other);
  CHECK(other->empty());
}
