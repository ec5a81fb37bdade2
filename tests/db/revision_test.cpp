// Focus: feedback replaced by a newer revision (db/schema/003): its events
// leave the store and, through the tombstones, the index; new events never
// reuse a deleted id.
#include <catch2/catch.hpp>

#include "db/index.h"
#include "db/verify.h"
#include "fixtures.h"

using namespace cxmap;
using namespace cxmap::testing;

TEST_CASE("a replaced feedback's documents leave the index and its event ids are never reused", "[db][revision]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  auto all = sample_feedback();
  all[3].raw.revision = "2026-10-15T08:00:00Z";  // R_2, the last feedback: events 9 and 10
  store_all(*store, all);
  auto rev = store->stored_revision(all[3].id);
  REQUIRE(rev);
  REQUIRE(*rev);
  CHECK(**rev == "2026-10-15T08:00:00Z");
  auto missing = store->stored_revision("no-such-id");
  REQUIRE(missing);
  CHECK_FALSE(*missing);

  // The newer revision has three sentences instead of two.
  AnalyzedFeedback newer = make_feedback("survey", "R_2", "survey", "li@example.net", "2026-10-15T08:00:00Z",
                                         {{"Charged twice and nobody fixes it.", "resolution", "billing", "angry", -0.8},
                                          {"I am cancelling my contract.", "follow_up", "none", "angry", -0.3},
                                          {"Update: they refunded me after all.", "resolution", "billing", "relieved", 0.5}},
                                         1);
  newer.raw.revision = "2026-10-16T09:00:00Z";
  auto run = store->begin_run("test");
  REQUIRE(run);
  REQUIRE(store->begin());
  auto deleted = store->delete_feedback(newer.id);
  REQUIRE(deleted);
  CHECK(*deleted == 2);
  auto written = store->insert_feedback(newer, *run);
  REQUIRE(written);
  CHECK(*written == 3);
  REQUIRE(store->commit());

  auto events = store->events_of(newer.id);
  REQUIRE(events);
  REQUIRE(events->size() == 3);
  // Events 9 and 10 were the highest ids; the new ones come after them.
  CHECK(events->at(0).event_id == 11);
  CHECK(events->at(2).event_id == 13);
  auto tomb = store->tombstones();
  REQUIRE(tomb);
  CHECK(*tomb == std::vector<std::int64_t>{9, 10});

  auto index = Index::open_writable(dir.path());
  REQUIRE(index);
  auto n = sync_index(*store, *index);
  REQUIRE(n);
  CHECK(*n == 3);
  tomb = store->tombstones();
  REQUIRE(tomb);
  CHECK(tomb->empty());
  auto report = verify_data_dir(*store, dir.path());
  REQUIRE(report);
  INFO((report->problems.empty() ? "" : report->problems.front()));
  CHECK(report->ok());
  CHECK(report->documents == 11);
}

TEST_CASE("tombstones left by a kill before the index commit are applied by the next catch-up", "[db][revision]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  store_all(*store, sample_feedback());
  REQUIRE(store->begin());
  auto deleted = store->delete_feedback(sample_feedback()[0].id);  // events 1-4
  REQUIRE(deleted);
  CHECK(*deleted == 4);
  REQUIRE(store->commit());
  // (killed here: the index still holds documents 1-4)
  auto before = verify_data_dir(*store, dir.path());
  REQUIRE(before);
  CHECK(before->problem_count == 4);
  auto index = Index::open_writable(dir.path());
  REQUIRE(index);
  REQUIRE(sync_index(*store, *index));
  auto after = verify_data_dir(*store, dir.path());
  REQUIRE(after);
  CHECK(after->ok());
  CHECK(after->documents == 6);
}
