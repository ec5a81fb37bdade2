// End-to-end: `cxmap schedule` runs sources on their intervals in one
// process, logs a line per run, picks up new mail between runs, and stops
// cleanly on SIGTERM; `cxmap ingest` stops cleanly on SIGTERM too.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../db/fixtures.h"
#include "run_cxmap.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using cxmap::testing::run_cxmap;
using cxmap::testing::slurp;
using cxmap::testing::TempDir;

void write_mail(const fs::path& maildir, int n) {
  fs::create_directories(maildir / "new");
  fs::create_directories(maildir / "cur");
  fs::create_directories(maildir / "tmp");
  std::ofstream(maildir / "new" / ("mail-" + std::to_string(n)), std::ios::binary)
      << "From: customer" << n << "@example.com\nTo: support@example.com\nSubject: Router " << n
      << "\nDate: Tue, 3 Nov 2026 10:0" << n % 10 << ":00 +0000\nMessage-ID: <sched-" << n
      << "@example.com>\n\nMy router keeps dropping the connection. I waited 40 minutes on hold.\n";
}

fs::path write_config(const fs::path& dir, const std::string& interval) {
  write_mail(dir / "Maildir", 1);
  write_mail(dir / "Maildir", 2);
  fs::create_directories(dir / "chat");
  std::ofstream(dir / "chat" / "c1.json")
      << R"({"conversation_id": "S-1", "customer": "x@example.com", "started_at": "2026-11-03T10:00:00Z",)"
      << R"( "turns": [{"speaker": "customer", "text": "The chatbot could not help me at all."}]})";
  const fs::path config = dir / "cxmap.json";
  std::ofstream(config) << R"({"sources": [)"
                        << R"({"name": "mail", "kind": "maildir", "path": "Maildir", "interval": ")" << interval
                        << R"("}, {"name": "chat", "kind": "chat_json", "path": "chat"}]})";
  return config;
}

// Starts cxmap with stdout and stderr sent to files; returns the pid.
pid_t spawn_cxmap(std::vector<std::string> args, const fs::path& out, const fs::path& err) {
  args.insert(args.begin(), CXMAP_BINARY);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  REQUIRE(posix_spawn(&pid, CXMAP_BINARY, &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

// Polls the log until `needle` appears `times` times; the deadline only
// guards against a hang, nothing is measured.
bool wait_for(const fs::path& log, const std::string& needle, int times) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (std::chrono::steady_clock::now() < deadline) {
    if (count(slurp(log.string()), needle) >= times) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace

TEST_CASE("schedule --once runs every source once and logs a line each", "[cli][schedule]") {
  TempDir dir;
  const auto config = write_config(dir.path(), "5m");
  const std::string data = dir.path() + "/data";
  auto r = run_cxmap({"--data", data, "schedule", "--config", config.string(), "--once"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(count(r.out, "source=mail run=1 status=ok read=2 ingested=2 duplicate=0 quarantined=0") == 1);
  CHECK(count(r.out, "source=chat run=2 status=ok read=1 ingested=1 duplicate=0") == 1);

  auto again = run_cxmap({"--data", data, "schedule", "--config", config.string(), "--once"});
  CHECK(again.exit_code == 0);
  CHECK(count(again.out, "source=mail run=3 status=ok read=2 ingested=0 duplicate=2") == 1);
  auto verify = run_cxmap({"--data", data, "verify"});
  CHECK(verify.exit_code == 0);
}

TEST_CASE("schedule picks up new mail on the next interval and exits 0 on SIGTERM", "[cli][schedule]") {
  TempDir dir;
  const auto config = write_config(dir.path(), "1s");
  const fs::path out = dir.path() + "/out.log", err = dir.path() + "/err.log";
  const pid_t pid = spawn_cxmap({"--data", dir.path() + "/data", "schedule", "--config", config.string()}, out, err);
  REQUIRE(wait_for(out, "source=mail run=", 1));
  write_mail(dir.path() + "/Maildir", 3);
  // The chat source keeps the default interval (15m): only mail runs again.
  REQUIRE(wait_for(out, "source=mail run=", 3));
  ::kill(pid, SIGTERM);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  const std::string log = slurp(out.string());
  INFO(log << slurp(err.string()));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(count(log, "source=chat run=") == 1);
  CHECK(count(log, "source=mail run=1 status=ok read=2 ingested=2") == 1);
  CHECK(count(log, "ingested=1 duplicate=2") == 1);  // the third mail, once
  CHECK(count(log, "schedule: stopped by signal 15") == 1);

  auto stats = run_cxmap({"--data", dir.path() + "/data", "stats", "--json"});
  REQUIRE(stats.exit_code == 0);
  CHECK(cxmap::testing::parse_object(stats.out)->getValue<int>("feedback") == 4);
}

TEST_CASE("schedule: a bad interval is a config error naming the source", "[cli][schedule]") {
  TempDir dir;
  const auto config = write_config(dir.path(), "soon");
  auto r = run_cxmap({"--data", dir.path() + "/data", "schedule", "--config", config.string(), "--once"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("source 'mail': bad \"interval\" 'soon'") != std::string::npos);
}

TEST_CASE("schedule: a run that finds the writer lock held is logged busy, not fatal", "[cli][schedule]") {
  TempDir dir;
  const auto config = write_config(dir.path(), "5m");
  const std::string data = dir.path() + "/data";
  fs::create_directories(data);
  int fd = ::open((data + "/lock").c_str(), O_RDWR | O_CREAT, 0600);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  auto r = run_cxmap({"--data", data, "schedule", "--config", config.string(), "--once"});
  ::close(fd);
  CHECK(r.exit_code == 0);
  CHECK(count(r.out, "status=busy") == 2);
}
