// Focus: an index whose creation a kill interrupted (Xapian's tables
// written, its version file "iamglass" not yet; a shard list half written)
// is no index to readers and is created afresh by the next writer, which
// then indexes the store as if nothing had happened.
#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "db/index.h"
#include "fixtures.h"

using namespace cxmap;
using namespace cxmap::testing;
namespace fs = std::filesystem;

namespace {

// A glass database at path as a kill between Xapian's table files and its
// version file leaves it.
void half_created_database(const std::string& path) {
  { Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE); }
  fs::remove(path + "/iamglass");
  REQUIRE(fs::exists(path + "/postlist.glass"));
}

void store_one_feedback(const std::string& dir) {
  auto store = Store::open(dir, OpenMode::read_write);
  REQUIRE(store);
  auto run_id = store->begin_run("t");
  REQUIRE(run_id);
  REQUIRE(store->begin());
  REQUIRE(store->insert_feedback(make_feedback("s", "1", "email", "c1", "2026-09-01T10:00:00Z",
                                               {{"I called twice.", "contact", "phone", "frustration", -0.4},
                                                {"Nobody answered.", "contact", "phone", "frustration", -0.5}}),
                                 *run_id));
  REQUIRE(store->commit());
}

// The next writer over the leftovers: opens the index with `shards` as
// Index::open_writable takes them and indexes the store; the events indexed.
std::int64_t index_store(const std::string& dir, int shards) {
  auto store = Store::open(dir, OpenMode::read_write);
  REQUIRE(store);
  auto index = Index::open_writable(dir, shards);
  REQUIRE(index);
  CHECK(index->shard_count() == std::max(shards, 1));
  auto n = sync_index(*store, *index);
  REQUIRE(n);
  return *n;
}

}  // namespace

TEST_CASE("an index whose creation was interrupted is created afresh", "[db][index]") {
  TempDir dir;
  store_one_feedback(dir.path());
  const std::string index_dir = index_path(dir.path());
  half_created_database(index_dir);
  // Xapian itself refuses the leftovers: the state the kill test met.
  CHECK_THROWS_AS(Xapian::WritableDatabase(index_dir, Xapian::DB_CREATE_OR_OPEN), Xapian::DatabaseError);

  auto shards = index_shards(dir.path());
  REQUIRE(shards);
  CHECK(shards->empty());  // readers see no index yet, not a broken one
  CHECK_FALSE(open_index_readonly(dir.path()));

  CHECK(index_store(dir.path(), 0) == 2);
  auto db = open_index_readonly(dir.path());
  REQUIRE(db);
  CHECK(db->get_doccount() == 2);
  CHECK(fs::exists(index_dir + "/iamglass"));
}

TEST_CASE("a sharded index whose creation was interrupted is created afresh", "[db][index]") {
  TempDir dir;
  store_one_feedback(dir.path());
  const std::string index_dir = index_path(dir.path());
  // Killed after a shard list was begun but before it was renamed into
  // place, and inside Xapian's creation of the first shard.
  fs::create_directories(index_dir);
  std::ofstream(index_dir + "/" + kShardListFile + ".tmp") << "auto sha";
  half_created_database(index_dir + "/shard0");

  CHECK(index_store(dir.path(), 2) == 2);
  auto shards = index_shards(dir.path());
  REQUIRE(shards);
  CHECK(shards->size() == 2);
  auto db = open_index_readonly(dir.path());
  REQUIRE(db);
  CHECK(db->get_doccount() == 2);
}
