// Focus: passwords and tokens never reach output, logs or the store. The
// config names environment variables only; a run that uses the secrets
// (and fails, which is when error messages are written) must not print or
// keep them anywhere.
#include <catch2/catch.hpp>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "../db/fixtures.h"
#include "run_cxmap.h"

using namespace cxmap;
using namespace cxmap::testing;
namespace fs = std::filesystem;

namespace {

// Every byte of every file under dir, for a grep.
std::string all_bytes_under(const std::string& dir) {
  std::string bytes;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return bytes;
}

}  // namespace

TEST_CASE("secrets from the environment never appear in output, logs or the store", "[cli][hardening]") {
  TempDir dir;
  const std::string password = "imap-pass-Zq8vN3xY", token = "chat-token-Pw4kR7tL";
  ::setenv("CXMAP_TEST_IMAP_PASSWORD", password.c_str(), 1);
  ::setenv("CXMAP_TEST_CHAT_TOKEN", token.c_str(), 1);
  // Port 9 (discard) on loopback: nothing listens, so both connections
  // fail and their error paths run. A real folder makes the run not empty.
  const std::string config = dir.path() + "/cxmap.json";
  std::ofstream(config) << R"({"sources": [
    {"name": "chat-files", "kind": "chat_json", "path": ")" << CXMAP_SOURCE_DIR << R"(/examples/chat"},
    {"name": "mail", "kind": "imap", "host": "127.0.0.1", "port": 9, "user": "support",
     "password_env": "CXMAP_TEST_IMAP_PASSWORD", "timeout_seconds": 5},
    {"name": "chat", "kind": "chat_api", "url": "http://127.0.0.1:9/v1/conversations",
     "token_env": "CXMAP_TEST_CHAT_TOKEN", "timeout_seconds": 5, "max_retries": 0}]})";
  const std::string data = dir.path() + "/data";
  auto ingest = run_cxmap({"--data", data, "ingest", "--config", config});
  auto schedule = run_cxmap({"--data", data, "schedule", "--config", config, "--once"});
  ::unsetenv("CXMAP_TEST_IMAP_PASSWORD");
  ::unsetenv("CXMAP_TEST_CHAT_TOKEN");

  INFO(ingest.out << ingest.err << schedule.out << schedule.err);
  CHECK(ingest.exit_code != 0);  // two sources failed, and the exit code says so
  CHECK(ingest.err.find("mail") != std::string::npos);  // the failure is reported by source name
  CHECK(ingest.err.find("chat") != std::string::npos);
  for (const RunResult* r : {&ingest, &schedule}) {
    for (const std::string* out : {&r->out, &r->err}) {
      CHECK(out->find(password) == std::string::npos);
      CHECK(out->find(token) == std::string::npos);
    }
  }
  // The store, its WAL, the index and the lock file: no trace either, even
  // though the file source's feedback was stored.
  const std::string stored = all_bytes_under(data);
  CHECK(stored.size() > 10000);
  CHECK(stored.find(password) == std::string::npos);
  CHECK(stored.find(token) == std::string::npos);
}

TEST_CASE("a password written into the config is refused, not used", "[cli][hardening]") {
  TempDir dir;
  const std::string config = dir.path() + "/cxmap.json";
  std::ofstream(config) << R"({"sources": [{"name": "mail", "kind": "imap", "host": "127.0.0.1", "port": 9,
    "user": "support", "password": "in-clear-Hk2mQ9"}]})";
  auto r = run_cxmap({"--data", dir.path() + "/data", "ingest", "--config", config});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("password_env") != std::string::npos);
  CHECK(r.err.find("in-clear-Hk2mQ9") == std::string::npos);
}
