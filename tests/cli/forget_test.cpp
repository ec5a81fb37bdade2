// End-to-end: `cxmap forget` leaves no trace of a customer in any search,
// export, journey, SQL table or file of the data dir; `--before` enforces
// retention.
#include <catch2/catch.hpp>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "../db/fixtures.h"
#include "run_cxmap.h"

using namespace cxmap::testing;
namespace fs = std::filesystem;

namespace {

const std::string kDemoConfig = std::string(CXMAP_SOURCE_DIR) + "/config/demo.json";
const std::string kMaria = "maria.lopez@example.com";  // email, chat and survey in the demo corpus

std::int64_t sql_count(const std::string& data, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2((data + "/cxmap.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  INFO(sql);
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  const std::int64_t n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

// Files of the data dir whose bytes contain `needle`.
std::vector<std::string> files_containing(const std::string& dir, const std::string& needle) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(needle) != std::string::npos) out.push_back(e.path().filename().string());
  }
  return out;
}

}  // namespace

TEST_CASE("forget --customer removes every trace of the customer", "[cli][forget]") {
  TempDir dir;
  const std::string data = dir.path() + "/data";
  REQUIRE(run_cxmap({"--data", data, "ingest", "--config", kDemoConfig, "--quiet"}).exit_code == 0);
  const std::int64_t feedback_before = sql_count(data, "SELECT COUNT(*) FROM feedback");
  const std::int64_t theirs = sql_count(data, "SELECT COUNT(*) FROM feedback WHERE customer_key = '" + kMaria + "'");
  const std::int64_t their_links =
      sql_count(data, "SELECT COUNT(*) FROM journey_link WHERE customer_key = '" + kMaria + "'");
  REQUIRE(theirs >= 3);
  REQUIRE(their_links > 0);
  REQUIRE(!files_containing(data, kMaria).empty());

  // Written as the user would, in another case: keys are normalised.
  auto r = run_cxmap({"--data", data, "forget", "--customer", "Maria.Lopez@Example.COM", "--purge"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("forgot customer " + kMaria + ": " + std::to_string(theirs) + " feedback") != std::string::npos);
  CHECK(r.out.find(std::to_string(their_links) + " journey links") != std::string::npos);

  CHECK(sql_count(data, "SELECT COUNT(*) FROM feedback") == feedback_before - theirs);
  for (const char* table : {"feedback", "journey_link"})
    CHECK(sql_count(data, std::string("SELECT COUNT(*) FROM ") + table + " WHERE customer_key = '" + kMaria + "'") ==
          0);
  CHECK(sql_count(data, "SELECT COUNT(*) FROM feedback WHERE instr(text, 'maria.lopez') > 0 OR instr(metadata, "
                        "'maria.lopez') > 0") == 0);
  CHECK(sql_count(data, "SELECT COUNT(*) FROM quarantine WHERE instr(CAST(raw AS TEXT), 'maria.lopez') > 0") == 0);
  auto search = run_cxmap({"--data", data, "search", "customer:" + kMaria, "--json"});
  CHECK(parse_object(search.out)->getValue<int>("total") == 0);
  auto journey = run_cxmap({"--data", data, "journey", kMaria});
  CHECK(journey.out.find("maria") == std::string::npos);
  auto exported = run_cxmap({"--data", data, "export", "--by", "stage", "--format", "csv"});
  CHECK(exported.exit_code == 0);
  // No byte of the address is left in SQLite, its WAL or the rebuilt index.
  CHECK(files_containing(data, kMaria).empty());
  auto verify = run_cxmap({"--data", data, "verify"});
  INFO(verify.out);
  CHECK(verify.exit_code == 0);
}

TEST_CASE("forget --before removes older feedback and keeps the rest consistent", "[cli][forget]") {
  TempDir dir;
  const std::string data = dir.path() + "/data";
  REQUIRE(run_cxmap({"--data", data, "ingest", "--config", kDemoConfig, "--quiet"}).exit_code == 0);
  const std::int64_t old = sql_count(data, "SELECT COUNT(*) FROM feedback WHERE received_at < '2026-09-01'");
  const std::int64_t all = sql_count(data, "SELECT COUNT(*) FROM feedback");
  REQUIRE(old > 0);
  REQUIRE(old < all);
  auto r = run_cxmap({"--data", data, "forget", "--before", "2026-09-01"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("forgot feedback received before 2026-09-01: " + std::to_string(old) + " feedback") !=
        std::string::npos);
  CHECK(sql_count(data, "SELECT COUNT(*) FROM feedback WHERE received_at < '2026-09-01'") == 0);
  CHECK(sql_count(data, "SELECT COUNT(*) FROM feedback") == all - old);
  auto search = run_cxmap({"--data", data, "search", "date:..2026-08-31", "--json"});
  CHECK(parse_object(search.out)->getValue<int>("total") == 0);
  auto verify = run_cxmap({"--data", data, "verify"});
  INFO(verify.out);
  CHECK(verify.exit_code == 0);

  auto bad = run_cxmap({"--data", data, "forget", "--before", "last year"});
  CHECK(bad.exit_code == 2);
  auto both = run_cxmap({"--data", data, "forget"});
  CHECK(both.exit_code == 2);
}

TEST_CASE("privacy mode: the store holds HMAC keys, journeys still join, forget --config finds them",
          "[cli][forget][privacy]") {
  TempDir dir;
  const std::string examples = std::string(CXMAP_SOURCE_DIR) + "/examples";
  const std::string config = dir.path() + "/private.json";
  std::ofstream(config) << R"({"sources": [)"
                        << R"({"name": "support-mbox", "kind": "mbox", "path": ")" << examples
                        << R"(/email/support.mbox"}, {"name": "support-maildir", "kind": "maildir", "path": ")"
                        << examples << R"(/email/Maildir"}, {"name": "chat-transcripts", "kind": "chat_json", "path": ")"
                        << examples << R"(/chat"}], "customers": {"hmac_key_env": "CXMAP_TEST_PRIVACY_KEY"}})";
  ::setenv("CXMAP_TEST_PRIVACY_KEY", "a-long-enough-test-secret", 1);
  const std::string data = dir.path() + "/data";
  auto ingest = run_cxmap({"--data", data, "ingest", "--config", config, "--quiet"});
  INFO(ingest.err);
  REQUIRE(ingest.exit_code == 0);
  CHECK(sql_count(data, "SELECT COUNT(*) FROM feedback WHERE customer_key LIKE '%@%'") == 0);
  CHECK(sql_count(data, "SELECT COUNT(*) FROM feedback WHERE customer_key LIKE 'hmac:%'") ==
        sql_count(data, "SELECT COUNT(*) FROM feedback WHERE customer_key <> ''"));
  CHECK(sql_count(data, "SELECT COUNT(*) FROM journey_link") > 0);  // cross-channel joins survive

  // The journey of one customer: by address only through the config's key.
  auto journey_plain = run_cxmap({"--data", data, "journey", "--json", kMaria});
  CHECK(journey_plain.exit_code == 2);
  auto journey = run_cxmap({"--data", data, "journey", "--json", kMaria, "--config", config});
  INFO(journey.err);
  REQUIRE(journey.exit_code == 0);
  auto journey_json = parse_object(journey.out);
  CHECK(journey_json->getValue<std::string>("customer").rfind("hmac:", 0) == 0);
  CHECK(journey.out.find("@") == std::string::npos);

  auto without = run_cxmap({"--data", data, "forget", "--customer", kMaria});
  CHECK(without.out.find(": 0 feedback") != std::string::npos);
  auto with = run_cxmap({"--data", data, "forget", "--customer", kMaria, "--config", config});
  INFO(with.out << with.err);
  CHECK(with.exit_code == 0);
  CHECK(with.out.find("forgot customer hmac:") != std::string::npos);
  CHECK(with.out.find(": 0 feedback") == std::string::npos);
  ::unsetenv("CXMAP_TEST_PRIVACY_KEY");
  auto unset = run_cxmap({"--data", data, "ingest", "--config", config, "--quiet"});
  CHECK(unset.exit_code == 3);
  CHECK(unset.err.find("CXMAP_TEST_PRIVACY_KEY is unset") != std::string::npos);
}

TEST_CASE("quotes and SQL in every user-facing string change nothing and are answered cleanly", "[cli][hardening]") {
  TempDir dir;
  const std::string data = dir.path() + "/data";
  const std::string survey = std::string(CXMAP_SOURCE_DIR) + "/examples/survey/responses.csv";
  REQUIRE(run_cxmap({"--data", data, "ingest", "--quiet", survey}).exit_code == 0);
  const std::int64_t feedback = sql_count(data, "SELECT COUNT(*) FROM feedback");
  const std::int64_t events = sql_count(data, "SELECT COUNT(*) FROM event");
  const std::vector<std::string> hostile = {
      "x' OR '1'='1", "'; DROP TABLE event; --", "\" OR 1=1 --", "a\\'b", "%' UNION SELECT sql FROM sqlite_master --",
  };
  for (const std::string& h : hostile) {
    INFO(h);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--data", data, "show", h},
             {"--data", data, "journey", h},
             {"--data", data, "search", h, "--json"},
             {"--data", data, "search", "customer:" + h, "--json"},
             {"--data", data, "export", "--by", "stage," + h},
             {"--data", data, "forget", "--customer", h},
             {"--data", data, "forget", "--before", h},
         }) {
      auto r = run_cxmap(args);
      INFO(args[2] << ": exit " << r.exit_code << " " << r.err);
      // Not found, no match or a usage error; never a store error or a crash.
      CHECK((r.exit_code == 0 || r.exit_code == 2));
      CHECK(r.err.find("SQL") == std::string::npos);
    }
  }
  CHECK(sql_count(data, "SELECT COUNT(*) FROM feedback") == feedback);
  CHECK(sql_count(data, "SELECT COUNT(*) FROM event") == events);
  CHECK(run_cxmap({"--data", data, "verify"}).exit_code == 0);
}
