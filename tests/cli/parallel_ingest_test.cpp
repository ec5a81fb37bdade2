// End-to-end: the parallel ingest (tagging on a worker pool, the index built
// by a follower thread) stores and indexes exactly what the one-thread ingest
// does, row for row, including the cases its window reorders work around:
// a feedback id repeated while its first copy is still being tagged, a newer
// revision of it, and cursors saved between records.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "../db/fixtures.h"
#include "db/sqlite.h"
#include "run_cxmap.h"

using namespace cxmap::testing;

namespace {

const std::string kDemoConfig = std::string(CXMAP_SOURCE_DIR) + "/config/demo.json";

void write_text(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

std::string chat(const std::string& id, int follow_ups) {
  std::string turns =
      R"({"speaker": "customer", "time": "2026-11-01T09:00:00Z", "text": "My router keeps dropping, I checked the FAQ first."},)"
      R"( {"speaker": "agent", "time": "2026-11-01T09:05:00Z", "text": "Let me check the line."})";
  for (int i = 0; i < follow_ups; ++i)
    turns += R"(, {"speaker": "customer", "time": "2026-11-0)" + std::to_string(2 + i) +
             R"(T10:00:00Z", "text": "Still not fixed, I waited on hold for 40 minutes again."})";
  return R"({"conversation_id": ")" + id + R"(", "customer": "c-)" + id +
         R"(@example.com", "started_at": "2026-11-01T09:00:00Z", "turns": [)" + turns + "]}";
}

// Every stored row a run leaves, in a stable order, as text.
std::string dump_store(const std::string& data) {
  auto db = cxmap::sql::Connection::open(data + "/cxmap.sqlite", true);
  REQUIRE(db);
  std::string out;
  const std::pair<const char*, int> queries[] = {
      {"SELECT id, source, external_id, customer_key, received_at, language, text FROM feedback ORDER BY id", 7},
      {"SELECT id, feedback_id, ordinal, speaker, sentence, stage, touchpoint, emotion, compound FROM event"
       " ORDER BY id", 9},
      {"SELECT event_id, kind, value, unit FROM event_pain ORDER BY event_id, kind, rowid", 4},
      {"SELECT customer_key, from_event, to_event, kind, topic FROM journey_link ORDER BY 1, 2, 3, 4", 5},
      {"SELECT source, cursor FROM source_cursor ORDER BY source", 2},
      {"SELECT source, locator, reason FROM quarantine ORDER BY source, locator", 3}};
  for (const auto& [q, columns] : queries) {
    auto st = db->prepare(q);
    REQUIRE(st);
    for (;;) {
      auto row = st->step();
      REQUIRE(row);
      if (!*row) break;
      for (int c = 0; c < columns; ++c) out.append(st->text(c)).append("|");
      out += '\n';
    }
    out += "--\n";
  }
  return out;
}

std::string run_report(const RunResult& r) {
  // "ingest run 1: read ..., ...; N events, N indexed in S s (...)": the part before the time.
  const auto end = r.out.find(" in ");
  return r.out.substr(0, end);
}

}  // namespace

TEST_CASE("parallel ingest stores and indexes the demo corpus exactly as one thread does", "[cli][ingest]") {
  TempDir dir;
  const std::string one = dir.path() + "/one", many = dir.path() + "/many";
  // A small batch makes many commits, follower passes and windows that span batches.
  auto serial = run_cxmap({"--data", one, "ingest", "--quiet", "--jobs", "1", "--batch", "7", "--config", kDemoConfig});
  auto parallel =
      run_cxmap({"--data", many, "ingest", "--quiet", "--jobs", "3", "--batch", "7", "--config", kDemoConfig});
  INFO(serial.out << serial.err << parallel.out << parallel.err);
  REQUIRE((serial.exit_code == 0 || serial.exit_code == 10));
  REQUIRE(parallel.exit_code == serial.exit_code);
  CHECK(run_report(parallel) == run_report(serial));
  const std::string rows = dump_store(one);
  CHECK(rows.size() > 10000);
  CHECK(dump_store(many) == rows);
  for (const std::string& data : {one, many}) {
    auto verify = run_cxmap({"--data", data, "verify"});
    INFO(verify.out << verify.err);
    CHECK(verify.exit_code == 0);
  }
  for (const char* q : {"stage:contact", "emotion:frustrated", "pain:dead_end", "\"on hold\""}) {
    auto a = run_cxmap({"--data", one, "search", q, "--json"});
    auto b = run_cxmap({"--data", many, "search", q, "--json"});
    INFO(q);
    REQUIRE(a.exit_code == 0);
    CHECK(parse_object(a.out)->getValue<int>("total") > 0);
    CHECK(b.out == a.out);
  }
}

TEST_CASE("parallel ingest: an id repeated inside the window, a newer revision and a duplicate", "[cli][ingest]") {
  TempDir dir;
  const std::string in = dir.path() + "/chats";
  // Files are read in name order: R-1 arrives three times (first, newer
  // revision, the same again), between other conversations.
  write_text(in + "/a.json", chat("R-1", 0));
  write_text(in + "/b.json", chat("X-1", 1));
  write_text(in + "/c.json", chat("R-1", 2));
  write_text(in + "/d.json", chat("X-2", 0));
  write_text(in + "/e.json", chat("R-1", 2));
  write_text(in + "/f.json", R"({"conversation_id": "BAD", "turns": [{"speaker": "cust)");
  std::string report;
  std::string rows;
  for (const char* jobs : {"1", "4"}) {
    const std::string data = dir.path() + "/data" + jobs;
    auto r = run_cxmap({"--data", data, "ingest", "--quiet", "--jobs", jobs, in});
    INFO(jobs << " jobs: " << r.out << r.err);
    CHECK(r.exit_code == 10);  // the truncated file is quarantined
    CHECK(r.out.find("read 6, ingested 4, duplicate 1, quarantined 1") != std::string::npos);
    CHECK(r.out.find("(1 of the ingested replaced older revisions)") != std::string::npos);
    auto stats = parse_object(run_cxmap({"--data", data, "stats", "--json"}).out);
    CHECK(stats->getValue<int>("feedback") == 3);
    CHECK(stats->getValue<int>("events") == stats->getValue<int>("indexed_events"));
    // Both follow-ups of the newest revision, and no event of the old one left behind.
    auto hits = parse_object(run_cxmap({"--data", data, "search", "hold customer:c-r-1@example.com", "--json"}).out);
    CHECK(hits->getValue<int>("total") == 1);
    CHECK(hits->getValue<int>("events") == 2);
    CHECK(run_cxmap({"--data", data, "verify"}).exit_code == 0);
    if (report.empty()) {
      report = run_report(r);
      rows = dump_store(data);
    } else {
      CHECK(run_report(r) == report);
      CHECK(dump_store(data) == rows);
    }
  }
}

TEST_CASE("ingest --timings names every stage and accounts for the tagging and indexing done", "[cli][ingest]") {
  TempDir dir;
  for (const char* jobs : {"1", "2"}) {
    auto r = run_cxmap({"--data", dir.path() + "/data" + jobs, "ingest", "--quiet", "--timings", "--jobs", jobs,
                        "--config", kDemoConfig});
    INFO(jobs << " jobs: " << r.out << r.err);
    REQUIRE((r.exit_code == 0 || r.exit_code == 10));
    const auto table = r.out.find("stage times (seconds summed over threads; wall ");
    REQUIRE(table != std::string::npos);
    double percent_sum = 0;
    for (const char* stage : {"read", "tag", "store", "index", "links", "wait"}) {
      const auto at = r.out.find(std::string("\n  ") + stage + " ", table);
      REQUIRE(at != std::string::npos);
      const double seconds = std::stod(r.out.substr(at + 11));
      const auto pct = r.out.find(" s  ", at) + 4;
      percent_sum += std::stod(r.out.substr(pct));
      // The demo run tags, stores, indexes and links every record: those stages took time.
      if (std::string(stage) != "read" && std::string(stage) != "wait") CHECK(seconds > 0);
    }
    CHECK(percent_sum == Approx(100).margin(0.5));
  }
}
