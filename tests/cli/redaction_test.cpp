// End-to-end: personal data is redacted before anything is stored or
// indexed, per-source settings switch it, and the run records the counts.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "../db/fixtures.h"
#include "run_cxmap.h"

using namespace cxmap::testing;
namespace fs = std::filesystem;

namespace {

// A Luhn-valid test card, a UK mobile and an address, in one complaint.
const char* kChat =
    R"({"conversation_id": "PII-1", "customer": "kim@example.com", "started_at": "2026-11-02T09:00:00Z",)"
    R"( "subject": "call me on +44 7700 900123", "turns": [{"speaker": "customer", "text": )"
    R"("I was charged twice on card 4111 1111 1111 1111. Call me on +44 7700 900123 or write to)"
    R"( kim.private@example.org, my password is Blue$ky22."}]})";

bool any_file_contains(const std::string& dir, const std::string& needle) {
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("redaction: placeholders in store and index, counts in the run, nothing left on disk", "[cli][redaction]") {
  TempDir dir;
  fs::create_directories(dir.path() + "/chats");
  std::ofstream(dir.path() + "/chats/pii.json") << kChat;
  const std::string data = dir.path() + "/data";
  auto r = run_cxmap({"--data", data, "ingest", "--quiet", dir.path() + "/chats"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("redacted 1 email, 2 phone, 1 card, 1 secret") != std::string::npos);

  auto shown = run_cxmap({"--data", data, "search", "charged", "--json"});
  auto hits = parse_object(shown.out)->getArray("results");
  REQUIRE(hits->size() == 1);
  const std::string id = hits->getObject(0)->getValue<std::string>("feedback_id");
  auto show = run_cxmap({"--data", data, "show", id, "--json"});
  CHECK(show.out.find("[CARD]") != std::string::npos);
  CHECK(show.out.find("[PHONE]") != std::string::npos);
  CHECK(show.out.find("[EMAIL]") != std::string::npos);
  CHECK(show.out.find("[SECRET]") != std::string::npos);
  for (const char* secret : {"4111 1111 1111 1111", "7700 900123", "kim.private@example.org", "Blue$ky22"}) {
    INFO(secret);
    CHECK(show.out.find(secret) == std::string::npos);
    CHECK_FALSE(any_file_contains(data, secret));
  }
  auto stats = run_cxmap({"--data", data, "stats", "--json"});
  CHECK(stats.exit_code == 0);
}

TEST_CASE("redaction: a source can switch it off or choose types", "[cli][redaction]") {
  TempDir dir;
  fs::create_directories(dir.path() + "/chats");
  std::ofstream(dir.path() + "/chats/pii.json") << kChat;
  for (const auto& [setting, kept, gone] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"false", "4111 1111 1111 1111", ""},
           {R"(["card"])", "kim.private@example.org", "4111 1111 1111 1111"}}) {
    INFO(setting);
    const std::string config = dir.path() + "/cfg.json";
    std::ofstream(config) << R"({"sources": [{"name": "c", "kind": "chat_json", "path": "chats", "redact": )" << setting
                          << "}]}";
    const std::string data = dir.path() + "/data-" + std::to_string(setting.size());
    auto r = run_cxmap({"--data", data, "ingest", "--quiet", "--config", config});
    REQUIRE(r.exit_code == 0);
    CHECK(any_file_contains(data, kept));
    if (!gone.empty()) CHECK_FALSE(any_file_contains(data, gone));
  }
  const std::string bad = dir.path() + "/bad.json";
  std::ofstream(bad) << R"({"sources": [{"name": "c", "kind": "chat_json", "path": "chats", "redact": ["names"]}]})";
  auto r = run_cxmap({"--data", dir.path() + "/data-bad", "ingest", "--quiet", "--config", bad});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("source 'c': \"redact\": unknown type 'names'") != std::string::npos);
}
