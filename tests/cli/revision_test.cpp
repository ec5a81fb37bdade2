// End-to-end: a chat conversation that gains turns at its source is
// re-ingested as a newer revision, replacing the stored one everywhere.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "../db/fixtures.h"
#include "run_cxmap.h"

using namespace cxmap::testing;

namespace {

void write_chat(const std::string& path, bool with_follow_up) {
  std::ofstream out(path);
  out << R"({"conversation_id": "REV-1", "customer": "rev@example.com", "started_at": "2026-11-01T09:00:00Z",)"
      << R"( "turns": [{"speaker": "customer", "time": "2026-11-01T09:00:00Z", "text": "My router keeps dropping."},)"
      << R"( {"speaker": "agent", "time": "2026-11-01T09:05:00Z", "text": "Let me check the line."})";
  if (with_follow_up)
    out << R"(, {"speaker": "customer", "time": "2026-11-02T10:00:00Z", "text": "The engineer never turned up, I waited all day."})";
  out << "]}";
}

}  // namespace

TEST_CASE("a conversation that gained turns replaces the stored one in store and index", "[cli][revision]") {
  TempDir dir;
  const std::string chats = dir.path() + "/chats";
  std::filesystem::create_directories(chats);
  write_chat(chats + "/rev.json", false);
  const std::string data = dir.path() + "/data";
  auto first = run_cxmap({"--data", data, "ingest", "--quiet", chats});
  REQUIRE(first.exit_code == 0);
  auto none = run_cxmap({"--data", data, "search", "engineer", "--json"});
  REQUIRE(none.exit_code == 0);
  CHECK(parse_object(none.out)->getValue<int>("total") == 0);

  auto same = run_cxmap({"--data", data, "ingest", "--quiet", chats});
  CHECK(same.out.find("ingested 0, duplicate 1") != std::string::npos);

  write_chat(chats + "/rev.json", true);
  auto second = run_cxmap({"--data", data, "ingest", "--quiet", chats});
  INFO(second.out << second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(second.out.find("ingested 1, duplicate 0, quarantined 0 (1 of the ingested replaced older revisions)") !=
        std::string::npos);
  auto found = run_cxmap({"--data", data, "search", "engineer", "--json"});
  CHECK(parse_object(found.out)->getValue<int>("total") == 1);
  auto stats = parse_object(run_cxmap({"--data", data, "stats", "--json"}).out);
  CHECK(stats->getValue<int>("feedback") == 1);
  CHECK(stats->getValue<int>("events") == stats->getValue<int>("indexed_events"));
  auto verify = run_cxmap({"--data", data, "verify"});
  INFO(verify.out);
  CHECK(verify.exit_code == 0);
}
