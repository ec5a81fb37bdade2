// Focus: `cxmap serve` end to end: the real binary on the demo store, on a
// port the kernel picks (--port 0, read back from the start line), talked to
// with Poco's real HTTP client. The API must answer exactly what the CLI
// prints for the same question (search, show, journey, stats, export), and
// the safety rules must hold: no file outside the web dir is ever served,
// bodies and queries are bounded, a token guards the API when set, a token
// file others can read and a public bind without a token are refused, every
// response carries the security headers, CORS only when asked for.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Poco/JSON/Array.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <catch2/catch.hpp>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "../db/fixtures.h"
#include "run_cxmap.h"
#include "server/security.h"
#include "server/static_files.h"
#include "server/url.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using cxmap::testing::parse_object;
using cxmap::testing::run_cxmap;
using cxmap::testing::RunResult;
using cxmap::testing::slurp;
using cxmap::testing::TempDir;

const std::string kDemo = CXMAP_DEMO_DATA;
const char* const kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
    "base-uri 'none'";
const std::string kToken = "0123456789abcdef-serve-test-token";

RunResult demo(std::vector<std::string> args) {
  args.insert(args.begin(), {"--data", kDemo});
  return run_cxmap(args);
}

struct Http {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  bool has(const std::string& name) const { return headers.count(name) > 0; }
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// One request on a fresh connection; `target` goes on the wire as written.
Http http(int port, const std::string& method, const std::string& target,
          const std::map<std::string, std::string>& headers = {}, const std::string& body = "") {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(60, 0));
  Poco::Net::HTTPRequest req(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() || method == "POST") req.setContentLength(static_cast<std::streamsize>(body.size()));
  std::ostream& out = session.sendRequest(req);
  out << body;
  Poco::Net::HTTPResponse resp;
  std::istream& in = session.receiveResponse(resp);
  Http r;
  r.status = static_cast<int>(resp.getStatus());
  Poco::StreamCopier::copyToString(in, r.body);
  for (const auto& [k, v] : resp) r.headers[k] = v;
  return r;
}

Http get(int port, const std::string& target, const std::map<std::string, std::string>& headers = {}) {
  return http(port, "GET", target, headers);
}

std::string encode(const std::string& text) {
  std::string out;
  Poco::URI::encode(text, "&=+?#%/@:", out);
  return out;
}

// A running `cxmap serve`, stopped with SIGTERM when it goes out of scope.
class Server {
 public:
  explicit Server(std::vector<std::string> args, const std::string& data = kDemo) {
    args.insert(args.begin(), {CXMAP_BINARY, "--data", data, "serve", "--port", "0"});
    out_ = dir_.path() + "/out";
    err_ = dir_.path() + "/err";
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(posix_spawn(&pid_, CXMAP_BINARY, &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    // The deadline only guards against a hang; nothing is timed.
    const std::string marker = "cxmap serve: listening on ";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string text = slurp(out_);
      if (auto at = text.find(marker); at != std::string::npos && text.find('\n', at) != std::string::npos) {
        const std::size_t begin = at + marker.size();
        url_ = text.substr(begin, text.find_first_of(" \n", begin) - begin);  // "http://127.0.0.1:PORT/"
        port_ = std::stoi(url_.substr(url_.rfind(':') + 1));
        return;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        FAIL("cxmap serve exited before listening: " << slurp(out_) << slurp(err_));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL("cxmap serve did not report its port: " << slurp(out_) << slurp(err_));
  }
  ~Server() {
    if (pid_ > 0) stop();
  }
  int port() const { return port_; }
  const std::string& url() const { return url_; }
  // SIGTERM, then the exit status.
  int stop() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  std::string out() const { return slurp(out_); }
  std::string err() const { return slurp(err_); }

 private:
  TempDir dir_;
  std::string out_, err_, url_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// A generated corpus in `out`; its sources are named `prefix`-..., so two
// corpora of different prefixes are different feedback.
void generate(const fs::path& out, int n, int seed, const std::string& prefix) {
  const std::string gen = std::string(CXMAP_GENERATE) + " --kind mixed --n " + std::to_string(n) + " --seed " +
                          std::to_string(seed) + " --out " + out.string() + " >/dev/null";
  REQUIRE(std::system(gen.c_str()) == 0);
  std::string config = slurp((out / "cxmap.json").string());
  for (std::size_t p = config.find("\"gen-"); p != std::string::npos; p = config.find("\"gen-", p + 1))
    config.replace(p + 1, 4, prefix + "-");
  std::ofstream(out / "cxmap.json") << config;
}

std::string write_token_file(const std::string& dir, mode_t mode) {
  const std::string path = dir + "/token";
  std::ofstream(path) << kToken << "\n";
  ::chmod(path.c_str(), mode);
  return path;
}

}  // namespace

TEST_CASE("serve: health answers JSON with the security headers and no CORS, requests are logged", "[cli][http]") {
  Server server({});
  CHECK(server.url() == "http://127.0.0.1:" + std::to_string(server.port()) + "/");
  auto health = get(server.port(), "/api/health");
  REQUIRE(health.status == 200);
  CHECK(health.header("Content-Type") == "application/json");
  CHECK(parse_object(health.body)->getValue<std::string>("status") == "ok");
  auto page = get(server.port(), "/");
  CHECK(page.status == 200);
  CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(page.body.find("/api/health") != std::string::npos);
  // The UI's code comes from files (the CSP allows no inline script).
  const std::string module_script = "<script type=\"module\" src=\"/js/";
  for (std::size_t at = page.body.find("<script"); at != std::string::npos; at = page.body.find("<script", at + 1))
    CHECK(page.body.compare(at, module_script.size(), module_script) == 0);
  auto missing = get(server.port(), "/api/nothing-here");
  CHECK(missing.status == 404);
  CHECK(parse_object(missing.body)->has("error"));
  for (const Http* r : {&health, &page, &missing}) {
    CHECK(r->header("Content-Security-Policy") == kCsp);
    CHECK(r->header("X-Content-Type-Options") == "nosniff");
    CHECK(r->header("X-Frame-Options") == "DENY");
    CHECK(r->header("Referrer-Policy") == "no-referrer");
    CHECK_FALSE(r->has("Access-Control-Allow-Origin"));
  }
  CHECK(health.header("Cache-Control") == "no-store");
  auto head = http(server.port(), "HEAD", "/api/health");
  CHECK(head.status == 200);
  CHECK(head.body.empty());

  const int status = server.stop();
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(server.out().find("cxmap serve: stopped by signal 15") != std::string::npos);
  const std::string log = server.err();
  CHECK(log.find(" GET /api/health 200 ") != std::string::npos);
  CHECK(log.find(" GET / 200 ") != std::string::npos);
  CHECK(log.find(" GET /api/nothing-here 404 ") != std::string::npos);
}

TEST_CASE("serve: /api/search answers what `cxmap search --json` prints, facets included", "[cli][http]") {
  Server server({});
  auto api = get(server.port(), "/api/search?q=" + encode("stage:contact") + "&limit=100");
  REQUIRE(api.status == 200);
  auto cli = demo({"search", "--json", "--limit", "100", "stage:contact"});
  REQUIRE(cli.exit_code == 0);
  CHECK(api.body == cli.out);

  auto result = parse_object(api.body);
  auto hits = result->getArray("results");
  REQUIRE(hits->size() > 0);
  for (std::size_t i = 0; i < hits->size(); ++i)
    CHECK(hits->getObject(static_cast<unsigned>(i))->getValue<std::string>("stage") == "contact");
  auto stages = result->getObject("facets")->getObject("stage");
  CHECK(stages->size() == 1);
  CHECK(stages->getValue<std::int64_t>("contact") == result->getValue<std::int64_t>("events"));
  auto touchpoints = parse_object(cli.out)->getObject("facets")->getObject("touchpoint");
  CHECK(result->getObject("facets")->getObject("touchpoint")->getNames() == touchpoints->getNames());

  // Paging, sorting and a query with spaces and quotes, still the CLI's answer.
  const std::string q = "\"on hold\" stage:contact";
  auto page = get(server.port(), "/api/search?q=" + encode(q) + "&sort=date&offset=2&limit=3");
  REQUIRE(page.status == 200);
  auto cli_page = demo({"search", "--json", "--sort", "date", "--offset", "2", "--limit", "3", q});
  CHECK(page.body == cli_page.out);

  // Asked again, the answer comes from the result cache, and is the same.
  auto health_before = parse_object(get(server.port(), "/api/health").body)->getObject("search_cache");
  auto again = get(server.port(), "/api/search?q=" + encode(q) + "&sort=date&offset=2&limit=3");
  CHECK(again.body == cli_page.out);
  auto health_after = parse_object(get(server.port(), "/api/health").body)->getObject("search_cache");
  CHECK(health_after->getValue<bool>("enabled"));
  CHECK(health_after->getValue<std::int64_t>("hits") == health_before->getValue<std::int64_t>("hits") + 1);
  CHECK(health_after->getValue<std::int64_t>("misses") == health_before->getValue<std::int64_t>("misses"));
}

TEST_CASE("serve: bad search requests are 400/414 JSON errors", "[cli][http]") {
  Server server({});
  auto bad = get(server.port(), "/api/search?q=" + encode("refund AND"));
  CHECK(bad.status == 400);
  auto error = parse_object(bad.body);
  const std::string message = error->getValue<std::string>("error");
  CHECK(message.find("cannot parse query \"refund AND\" at column " + std::to_string(error->getValue<int>("column")) +
                     ": ") == 0);
  CHECK(error->getValue<int>("column") >= 8);
  auto cli = demo({"search", "refund AND"});
  CHECK(cli.exit_code == 2);
  CHECK(cli.err.find(message) != std::string::npos);

  auto big_page = get(server.port(), "/api/search?q=refund&limit=101");
  CHECK(big_page.status == 400);
  CHECK(parse_object(big_page.body)->getValue<std::string>("error").find("limit") != std::string::npos);
  CHECK(get(server.port(), "/api/search?q=refund&offset=-1").status == 400);
  CHECK(get(server.port(), "/api/search?q=refund&sort=random").status == 400);
  CHECK(get(server.port(), "/api/search?q=%zz").status == 400);
  auto long_query = get(server.port(), "/api/search?q=" + std::string(2001, 'a'));
  CHECK(long_query.status == 414);
  CHECK(parse_object(long_query.body)->getValue<std::string>("error").find("2001") != std::string::npos);
  CHECK(get(server.port(), "/api/search?q=" + std::string(2000, 'a')).status == 200);
  auto wrong_method = http(server.port(), "DELETE", "/api/search");
  CHECK(wrong_method.status == 405);
  CHECK(wrong_method.header("Allow") == "GET, HEAD");
}

TEST_CASE("serve: /api/feedback/{id} is `cxmap show --json`, an unknown id is 404", "[cli][http]") {
  Server server({});
  auto hits = parse_object(get(server.port(), "/api/search?q=" + encode("password stage:self_service")).body)
                  ->getArray("results");
  REQUIRE(hits->size() > 0);
  auto hit = hits->getObject(0);
  const std::string id = hit->getValue<std::string>("feedback_id");
  auto api = get(server.port(), "/api/feedback/" + id);
  REQUIRE(api.status == 200);
  auto fb = parse_object(api.body);
  auto cli = parse_object(demo({"show", "--json", id}).out);
  CHECK(fb->getValue<std::string>("id") == id);
  CHECK(fb->getValue<std::string>("customer") == cli->getValue<std::string>("customer"));
  auto events = fb->getArray("events");
  auto cli_events = cli->getArray("events");
  REQUIRE(events->size() == cli_events->size());
  bool found_hit = false;
  for (std::size_t i = 0; i < events->size(); ++i) {
    auto e = events->getObject(static_cast<unsigned>(i));
    auto c = cli_events->getObject(static_cast<unsigned>(i));
    for (const char* field : {"speaker", "sentence", "stage", "touchpoint", "emotion"})
      CHECK(e->getValue<std::string>(field) == c->getValue<std::string>(field));
    CHECK(e->getValue<double>("compound") == c->getValue<double>("compound"));
    CHECK(e->getArray("pain")->size() == c->getArray("pain")->size());
    if (e->getValue<int>("ordinal") == hit->getValue<int>("event")) {
      found_hit = true;
      CHECK(e->getValue<std::string>("sentence") == hit->getValue<std::string>("sentence"));
      CHECK(e->getValue<std::string>("stage") == "self_service");
    }
  }
  CHECK(found_hit);

  auto unknown = get(server.port(), "/api/feedback/0000000000000000");
  CHECK(unknown.status == 404);
  CHECK(parse_object(unknown.body)->getValue<std::string>("error") == "no feedback with id 0000000000000000");
  CHECK(get(server.port(), "/api/feedback/").status == 404);
}

TEST_CASE("serve: /api/journey/{customer} is `cxmap journey --json`, an unknown customer is 404", "[cli][http]") {
  Server server({});
  auto api = get(server.port(), "/api/journey/" + encode("Maria.Lopez@example.com"));
  REQUIRE(api.status == 200);
  auto cli = demo({"journey", "--json", "Maria.Lopez@example.com"});
  REQUIRE(cli.exit_code == 0);
  CHECK(api.body == cli.out);
  CHECK(parse_object(api.body)->getArray("feedback")->size() >= 3);
  auto agents = get(server.port(), "/api/journey/" + encode("maria.lopez@example.com") + "?agents=1");
  CHECK(agents.body == demo({"journey", "--json", "--agents", "maria.lopez@example.com"}).out);

  auto unknown = get(server.port(), "/api/journey/" + encode("nobody@example.com"));
  CHECK(unknown.status == 404);
  CHECK(parse_object(unknown.body)->getValue<std::string>("error").find("nobody@example.com") != std::string::npos);
  // An account id with a '/', encoded, is one customer, not a longer path.
  auto slashed = get(server.port(), "/api/journey/" + encode("acct/7/42"));
  CHECK(slashed.status == 404);
  CHECK(parse_object(slashed.body)->getValue<std::string>("error").find("acct/7/42") != std::string::npos);
  // The customer key is personal data: the log names the route, not the key.
  server.stop();
  CHECK(server.err().find("example.com") == std::string::npos);
  CHECK(server.err().find("acct/7") == std::string::npos);
  CHECK(server.err().find(" GET /api/journey/{customer} 200 ") != std::string::npos);
}

TEST_CASE("serve: /api/export is `cxmap export` byte for byte, as a download", "[cli][http]") {
  Server server({});
  struct Case {
    std::string query, format, by, disposition, type;
  };
  const Case cases[] = {
      {"format=csv", "csv", "stage", "attachment; filename=\"cxmap-stage-table.csv\"", "text/csv; charset=utf-8"},
      {"", "csv", "stage", "attachment; filename=\"cxmap-stage-table.csv\"", "text/csv; charset=utf-8"},
      {"format=tsv&by=stage,touchpoint", "tsv", "stage,touchpoint", "attachment; filename=\"cxmap-stage-table.tsv\"",
       "text/tab-separated-values; charset=utf-8"},
      {"format=json&by=stage,channel", "json", "stage,channel", "attachment; filename=\"cxmap-stage-table.json\"",
       "application/json"},
      {"format=markdown", "markdown", "stage", "attachment; filename=\"cxmap-stage-table.md\"",
       "text/markdown; charset=utf-8"},
  };
  for (const Case& c : cases) {
    INFO(c.query);
    auto api = get(server.port(), "/api/export?" + c.query);
    REQUIRE(api.status == 200);
    auto cli = demo({"export", "--format", c.format, "--by", c.by});
    REQUIRE(cli.exit_code == 0);
    CHECK(api.body == cli.out);
    CHECK(api.header("Content-Disposition") == c.disposition);
    CHECK(api.header("Content-Type") == c.type);
  }
  auto bad_format = get(server.port(), "/api/export?format=xlsx");
  CHECK(bad_format.status == 400);
  auto bad_group = get(server.port(), "/api/export?by=stage,colour");
  CHECK(bad_group.status == 400);
  CHECK(parse_object(bad_group.body)->getValue<std::string>("error").find("colour") != std::string::npos);
}

TEST_CASE("serve: /api/export?q= covers only the sentences the query matches", "[cli][http]") {
  Server server({});
  auto search = parse_object(get(server.port(), "/api/search?q=" + encode("stage:contact touchpoint:phone")).body);
  const std::int64_t events = search->getValue<std::int64_t>("events");
  REQUIRE(events > 0);
  auto api = get(server.port(), "/api/export?format=json&q=" + encode("stage:contact touchpoint:phone"));
  REQUIRE(api.status == 200);
  Poco::JSON::Parser parser;
  auto parsed = parser.parse(api.body);
  Poco::JSON::Array::Ptr rows;
  if (parsed.type() == typeid(Poco::JSON::Array::Ptr)) rows = parsed.extract<Poco::JSON::Array::Ptr>();
  else rows = parsed.extract<Poco::JSON::Object::Ptr>()->getArray("rows");
  REQUIRE(rows);
  std::int64_t total = 0;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto row = rows->getObject(static_cast<unsigned>(i));
    if (row->getValue<std::int64_t>("events_n") == 0) continue;
    CHECK(row->getValue<std::string>("stage") == "contact");
    total += row->getValue<std::int64_t>("events_n");
  }
  CHECK(total == events);
  auto csv = get(server.port(), "/api/export?format=csv&by=stage,month&q=" + encode("channel:email refund"));
  REQUIRE(csv.status == 200);
  CHECK(csv.body == demo({"export", "--format", "csv", "--by", "stage,month", "channel:email refund"}).out);
  auto bad = get(server.port(), "/api/export?q=" + encode("refund AND"));
  CHECK(bad.status == 400);
  CHECK(parse_object(bad.body)->getValue<int>("column") >= 8);
}

TEST_CASE("serve: /api/stats is `cxmap stats --json`", "[cli][http]") {
  Server server({});
  auto api = get(server.port(), "/api/stats");
  REQUIRE(api.status == 200);
  CHECK(api.body == demo({"stats", "--json"}).out);
}

TEST_CASE("serve: no path leaves the web dir, however it is spelled or linked", "[cli][http][security]") {
  TempDir dir;
  const std::string web = dir.path() + "/web", outside = dir.path() + "/outside";
  fs::create_directories(web + "/css");
  fs::create_directories(outside);
  std::ofstream(web + "/index.html") << "<!doctype html><p>test ui</p>";
  std::ofstream(web + "/css/site.css") << "p{color:red}";
  std::ofstream(web + "/.hidden") << "hidden";
  std::ofstream(outside + "/secret.txt") << "TOP-SECRET-CONTENT";
  fs::create_symlink(outside + "/secret.txt", web + "/leak.txt");
  fs::create_directory_symlink(outside, web + "/linked");
  Server server({"--web-dir", web});

  auto index = get(server.port(), "/");
  CHECK(index.status == 200);
  CHECK(index.body == "<!doctype html><p>test ui</p>");
  auto css = get(server.port(), "/css/site.css");
  CHECK(css.status == 200);
  CHECK(css.header("Content-Type") == "text/css; charset=utf-8");

  const std::string passwd = slurp("/etc/passwd").substr(0, 16);
  for (const std::string target :
       {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E/%2E%2E/etc/passwd", "/..%2f..%2fetc/passwd",
        "/css/../../outside/secret.txt", "//etc/passwd", "/%2fetc/passwd", "/leak.txt", "/linked/secret.txt",
        "/.hidden", "/css/%00.css", "/..\\..\\etc\\passwd", "/%5c..%5c..%5cetc%5cpasswd"}) {
    INFO(target);
    auto r = get(server.port(), target);
    CHECK((r.status == 403 || r.status == 404 || r.status == 400));
    CHECK(r.body.find("TOP-SECRET") == std::string::npos);
    CHECK(r.body.find("hidden") == std::string::npos);
    if (!passwd.empty()) CHECK(r.body.find(passwd) == std::string::npos);
    CHECK(r.header("Content-Type") == "application/json");
  }
  CHECK(get(server.port(), "/leak.txt").status == 403);
  CHECK(get(server.port(), "/%2e%2e/%2e%2e/etc/passwd").status == 403);
  CHECK(http(server.port(), "POST", "/index.html", {}, "x").status == 405);
}

TEST_CASE("serve: an oversized body is 413, and the connection still gets its answer", "[cli][http]") {
  Server server({});
  auto big = http(server.port(), "POST", "/api/search", {{"Content-Type", "application/json"}},
                  std::string(100 * 1024, 'x'));
  CHECK(big.status == 413);
  CHECK(parse_object(big.body)->getValue<std::string>("error").find("65536") != std::string::npos);
  auto small = http(server.port(), "POST", "/api/search", {}, "{}");
  CHECK(small.status == 405);
  CHECK(get(server.port(), "/api/health").status == 200);
}

TEST_CASE("serve: with a token file, /api/ needs the bearer token, the UI does not", "[cli][http][security]") {
  TempDir dir;
  Server server({"--token-file", write_token_file(dir.path(), 0600)});
  CHECK(server.out().find("bearer token") != std::string::npos);
  auto none = get(server.port(), "/api/health");
  CHECK(none.status == 401);
  CHECK(none.header("WWW-Authenticate") == "Bearer realm=\"cxmap\"");
  CHECK(parse_object(none.body)->has("error"));
  CHECK(get(server.port(), "/api/search?q=refund", {{"Authorization", "Bearer wrong-token-of-some-length"}}).status ==
        401);
  CHECK(get(server.port(), "/api/health", {{"Authorization", "Bearer " + kToken + "x"}}).status == 401);
  CHECK(get(server.port(), "/api/health", {{"Authorization", kToken}}).status == 401);
  CHECK(get(server.port(), "/api/nothing-here").status == 401);  // no probing without the token
  auto ok = get(server.port(), "/api/health", {{"Authorization", "Bearer " + kToken}});
  CHECK(ok.status == 200);
  CHECK(get(server.port(), "/api/stats", {{"Authorization", "bearer " + kToken}}).status == 200);
  CHECK(get(server.port(), "/").status == 200);
}

TEST_CASE("serve: --token-env reads the token from the environment", "[cli][http][security]") {
  ::setenv("CXMAP_SERVE_TEST_TOKEN", kToken.c_str(), 1);
  Server server({"--token-env", "CXMAP_SERVE_TEST_TOKEN"});
  ::unsetenv("CXMAP_SERVE_TEST_TOKEN");
  CHECK(get(server.port(), "/api/health").status == 401);
  CHECK(get(server.port(), "/api/health", {{"Authorization", "Bearer " + kToken}}).status == 200);
}

TEST_CASE("serve: refuses to start with a readable token file, a short token, or a public bind without a token",
          "[cli][http][security]") {
  TempDir dir;
  const std::string loose = write_token_file(dir.path(), 0644);
  auto r = demo({"serve", "--port", "0", "--token-file", loose});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("has mode 0644") != std::string::npos);
  CHECK(r.err.find("chmod 600 " + loose) != std::string::npos);

  const std::string group = dir.path() + "/group";
  std::ofstream(group) << kToken;
  ::chmod(group.c_str(), 0640);
  CHECK(demo({"serve", "--port", "0", "--token-file", group}).exit_code == 3);

  const std::string short_token = dir.path() + "/short";
  std::ofstream(short_token) << "abc\n";
  ::chmod(short_token.c_str(), 0600);
  auto weak = demo({"serve", "--port", "0", "--token-file", short_token});
  CHECK(weak.exit_code == 3);
  CHECK(weak.err.find("at least 16") != std::string::npos);

  auto open = demo({"serve", "--port", "0", "--bind", "0.0.0.0"});
  CHECK(open.exit_code == 3);
  CHECK(open.err.find("refusing to serve customer feedback on 0.0.0.0 without a token") != std::string::npos);
  CHECK(demo({"serve", "--port", "0", "--bind", "example.com"}).exit_code == 3);
  auto unset = demo({"serve", "--port", "0", "--bind", "0.0.0.0", "--token-env", "CXMAP_SERVE_TEST_UNSET"});
  CHECK(unset.exit_code == 3);
  CHECK(unset.err.find("CXMAP_SERVE_TEST_UNSET is not set") != std::string::npos);
  auto nostore = run_cxmap({"--data", dir.path() + "/none", "serve", "--port", "0"});
  CHECK(nostore.exit_code == 2);
}

TEST_CASE("serve: a public bind with a token serves, and only with the token", "[cli][http][security]") {
  TempDir dir;
  Server server({"--bind", "0.0.0.0", "--token-file", write_token_file(dir.path(), 0400)});
  CHECK(server.url() == "http://0.0.0.0:" + std::to_string(server.port()) + "/");
  CHECK(get(server.port(), "/api/health").status == 401);
  CHECK(get(server.port(), "/api/health", {{"Authorization", "Bearer " + kToken}}).status == 200);
}

TEST_CASE("serve: --cors-origin adds CORS headers for that origin only, and answers preflights", "[cli][http]") {
  TempDir dir;
  Server server({"--cors-origin", "https://cx.example.com", "--token-file", write_token_file(dir.path(), 0600)});
  auto r = get(server.port(), "/api/health", {{"Authorization", "Bearer " + kToken}, {"Origin", "https://cx.example.com"}});
  CHECK(r.status == 200);
  CHECK(r.header("Access-Control-Allow-Origin") == "https://cx.example.com");
  auto preflight = http(server.port(), "OPTIONS", "/api/search",
                        {{"Origin", "https://cx.example.com"}, {"Access-Control-Request-Method", "GET"}});
  CHECK(preflight.status == 204);
  CHECK(preflight.header("Access-Control-Allow-Headers") == "Authorization");
  CHECK(preflight.header("Access-Control-Allow-Origin") == "https://cx.example.com");
  CHECK_FALSE(get(server.port(), "/").has("Access-Control-Allow-Origin"));
}

TEST_CASE("serve: /api/map is the journey map page with a policy naming its stylesheet", "[cli][http]") {
  Server server({});
  auto r = get(server.port(), "/api/map?q=" + encode("channel:email"));
  REQUIRE(r.status == 200);
  CHECK(r.body == demo({"map", "channel:email"}).out);
  auto compared = get(server.port(), "/api/map?q=" + encode("channel:email") + "&compare=" + encode("channel:chat") +
                                         "&title=" + encode("Email vs chat"));
  REQUIRE(compared.status == 200);
  CHECK(compared.body == demo({"map", "channel:email", "--compare", "channel:chat", "--title", "Email vs chat"}).out);
  CHECK(r.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(r.body.find("data-stage=\"contact\"") != std::string::npos);
  CHECK(r.body.find("<script") == std::string::npos);
  const std::string csp = r.header("Content-Security-Policy");
  CHECK(csp.find("default-src 'none'; style-src 'sha256-") == 0);
  CHECK(csp.find("script-src") == std::string::npos);  // none, by default-src
  CHECK(get(server.port(), "/api/map?q=" + encode("refund AND")).status == 400);
}

TEST_CASE("serve: searches, exports and stats from several clients keep working while an ingest writes",
          "[cli][http][concurrent]") {
  TempDir dir;
  const fs::path first = dir.path() + "/first", second = dir.path() + "/second";
  const std::string data = dir.path() + "/data";
  generate(first, 600, 1, "gen");
  generate(second, 600, 2, "two");
  REQUIRE(run_cxmap({"--data", data, "ingest", "--quiet", "--config", (first / "cxmap.json").string()}).exit_code == 0);
  Server server({"--threads", "4"}, data);

  std::vector<std::string> args = {CXMAP_BINARY, "--data", data, "ingest", "--quiet", "--config",
                                   (second / "cxmap.json").string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t writer = -1;
  REQUIRE(posix_spawn(&writer, CXMAP_BINARY, &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);

  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::mutex mu;
  std::vector<std::string> failures;
  auto client = [&](int id) {
    const std::string targets[] = {"/api/search?q=" + encode("stage:contact hold"), "/api/export?format=csv",
                                   "/api/stats", "/api/search?q=refund&sort=date"};
    for (int n = id; !done; ++n) {
      const std::string& target = targets[static_cast<std::size_t>(n) % std::size(targets)];
      try {
        auto r = get(server.port(), target);
        ++reads;
        if (r.status != 200) {
          std::lock_guard<std::mutex> lock(mu);
          failures.push_back(target + " " + std::to_string(r.status) + " " + r.body);
        }
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(mu);
        failures.push_back(target + " " + e.what());
      }
    }
  };
  std::vector<std::thread> clients;
  for (int i = 0; i < 3; ++i) clients.emplace_back(client, i);
  int status = 0;
  ::waitpid(writer, &status, 0);
  done = true;
  for (auto& t : clients) t.join();
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  INFO((failures.empty() ? std::string() : failures.front()));
  WARN(reads << " requests during the ingest, " << failures.size() << " failed");
  CHECK(reads >= 6);
  CHECK(failures.empty());
  CHECK(parse_object(get(server.port(), "/api/stats").body)->getValue<std::int64_t>("feedback") == 1200);

  // A store that has gone away (being replaced) is the server's trouble: 503.
  fs::rename(data + "/cxmap.sqlite", data + "/cxmap.sqlite.away");
  auto away = get(server.port(), "/api/search?q=refund");
  CHECK(away.status == 503);
  CHECK(away.header("Retry-After") == "1");
  CHECK(parse_object(away.body)->getValue<std::string>("error").find("store unavailable") == 0);
  fs::rename(data + "/cxmap.sqlite.away", data + "/cxmap.sqlite");
  CHECK(get(server.port(), "/api/search?q=refund").status == 200);
}

TEST_CASE("serve: a held snapshot is served until a warm one replaces it; a forget is served at once",
          "[cli][http][cache]") {
  TempDir dir;
  const std::string data = dir.path() + "/data";
  const fs::path corpora[] = {dir.path() + "/one", dir.path() + "/two", dir.path() + "/three"};
  generate(corpora[0], 150, 1, "one");
  generate(corpora[1], 60, 2, "two");
  generate(corpora[2], 60, 3, "three");
  auto ingest = [&](const fs::path& corpus) {
    auto r = run_cxmap({"--data", data, "ingest", "--quiet", "--config", (corpus / "cxmap.json").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  };
  auto cli_search = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--data", data, "search", "--json"});
    return run_cxmap(args).out;
  };
  auto total = [](const Http& r) { return parse_object(r.body)->getValue<std::int64_t>("total"); };
  ingest(corpora[0]);

  SECTION("never warmed, never stale: the held snapshot stays until a forget") {
    Server server({"--refresh", "3600", "--max-stale", "3600"}, data);
    const Http before = get(server.port(), "/api/search?q=");
    REQUIRE(before.status == 200);
    CHECK(before.body == cli_search({""}));
    const std::string customer = parse_object(before.body)->getArray("results")->getObject(0)->getValue<std::string>(
        "customer");
    REQUIRE_FALSE(customer.empty());
    const std::string of_customer = "/api/search?q=" + encode("customer:" + customer);
    REQUIRE(total(get(server.port(), of_customer)) > 0);

    ingest(corpora[1]);
    // The index moved on; answers still come from the held snapshot.
    const Http held = get(server.port(), "/api/search?q=");
    CHECK(held.body == before.body);
    CHECK(total(held) < total(Http{200, cli_search({""}), {}}));

    // A forget changes the index's identity: the very next answer is fresh,
    // and no cached answer holding the customer's text is served.
    auto forgot = run_cxmap({"--data", data, "forget", "--customer", customer});
    INFO(forgot.err);
    REQUIRE(forgot.exit_code == 0);
    CHECK(total(get(server.port(), of_customer)) == 0);
    CHECK(get(server.port(), "/api/search?q=").body == cli_search({""}));
    auto cache = parse_object(get(server.port(), "/api/health").body)->getObject("search_cache");
    CHECK(cache->getValue<std::int64_t>("warm_switches") == 0);
    CHECK(cache->getValue<std::int64_t>("stale_switches") == 0);
  }

  SECTION("warmed: after an ingest the recent searches are answered again on the new snapshot, then served") {
    Server server({"--refresh", "0.2", "--max-stale", "3600"}, data);
    const std::string page = "/api/search?q=" + encode("stage:contact") + "&sort=date&offset=10&limit=5";
    REQUIRE(get(server.port(), page).status == 200);
    const std::int64_t first_total = total(get(server.port(), "/api/search?q="));
    ingest(corpora[2]);
    const std::string want = cli_search({""});
    // The deadline only guards against a hang; nothing is timed.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    std::string got;
    while ((got = get(server.port(), "/api/search?q=").body) != want && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(got == want);
    CHECK(total(Http{200, got, {}}) > first_total);
    auto cache = parse_object(get(server.port(), "/api/health").body)->getObject("search_cache");
    CHECK(cache->getValue<std::int64_t>("warm_switches") >= 1);
    CHECK(cache->getValue<std::int64_t>("stale_switches") == 0);  // max-stale was never reached
    CHECK(cache->getValue<std::int64_t>("last_warmed") >= 1);
    // The warmed page is the CLI's answer on the new index, served from the cache.
    const std::int64_t hits = cache->getValue<std::int64_t>("hits");
    CHECK(get(server.port(), page).body ==
          cli_search({"--sort", "date", "--offset", "10", "--limit", "5", "stage:contact"}));
    auto after = parse_object(get(server.port(), "/api/health").body)->getObject("search_cache");
    CHECK(after->getValue<std::int64_t>("hits") == hits + 1);
  }
}

TEST_CASE("serve: static path checks in-process, as a table", "[cli][http][security]") {
  TempDir dir;
  fs::create_directories(dir.path() + "/web/sub");
  std::ofstream(dir.path() + "/web/index.html") << "i";
  std::ofstream(dir.path() + "/web/sub/a.js") << "a";
  std::ofstream(dir.path() + "/web2-secret") << "s";
  fs::create_symlink(dir.path() + "/web2-secret", dir.path() + "/web/s");
  fs::create_symlink(dir.path() + "/web/sub/a.js", dir.path() + "/web/inner");
  auto root = cxmap::canonical_web_root(dir.path() + "/web");
  REQUIRE(root);
  const std::pair<std::string, int> cases[] = {
      {"/", 200},          {"/index.html", 200}, {"/sub/a.js", 200}, {"/inner", 200},  // a link that stays inside
      {"/sub/", 404},      {"/sub", 404},        {"/none", 404},     {"/s", 403},
      {"/../web2-secret", 403}, {"//etc/passwd", 403}, {"/sub/../index.html", 403}, {"/./index.html", 403},
      {"/.git/config", 403}, {"relative", 403},  {"/a\\b", 403},
  };
  for (const auto& [path, status] : cases) {
    INFO(path);
    CHECK(cxmap::resolve_static(*root, path).status == status);
  }
  CHECK(cxmap::percent_decode("%2e%2E", false) == std::optional<std::string>(".."));
  CHECK_FALSE(cxmap::percent_decode("%2", false));
  CHECK_FALSE(cxmap::percent_decode("%00", false));
  CHECK(cxmap::percent_decode("a+b", true) == std::optional<std::string>("a b"));
  CHECK(cxmap::constant_time_equal("secret-token", "secret-token"));
  CHECK_FALSE(cxmap::constant_time_equal("secret-token", "secret-tokeN"));
  CHECK_FALSE(cxmap::constant_time_equal("secret-token", "secret-token-longer"));
  CHECK_FALSE(cxmap::constant_time_equal("", "x"));
}
