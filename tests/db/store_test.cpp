// Focus: the SQLite store: migrations, idempotent inserts, quarantine, runs.
#include <catch2/catch.hpp>
#include <sys/stat.h>

#include <filesystem>

#include "db/store.h"
#include "fixtures.h"

using namespace cxmap;
using namespace cxmap::testing;

namespace {

std::int64_t count(Store& store, const char* sql) {
  auto st = store.connection().prepare(sql);
  REQUIRE(st);
  auto row = st->step();
  REQUIRE(row);
  REQUIRE(*row);
  return st->int64(0);
}

}  // namespace

TEST_CASE("opening a new data dir applies every migration", "[db]") {
  TempDir dir;
  auto store = Store::open(dir.path() + "/data", OpenMode::read_write);
  REQUIRE(store);
  CHECK(count(*store, "PRAGMA user_version") == Store::schema_version());
  CHECK(Store::schema_version() >= 1);
  CHECK(count(*store, "SELECT COUNT(*) FROM sqlite_master WHERE name IN "
                      "('feedback','event','event_pain','ingest_run','quarantine','source_cursor')") == 6);
  struct stat st{};
  REQUIRE(::stat((dir.path() + "/data").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
}

TEST_CASE("read-only open of a missing store is a usage error naming the dir", "[db]") {
  TempDir dir;
  auto store = Store::open(dir.path() + "/nothing", OpenMode::read_only);
  REQUIRE_FALSE(store);
  CHECK(store.error().kind == ErrorKind::usage);
  CHECK(store.error().message.find(dir.path() + "/nothing") != std::string::npos);
}

TEST_CASE("a store written by a newer schema is refused", "[db]") {
  TempDir dir;
  {
    auto store = Store::open(dir.path(), OpenMode::read_write);
    REQUIRE(store);
    REQUIRE(store->connection().exec("PRAGMA user_version = 999"));
  }
  auto again = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE_FALSE(again);
  CHECK(again.error().message.find("999") != std::string::npos);
}

TEST_CASE("inserting feedback writes its events and pains once", "[db]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  auto all = sample_feedback();
  auto run = store->begin_run("test");
  REQUIRE(run);
  REQUIRE(store->begin());
  auto written = store->insert_feedback(all[0], *run);
  REQUIRE(written);
  CHECK(*written == 4);
  auto again = store->insert_feedback(all[0], *run);
  REQUIRE(again);
  CHECK(*again == 0);
  REQUIRE(store->commit());
  CHECK(count(*store, "SELECT COUNT(*) FROM feedback") == 1);
  CHECK(count(*store, "SELECT COUNT(*) FROM event") == 4);
  CHECK(count(*store, "SELECT COUNT(*) FROM event_pain") == 2);
  auto has = store->has_feedback(all[0].id);
  REQUIRE(has);
  CHECK(*has);
  auto missing = store->has_feedback("0000000000000000");
  REQUIRE(missing);
  CHECK_FALSE(*missing);
}

TEST_CASE("events read back in ordinal order with their pains", "[db]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  store_all(*store, sample_feedback());
  auto events = store->events_of(sample_feedback()[0].id);
  REQUIRE(events);
  REQUIRE(events->size() == 4);
  CHECK((*events)[0].ordinal == 0);
  CHECK((*events)[2].stage == "contact");
  REQUIRE((*events)[2].pains.size() == 1);
  CHECK((*events)[2].pains[0].kind == "long_wait");
  CHECK((*events)[2].pains[0].value == Approx(45));
  CHECK((*events)[2].pains[0].unit == "min");
  CHECK((*events)[2].customer_key == "maria@example.com");
}

TEST_CASE("quoted and SQL-looking strings are stored verbatim", "[db]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  const std::string nasty = "Robert'); DROP TABLE feedback;-- \"quoted\"";
  auto fb = make_feedback("src'; --", nasty, "email", nasty, "2026-01-01T00:00:00Z",
                          {{nasty, "aware", "none", "neutral", 0}});
  store_all(*store, {fb});
  auto back = store->feedback(fb.id);
  REQUIRE(back);
  REQUIRE(*back);
  CHECK((*back)->external_id == nasty);
  CHECK((*back)->customer_key == nasty);
  CHECK((*back)->source == "src'; --");
  CHECK(count(*store, "SELECT COUNT(*) FROM feedback") == 1);
}

TEST_CASE("a quarantined record is stored once per source, locator and content", "[db]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  Quarantined q{"mail", "bad.mbox:120", "missing multipart boundary", std::string("raw\0bytes", 9)};
  auto first = store->quarantine(q, 1);
  REQUIRE(first);
  CHECK(*first);
  auto second = store->quarantine(q, 2);
  REQUIRE(second);
  CHECK_FALSE(*second);
  q.raw += "changed";
  auto third = store->quarantine(q, 2);
  REQUIRE(third);
  CHECK(*third);
  auto rows = store->quarantined(10);
  REQUIRE(rows);
  REQUIRE(rows->size() == 2);
  CHECK((*rows)[0].reason == "missing multipart boundary");
  CHECK((*rows)[0].locator == "bad.mbox:120");
}

TEST_CASE("ingest runs keep their counts and stats report the last one", "[db]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  store_all(*store, sample_feedback());
  auto run = store->begin_run("mail,chat");
  REQUIRE(run);
  IngestCounts c;
  c.read = 7;
  c.ingested = 4;
  c.duplicate = 2;
  c.quarantined = 1;
  c.events = 10;
  REQUIRE(store->finish_run(*run, c, "rejects"));
  auto stats = store->stats();
  REQUIRE(stats);
  CHECK(stats->feedback == 4);
  CHECK(stats->events == 10);
  CHECK(stats->customer_events == 9);
  CHECK(stats->runs == 2);
  CHECK(stats->last_run_id == *run);
  CHECK(stats->last_run_status == "rejects");
  CHECK(stats->last_run.read == 7);
  CHECK(stats->last_run.duplicate == 2);
  REQUIRE(stats->by_channel.size() == 3);
  CHECK(stats->by_channel[0] == std::make_pair(std::string("chat"), std::int64_t{1}));
  CHECK(stats->by_channel[2] == std::make_pair(std::string("survey"), std::int64_t{2}));
}

TEST_CASE("feedback ids are stable and depend on source and external id", "[db]") {
  CHECK(feedback_id("mail", "a@b") == feedback_id("mail", "a@b"));
  CHECK(feedback_id("mail", "a@b") != feedback_id("mail2", "a@b"));
  CHECK(feedback_id("mail", "a@b").size() == 16);
  // FNV-1a 64 of the empty string is the offset basis.
  CHECK(content_hash("") == "cbf29ce484222325");
}

TEST_CASE("a log checkpoint while the readers are idle lets the log start over", "[db]") {
  // What an ingest with an index follower does each batch: the follower
  // reads while the writer commits (so SQLite's own checkpoint at commit
  // cannot finish), then, with the follower idle, checkpoint_wal().
  TempDir dir;
  auto writer = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(writer);
  auto reader = Store::open(dir.path(), OpenMode::read_only);
  REQUIRE(reader);
  REQUIRE(writer->connection().exec("CREATE TABLE filler(x BLOB)"));
  const std::string log = dir.path() + "/cxmap.sqlite-wal";
  constexpr std::uintmax_t kBatchBytes = 40 * 8192;
  auto batches = [&](bool checkpoint) {
    for (int b = 0; b < 40; ++b) {
      auto reading = reader->connection().prepare("SELECT count(*) FROM filler");
      REQUIRE(reading);
      REQUIRE(reading->step());  // a read transaction open across the commit
      REQUIRE(writer->begin());
      REQUIRE(writer->connection().exec("INSERT INTO filler SELECT randomblob(8000) FROM "
                                        "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) "
                                        "SELECT i FROM n)"));
      REQUIRE(writer->commit());
      reading = make_error(ErrorKind::internal, "read done");  // finalized: the read ends
      if (checkpoint) REQUIRE(writer->checkpoint_wal());
    }
    return std::filesystem::file_size(log);
  };
  // The log file never shrinks by itself, so the bounded run goes first.
  const std::uintmax_t with_checkpoints = batches(true);
  CHECK(with_checkpoints < 3 * kBatchBytes);
  const std::uintmax_t without = batches(false);
  CHECK(without > 20 * kBatchBytes);  // the whole run's pages
}
