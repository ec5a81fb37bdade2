// End-to-end: a sharded index (`--shards N`, db/index.h) answers searches,
// exports and stats exactly as one database holding the same events does,
// locally and with its shards served by Debian's xapian-tcpsrv on loopback.
// Queries avoid wildcards: Xapian estimates a wildcard's statistics per
// shard, so near-ties among wildcard matches may order differently.
#include <catch2/catch.hpp>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "../db/fixtures.h"
#include "run_cxmap.h"

using namespace cxmap::testing;

namespace {

const std::string kDemoConfig = std::string(CXMAP_SOURCE_DIR) + "/config/demo.json";

const char* const kQueries[] = {"stage:contact",
                                "emotion:frustrated",
                                "refund",
                                "\"on hold\"",
                                "pain:dead_end OR pain:repeat_contact",
                                "stage:contact AND (refund OR bill)",
                                "speaker:agent sorry",
                                "waiting -phone",
                                "touchpoint:app NOT crash",
                                "date:2026-09-01..2026-09-30 channel:email"};

// Every query in every sort order, two pages each, as the JSON the CLI
// prints; `first_pages` keeps the first page by relevance only (a remote
// index reads its search columns over the network for every search).
std::string answers(const std::string& data, bool first_pages = false) {
  std::string out;
  const std::vector<const char*> sorts =
      first_pages ? std::vector<const char*>{"relevance"} : std::vector<const char*>{"relevance", "date", "sentiment"};
  const std::vector<const char*> offsets = first_pages ? std::vector<const char*>{"0"} : std::vector<const char*>{"0", "5"};
  for (const char* q : kQueries)
    for (const char* sort : sorts)
      for (const char* offset : offsets) {
        auto r = run_cxmap({"--data", data, "search", q, "--json", "--sort", sort, "--limit", "5", "--offset", offset});
        INFO(data << ": " << q << " " << r.err);
        REQUIRE(r.exit_code == 0);
        out.append(q).append(" ").append(sort).append(" ").append(offset).append("\n").append(r.out).append("\n");
      }
  for (const char* by : {"stage", "stage,touchpoint"}) {
    auto r = run_cxmap({"--data", data, "export", "--by", by, "--format", "csv"});
    REQUIRE(r.exit_code == 0);
    out.append(r.out);
  }
  return out;
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// xapian-tcpsrv serving one shard on loopback, stopped when this goes.
class TcpServer {
 public:
  TcpServer(const std::string& shard, const std::string& work) : log_(work + ".log"), pidfile_(work + ".pid") {
    for (int attempt = 0; attempt < 5 && !listening(); ++attempt) {
      port_ = free_port();
      // Its own session: on SIGTERM xapian-tcpsrv signals its whole process
      // group (its connection children), which would otherwise be ours.
      const std::string cmd = "setsid xapian-tcpsrv --interface 127.0.0.1 --port " + std::to_string(port_) + " " +
                              shell_quote(shard) + " >" + shell_quote(log_) + " 2>&1 & echo $! >" +
                              shell_quote(pidfile_);
      REQUIRE(std::system(cmd.c_str()) == 0);
      for (int i = 0; i < 100 && !listening(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (!listening()) stop();
    }
  }
  ~TcpServer() { stop(); }
  bool listening() const { return slurp(log_).find("Listening") != std::string::npos; }
  int port() const { return port_; }

 private:
  void stop() {
    const std::string pid = slurp(pidfile_);
    if (!pid.empty()) (void)std::system(("kill " + pid + " 2>/dev/null").c_str());
    std::filesystem::remove(pidfile_);
  }
  std::string log_, pidfile_;
  int port_ = 0;
};

}  // namespace

TEST_CASE("a sharded index answers searches, exports and stats as one database does", "[cli][shards]") {
  TempDir dir;
  const std::string one = dir.path() + "/one", three = dir.path() + "/three";
  auto a = run_cxmap({"--data", one, "ingest", "--quiet", "--config", kDemoConfig});
  auto b = run_cxmap({"--data", three, "ingest", "--quiet", "--shards", "3", "--batch", "50", "--config", kDemoConfig});
  INFO(a.out << a.err << b.out << b.err);
  REQUIRE((a.exit_code == 0 || a.exit_code == 10));
  REQUIRE(b.exit_code == a.exit_code);
  for (int k = 0; k < 3; ++k) CHECK(std::filesystem::is_directory(three + "/index/shard" + std::to_string(k)));
  CHECK(slurp(three + "/index/XAPIANDB") == "auto shard0\nauto shard1\nauto shard2\n");

  const std::string expected = answers(one);
  CHECK(expected.find("\"total\":0,") == std::string::npos);  // every query finds something
  CHECK(answers(three) == expected);
  auto stats = parse_object(run_cxmap({"--data", three, "stats", "--json"}).out);
  CHECK(stats->getValue<int>("indexed_events") == stats->getValue<int>("events"));
  auto verify = run_cxmap({"--data", three, "verify"});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);

  SECTION("an existing index keeps its count; another one is refused, naming reindex") {
    auto again = run_cxmap({"--data", three, "ingest", "--quiet", "--config", kDemoConfig});
    CHECK(again.out.find("ingested 0,") != std::string::npos);
    auto other = run_cxmap({"--data", three, "ingest", "--quiet", "--shards", "2", "--config", kDemoConfig});
    CHECK(other.exit_code == 2);
    CHECK(other.err.find("has 3 shard(s), not 2") != std::string::npos);
    CHECK(other.err.find("cxmap reindex --shards 2") != std::string::npos);
  }
  SECTION("reindex --shards changes the count and the answers stay the same") {
    auto re = run_cxmap({"--data", three, "reindex", "--shards", "2"});
    INFO(re.out << re.err);
    REQUIRE(re.exit_code == 0);
    CHECK(re.out.find("into 2 shards") != std::string::npos);
    CHECK(slurp(three + "/index/XAPIANDB") == "auto shard0\nauto shard1\n");
    CHECK(answers(three) == expected);
    auto back = run_cxmap({"--data", three, "reindex", "--shards", "1"});
    REQUIRE(back.exit_code == 0);
    CHECK(!std::filesystem::exists(three + "/index/XAPIANDB"));
    CHECK(answers(three) == expected);
  }
}

TEST_CASE("two shards served by xapian-tcpsrv on loopback search as one local database", "[cli][shards]") {
  REQUIRE(std::system("command -v xapian-tcpsrv >/dev/null") == 0);  // scripts/setup installs xapian-tools
  TempDir dir;
  const std::string one = dir.path() + "/one", two = dir.path() + "/two", remote = dir.path() + "/remote";
  REQUIRE(run_cxmap({"--data", one, "ingest", "--quiet", "--config", kDemoConfig}).exit_code == 0);
  REQUIRE(run_cxmap({"--data", two, "ingest", "--quiet", "--shards", "2", "--config", kDemoConfig}).exit_code == 0);
  TcpServer s0(two + "/index/shard0", dir.path() + "/tcpsrv0"), s1(two + "/index/shard1", dir.path() + "/tcpsrv1");
  REQUIRE(s0.listening());
  REQUIRE(s1.listening());
  // A data dir whose index is the two remote shards, with the same store.
  std::filesystem::create_directories(remote + "/index");
  std::filesystem::copy_file(two + "/cxmap.sqlite", remote + "/cxmap.sqlite");
  std::ofstream(remote + "/index/XAPIANDB") << "remote :127.0.0.1:" << s0.port() << "\nremote :127.0.0.1:"
                                            << s1.port() << "\n";
  CHECK(answers(remote, true) == answers(one, true));
  auto verify = run_cxmap({"--data", remote, "verify"});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);
  // Remote shards are for reading: a writer refuses them by name.
  auto write = run_cxmap({"--data", remote, "reindex"});
  CHECK(write.exit_code == 2);
  CHECK(write.err.find("remote shards are read-only") != std::string::npos);
  CHECK(std::filesystem::exists(remote + "/index/XAPIANDB"));
  auto ingest = run_cxmap({"--data", remote, "ingest", "--quiet", "--config", kDemoConfig});
  CHECK(ingest.exit_code == 2);
  CHECK(ingest.err.find("remote shards are read-only") != std::string::npos);
  // So does forget, before the store forgets anything: --purge would delete
  // the stub, and the shards would keep what the store no longer has.
  const std::string customer = "maria.lopez@example.com";
  const std::string stats_before = run_cxmap({"--data", remote, "stats"}).out;
  for (const bool purge : {false, true}) {
    std::vector<std::string> args = {"--data", remote, "forget", "--customer", customer};
    if (purge) args.push_back("--purge");
    auto forget = run_cxmap(args);
    CHECK(forget.exit_code == 2);
    CHECK(forget.err.find("remote shards are read-only") != std::string::npos);
    CHECK(std::filesystem::exists(remote + "/index/XAPIANDB"));
    CHECK(run_cxmap({"--data", remote, "stats"}).out == stats_before);
  }
}
