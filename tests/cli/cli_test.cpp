// Focus: the real cxmap binary end to end, on the bundled demo corpus and on
// small inputs made by the tests. The read-only tests share the demo store
// built by the CTest fixture cli.demo_ingest (tests/cli/ingest_demo.cmake).
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <Poco/JSON/Array.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "../db/fixtures.h"
#include "pipeline/record.h"
#include "run_cxmap.h"

using namespace cxmap;
using namespace cxmap::testing;
namespace fs = std::filesystem;

namespace {

const std::string kDemo = CXMAP_DEMO_DATA;
const std::string kDemoConfig = std::string(CXMAP_SOURCE_DIR) + "/config/demo.json";

RunResult demo(std::vector<std::string> args) {
  args.insert(args.begin(), {"--data", kDemo});
  return run_cxmap(args);
}

void write_file(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::vector<std::string> csv_first_column(const std::string& csv) {
  std::vector<std::string> col;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) col.push_back(line.substr(0, line.find(',')));
  return col;
}

}  // namespace

TEST_CASE("the demo ingest stores every record and the counts reconcile", "[cli]") {
  auto r = demo({"stats", "--json"});
  REQUIRE(r.exit_code == 0);
  auto stats = parse_object(r.out);
  auto run = stats->getObject("last_run");
  const auto read = run->getValue<std::int64_t>("read");
  CHECK(read == run->getValue<std::int64_t>("ingested") + run->getValue<std::int64_t>("duplicate") +
                    run->getValue<std::int64_t>("quarantined"));
  CHECK(run->getValue<bool>("reconciles"));
  // 23 mbox + 23 Maildir emails, 39 chats, 218 survey rows (examples/README.md)
  CHECK(stats->getValue<std::int64_t>("feedback") == 23 + 23 + 39 + 218);
  CHECK(stats->getValue<std::int64_t>("quarantined") == 0);
  CHECK(stats->getValue<std::int64_t>("events") > 1000);
  CHECK(stats->getValue<std::int64_t>("indexed_events") == stats->getValue<std::int64_t>("events"));
  auto channels = stats->getObject("by_channel");
  CHECK(channels->getValue<std::int64_t>("email") == 46);
  CHECK(channels->getValue<std::int64_t>("chat") == 39);
  CHECK(channels->getValue<std::int64_t>("survey") == 218);
}

TEST_CASE("password stage:self_service finds the password-reset dead end", "[cli]") {
  auto r = demo({"search", "password stage:self_service", "--json", "--limit", "20"});
  REQUIRE(r.exit_code == 0);
  auto result = parse_object(r.out);
  CHECK(result->getValue<std::int64_t>("total") >= 1);
  auto hits = result->getArray("results");
  bool maria = false;
  for (std::size_t i = 0; i < hits->size(); ++i) {
    auto h = hits->getObject(static_cast<unsigned>(i));
    CHECK(h->getValue<std::string>("stage") == "self_service");
    std::string sentence = h->getValue<std::string>("sentence");
    std::transform(sentence.begin(), sentence.end(), sentence.begin(), ::tolower);
    CHECK(sentence.find("password") != std::string::npos);
    if (h->getValue<std::string>("customer") == "maria.lopez@example.com") maria = true;
  }
  CHECK(maria);
  auto stage_facet = result->getObject("facets")->getObject("stage");
  CHECK(stage_facet->getValue<std::int64_t>("self_service") == result->getValue<std::int64_t>("events"));
}

TEST_CASE("a survey answer known to be angry scores below -0.3", "[cli]") {
  // R_0204: "Absolutely furious. Charged twice, nobody fixes it and I'm cancelling."
  const std::string id = feedback_id("nps-survey", "R_0204");
  auto r = demo({"show", id, "--json"});
  REQUIRE(r.exit_code == 0);
  auto fb = parse_object(r.out);
  auto events = fb->getArray("events");
  REQUIRE(events->size() >= 1);
  double sum = 0;
  for (std::size_t i = 0; i < events->size(); ++i)
    sum += events->getObject(static_cast<unsigned>(i))->getValue<double>("compound");
  CHECK(sum / static_cast<double>(events->size()) < -0.3);
  CHECK(fb->getValue<int>("nps") <= 6);
}

TEST_CASE("the stage table lists all six stages in journey order", "[cli]") {
  auto r = demo({"export", "--by", "stage", "--format", "csv"});
  REQUIRE(r.exit_code == 0);
  auto stages = csv_first_column(r.out);
  std::vector<std::string> journey{"aware", "self_service", "contact", "engage", "resolution", "follow_up"};
  REQUIRE(stages.size() >= 6);
  CHECK(std::vector<std::string>(stages.begin(), stages.begin() + 6) == journey);
}

TEST_CASE("two exports of the same store are byte-identical", "[cli]") {
  auto a = demo({"export", "--by", "stage,touchpoint", "--format", "csv"});
  auto b = demo({"export", "--by", "stage,touchpoint", "--format", "csv"});
  REQUIRE(a.exit_code == 0);
  CHECK(a.out == b.out);
  CHECK(a.out.rfind("stage,touchpoint,feedback_n,events_n,mean_sentiment", 0) == 0);
  auto json = demo({"export", "--by", "stage,channel", "--format", "json"});
  REQUIRE(json.exit_code == 0);
  Poco::JSON::Parser parser;
  auto rows = parser.parse(json.out).extract<Poco::JSON::Array::Ptr>();
  REQUIRE(rows->size() >= 6);
  std::set<std::string> channels;
  for (std::size_t i = 0; i < rows->size(); ++i)
    channels.insert(rows->getObject(static_cast<unsigned>(i))->getValue<std::string>("channel"));
  CHECK(channels == std::set<std::string>{"chat", "email", "survey"});
}

TEST_CASE("long waits are searchable by pain point with their minutes", "[cli]") {
  auto r = demo({"search", "pain:long_wait", "--json", "--limit", "50"});
  REQUIRE(r.exit_code == 0);
  auto hits = parse_object(r.out)->getArray("results");
  REQUIRE(hits->size() >= 3);
  bool found45 = false;
  for (std::size_t i = 0; i < hits->size(); ++i) {
    auto pains = hits->getObject(static_cast<unsigned>(i))->getArray("pain");
    for (std::size_t k = 0; k < pains->size(); ++k) {
      auto p = pains->getObject(static_cast<unsigned>(k));
      if (p->getValue<std::string>("kind") != "long_wait") continue;
      CHECK(p->getValue<std::string>("unit") == "min");
      CHECK(p->getValue<double>("value") > 0);
      if (p->getValue<double>("value") == 45) found45 = true;
    }
  }
  CHECK(found45);
}

TEST_CASE("show prints every sentence of a feedback with its tags", "[cli]") {
  const std::string id = feedback_id("nps-survey", "R_0204");
  auto r = demo({"show", id});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("feedback " + id) != std::string::npos);
  CHECK(r.out.find("#0 customer") != std::string::npos);
  CHECK(r.out.find("furious") != std::string::npos);
  auto missing = demo({"show", "ffffffffffffffff"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("ffffffffffffffff") != std::string::npos);
}

TEST_CASE("search sorts by date, newest first", "[cli]") {
  auto r = demo({"search", "refund", "--sort", "date", "--json", "--limit", "20"});
  REQUIRE(r.exit_code == 0);
  auto hits = parse_object(r.out)->getArray("results");
  REQUIRE(hits->size() >= 2);
  for (std::size_t i = 1; i < hits->size(); ++i)
    CHECK(hits->getObject(static_cast<unsigned>(i - 1))->getValue<std::string>("date").substr(0, 10) >=
          hits->getObject(static_cast<unsigned>(i))->getValue<std::string>("date").substr(0, 10));
}

TEST_CASE("the journey summary names every stage", "[cli]") {
  auto r = demo({"summary", "--json"});
  REQUIRE(r.exit_code == 0);
  auto s = parse_object(r.out);
  auto stages = s->getArray("stages");
  std::vector<std::string> names;
  for (std::size_t i = 0; i < stages->size(); ++i)
    names.push_back(stages->getObject(static_cast<unsigned>(i))->getValue<std::string>("stage"));
  for (const char* st : {"aware", "self_service", "contact", "engage", "resolution", "follow_up"})
    CHECK(std::find(names.begin(), names.end(), st) != names.end());
  CHECK(s->getValue<std::int64_t>("customers") >= 30);
}

TEST_CASE("a second ingest of the demo corpus adds nothing", "[cli]") {
  TempDir dir;
  auto first = run_cxmap({"--data", dir.path(), "ingest", "--quiet", "--config", kDemoConfig});
  REQUIRE((first.exit_code == 0 || first.exit_code == 10));
  auto before = parse_object(run_cxmap({"--data", dir.path(), "stats", "--json"}).out);
  auto second = run_cxmap({"--data", dir.path(), "ingest", "--quiet", "--config", kDemoConfig});
  REQUIRE((second.exit_code == 0 || second.exit_code == 10));
  CHECK(second.out.find("ingested 0,") != std::string::npos);
  auto after = parse_object(run_cxmap({"--data", dir.path(), "stats", "--json"}).out);
  CHECK(after->getValue<std::int64_t>("feedback") == before->getValue<std::int64_t>("feedback"));
  CHECK(after->getValue<std::int64_t>("events") == before->getValue<std::int64_t>("events"));
  CHECK(after->getValue<std::int64_t>("indexed_events") == before->getValue<std::int64_t>("indexed_events"));
  auto run = after->getObject("last_run");
  CHECK(run->getValue<std::int64_t>("ingested") == 0);
  CHECK(run->getValue<std::int64_t>("duplicate") == before->getValue<std::int64_t>("feedback"));
}

TEST_CASE("a malformed file is quarantined and the run still completes", "[cli]") {
  TempDir dir;
  const std::string in = dir.path() + "/in";
  write_file(in + "/good.json",
             R"({"conversation_id": "G1", "customer": "a@example.com", "started_at": "2026-09-01T10:00:00Z",
                 "turns": [{"speaker": "customer", "time": "2026-09-01T10:00:00Z",
                            "text": "I waited on hold for 30 minutes and nobody answered."}]})");
  write_file(in + "/truncated.json", R"({"conversation_id": "T1", "turns": [{"speaker": "cust)");
  write_file(in + "/also_good.json",
             R"({"conversation_id": "G2", "customer": "b@example.com", "started_at": "2026-09-02T10:00:00Z",
                 "turns": [{"speaker": "customer", "time": "2026-09-02T10:00:00Z", "text": "Thanks, sorted quickly!"}]})");
  auto r = run_cxmap({"--data", dir.path() + "/data", "ingest", "--quiet", in});
  CHECK(r.exit_code == 10);
  CHECK(r.err.find("truncated.json") != std::string::npos);
  CHECK(r.out.find("read 3, ingested 2, duplicate 0, quarantined 1") != std::string::npos);
  auto stats = parse_object(run_cxmap({"--data", dir.path() + "/data", "stats", "--json"}).out);
  CHECK(stats->getValue<std::int64_t>("feedback") == 2);
  CHECK(stats->getValue<std::int64_t>("quarantined") == 1);
  CHECK(stats->getObject("last_run")->getValue<std::string>("status") == "rejects");
}

TEST_CASE("tag writes one JSON object per input line", "[cli]") {
  auto r = run_cxmap({"tag"},
                     "I was on hold for 45 minutes and the agent was rude.\n"
                     "Thank you so much, the refund came through quickly and I am delighted!\n");
  REQUIRE(r.exit_code == 0);
  std::istringstream lines(r.out);
  std::string first, second, extra;
  REQUIRE(std::getline(lines, first));
  REQUIRE(std::getline(lines, second));
  CHECK_FALSE(std::getline(lines, extra));
  auto neg = parse_object(first);
  auto pos = parse_object(second);
  CHECK(neg->getValue<std::string>("label") == "neg");
  CHECK(neg->getValue<double>("compound") < -0.05);
  CHECK(pos->getValue<std::string>("label") == "pos");
  CHECK(pos->getValue<double>("compound") > 0.5);
  auto events = neg->getArray("events");
  REQUIRE(events->size() >= 1);
  bool wait = false;
  auto pains = events->getObject(0)->getArray("pain");
  for (std::size_t i = 0; i < pains->size(); ++i)
    if (pains->getObject(static_cast<unsigned>(i))->getValue<std::string>("kind") == "long_wait") {
      wait = true;
      CHECK(pains->getObject(static_cast<unsigned>(i))->getValue<double>("value") == 45);
    }
  CHECK(wait);
  CHECK(neg->getValue<std::string>("stage") != "none");
}

TEST_CASE("every command answers --help", "[cli]") {
  for (const char* cmd : {"ingest", "search", "show", "export", "summary", "stats", "tag", "reindex"}) {
    auto r = run_cxmap({cmd, "--help"});
    INFO(cmd);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(std::string(cmd)) != std::string::npos);
    CHECK(r.out.find("--help") != std::string::npos);
  }
  auto root = run_cxmap({"--help"});
  CHECK(root.exit_code == 0);
  CHECK(root.out.find("Exit codes") != std::string::npos);
}

TEST_CASE("usage errors exit 2 with a message", "[cli]") {
  auto unknown = run_cxmap({"frobnicate"});
  CHECK(unknown.exit_code == 2);
  TempDir dir;
  auto nostore = run_cxmap({"--data", dir.path() + "/none", "search", "x"});
  CHECK(nostore.exit_code == 2);
  CHECK(nostore.err.find(dir.path() + "/none") != std::string::npos);
  auto badgroup = demo({"export", "--by", "stage,colour"});
  CHECK(badgroup.exit_code == 2);
  CHECK(badgroup.err.find("colour") != std::string::npos);
}

TEST_CASE("ingesting a path that does not exist fails and names it", "[cli]") {
  TempDir dir;
  auto r = run_cxmap({"--data", dir.path(), "ingest", dir.path() + "/missing.mbox"});
  CHECK(r.exit_code != 0);
  CHECK(r.exit_code != 10);
  CHECK(r.err.find("missing.mbox") != std::string::npos);
}

TEST_CASE("a second writer is refused while the lock is held", "[cli]") {
  TempDir dir;
  fs::create_directories(dir.path());
  int fd = ::open((dir.path() + "/lock").c_str(), O_RDWR | O_CREAT, 0600);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  auto r = run_cxmap({"--data", dir.path(), "ingest", "--config", kDemoConfig});
  auto re = run_cxmap({"--data", dir.path(), "reindex"});  // dropping the index under a writer would lose it
  ::close(fd);
  CHECK(r.exit_code == 6);
  CHECK(r.err.find("another cxmap process") != std::string::npos);
  CHECK(re.exit_code == 6);
  CHECK(re.err.find("lock " + dir.path() + "/lock is held") != std::string::npos);
}

TEST_CASE("reindex rebuilds the same index from the store", "[cli]") {
  TempDir dir;
  const std::string survey = std::string(CXMAP_SOURCE_DIR) + "/examples/survey/responses.csv";
  auto ing = run_cxmap({"--data", dir.path(), "ingest", "--quiet", survey});
  REQUIRE((ing.exit_code == 0 || ing.exit_code == 10));
  auto before = run_cxmap({"--data", dir.path(), "search", "refund", "--json", "--limit", "100"});
  auto re = run_cxmap({"--data", dir.path(), "reindex"});
  REQUIRE(re.exit_code == 0);
  auto stats = parse_object(run_cxmap({"--data", dir.path(), "stats", "--json"}).out);
  CHECK(re.out.find("reindexed " + std::to_string(stats->getValue<std::int64_t>("events"))) != std::string::npos);
  CHECK(stats->getValue<std::int64_t>("indexed_events") == stats->getValue<std::int64_t>("events"));
  auto after = run_cxmap({"--data", dir.path(), "search", "refund", "--json", "--limit", "100"});
  CHECK(parse_object(after.out)->getValue<std::int64_t>("total") ==
        parse_object(before.out)->getValue<std::int64_t>("total"));
}

TEST_CASE("every file and folder of a data dir is readable by its owner only, whatever the umask", "[cli][privacy]") {
  TempDir dir;
  const std::string data = dir.path() + "/data";
  const std::string survey = std::string(CXMAP_SOURCE_DIR) + "/examples/survey/responses.csv";
  const mode_t old = ::umask(022);  // the usual default: files 0644
  auto r = run_cxmap({"--data", data, "ingest", "--quiet", survey});
  ::umask(old);
  REQUIRE(r.exit_code == 0);
  int checked = 0;
  for (const auto& e : fs::recursive_directory_iterator(data)) {
    const auto perms = fs::status(e.path()).permissions();
    INFO(e.path().string());
    CHECK((perms & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
    ++checked;
  }
  CHECK(checked >= 5);  // cxmap.sqlite, its WAL, lock, index/ and its tables
}
