// Focus: the chat_api connector against a real HTTP server on 127.0.0.1
// (Poco::Net::HTTPServer on an ephemeral port, in this process): token and
// page-number pagination, the bearer header, the updated-since cursor and its
// checkpoints, retries (429 with Retry-After, 5xx, timeouts), truncated and
// invalid page bodies (retried, then quarantined), malformed conversations,
// the stop flag, and config errors. Waits are configured in milliseconds so
// the whole file runs in about two seconds.
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <thread>

#include "tests/connector/collect_sink.h"

using namespace cxmap;
using namespace cxmap::test;

namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

const char* const kTokenVar = "CXMAP_TEST_CHAT_API_TOKEN";
const char* const kToken = "s3cret-token";

// One request as the server saw it.
struct Seen {
  std::string uri;
  std::string authorization;
  std::string param(const std::string& name) const {
    for (const auto& [k, v] : Poco::URI(uri).getQueryParameters())
      if (k == name) return v;
    return "";
  }
  bool has(const std::string& name) const {
    for (const auto& [k, v] : Poco::URI(uri).getQueryParameters())
      if (k == name) return true;
    return false;
  }
};

// Answers request number n (0-based) of the server's life.
using Handler = std::function<void(HTTPServerRequest&, HTTPServerResponse&, int n)>;

// A real HTTP server on 127.0.0.1:<ephemeral>, logging every request; HTTPS
// when given a TLS context.
class TestServer {
 public:
  explicit TestServer(Handler handler, Poco::Net::Context::Ptr tls = nullptr)
      : handler_(std::move(handler)), scheme_(tls ? "https" : "http") {
    Poco::Net::SocketAddress any("127.0.0.1", 0);
    Poco::Net::ServerSocket socket =
        tls ? Poco::Net::SecureServerSocket(any, 64, tls) : Poco::Net::ServerSocket(any);
    port_ = socket.address().port();
    auto params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(true);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), pool_, socket, params);
    server_->start();
  }
  ~TestServer() {
    server_->stopAll(true);
    pool_.joinAll();
  }
  std::string url(const std::string& path, const std::string& host = "127.0.0.1") const {
    return scheme_ + "://" + host + ":" + std::to_string(port_) + path;
  }
  std::vector<Seen> seen() const {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }
  std::size_t count() const { return seen().size(); }

 private:
  struct Dispatch : Poco::Net::HTTPRequestHandler {
    explicit Dispatch(TestServer& s) : server(s) {}
    void handleRequest(HTTPServerRequest& req, HTTPServerResponse& resp) override {
      int n;
      {
        std::lock_guard<std::mutex> lock(server.mu_);
        n = static_cast<int>(server.seen_.size());
        server.seen_.push_back({req.getURI(), req.get("Authorization", "")});
      }
      server.handler_(req, resp, n);
    }
    TestServer& server;
  };
  struct Factory : Poco::Net::HTTPRequestHandlerFactory {
    explicit Factory(TestServer& s) : server(s) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
      return new Dispatch(server);
    }
    TestServer& server;
  };

  Handler handler_;
  std::string scheme_;
  Poco::ThreadPool pool_{2, 8};
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  Poco::UInt16 port_ = 0;
  mutable std::mutex mu_;
  std::vector<Seen> seen_;
};

void send_json(HTTPServerResponse& resp, const std::string& body,
               HTTPResponse::HTTPStatus status = HTTPResponse::HTTP_OK) {
  resp.setStatusAndReason(status);
  resp.setContentType("application/json");
  resp.sendBuffer(body.data(), body.size());
}

void send_status(HTTPServerResponse& resp, HTTPResponse::HTTPStatus status) {
  send_json(resp, "{\"error\": \"" + std::string(HTTPResponse::getReasonForStatus(status)) + "\"}", status);
}

// The API's data: conversation i (1-based) was updated on 2026-09-0i at 12:00.
std::string updated(int i) {
  return "2026-09-0" + std::to_string(i) + "T12:00:00Z";
}

std::string conversation(int i) {
  std::string d = "2026-09-0" + std::to_string(i);
  return "{\"conversation_id\": \"API-" + std::to_string(i) + "\", \"customer\": \"C" + std::to_string(i) +
         "@Example.com\", \"updated_at\": \"" + updated(i) + "\", \"subject\": \"case " + std::to_string(i) +
         "\", \"turns\": [{\"speaker\": \"bot\", \"time\": \"" + d +
         "T11:00:00Z\", \"text\": \"Hi, how can I help?\"}," + " {\"speaker\": \"Customer\", \"time\": \"" +
         d + "T11:01:00+02:00\", \"text\": \"question " + std::to_string(i) +
         "\"}, {\"speaker\": \"agent\", \"time\": \"" + d + "T11:05:00Z\", \"text\": \"answer " +
         std::to_string(i) + "\"}]}";
}

// Conversations 1..last updated strictly after `since` ("" = all), in
// ascending order: what a well-behaved incremental API returns.
std::vector<int> newer_than(const std::string& since, int last) {
  std::vector<int> out;
  for (int i = 1; i <= last; ++i)
    if (since.empty() || updated(i) > since) out.push_back(i);
  return out;
}

bool authorized(HTTPServerRequest& req, HTTPServerResponse& resp) {
  if (req.get("Authorization", "") == std::string("Bearer ") + kToken) return true;
  send_status(resp, HTTPResponse::HTTP_UNAUTHORIZED);
  return false;
}

// Token pagination, 2 per page: {"conversations": [...], "next_page_token": "o2"}.
std::string token_page(HTTPServerRequest& req, int last) {
  Seen s{req.getURI(), ""};
  auto ids = newer_than(s.param("updated_since"), last);
  std::size_t offset = s.has("page_token") ? std::stoul(s.param("page_token").substr(1)) : 0;
  std::string items;
  for (std::size_t k = offset; k < ids.size() && k < offset + 2; ++k)
    items += (items.empty() ? "" : ", ") + conversation(ids[k]);
  std::string body = "{\"conversations\": [" + items + "]";
  if (offset + 2 < ids.size()) body += ", \"next_page_token\": \"o" + std::to_string(offset + 2) + "\"";
  return body + "}";
}

struct CursorSink : CollectSink {
  std::vector<std::string> checkpoints;
  std::size_t stop_after_checkpoints = 0;  // 0 = never
  void checkpoint(const std::string& cursor) override { checkpoints.push_back(cursor); }
  bool stop_requested() const override {
    return stop_after_checkpoints && checkpoints.size() >= stop_after_checkpoints;
  }
};

// A chat_api spec: `extra` is more JSON members, ", "-joined.
SourceSpec api_spec(const std::string& url, const std::string& extra = "") {
  SourceSpec s;
  s.name = "helpdesk";
  s.kind = "chat_api";
  s.settings = "{\"name\": \"helpdesk\", \"kind\": \"chat_api\", \"url\": \"" + url +
               "\", \"token_env\": \"" + kTokenVar +
               "\", \"updated_since_param\": \"updated_since\", \"timeout_seconds\": 2," +
               " \"max_retries\": 2, \"backoff_seconds\": 0.01, \"max_retry_after_seconds\": 0.05" +
               (extra.empty() ? "" : ", " + extra) + "}";
  return s;
}

Status pull_into(const SourceSpec& spec, CursorSink& sink, const std::string& cursor = "") {
  setenv(kTokenVar, kToken, 1);
  auto src = open_source(spec);
  if (!src) return src.error();
  return (*src)->pull(sink, cursor);
}

std::vector<std::string> ids_of(const CollectSink& s) {
  std::vector<std::string> out;
  for (const auto& r : s.good) out.push_back(r.external_id);
  return out;
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("chat_api: token pagination, bearer header, exact records, cursor", "[connector][chat_api]") {
  std::atomic<int> last{5};
  TestServer server([&](HTTPServerRequest& req, HTTPServerResponse& resp, int) {
    if (authorized(req, resp)) send_json(resp, token_page(req, last));
  });
  const std::string url = server.url("/v1/conversations?per_page=2");
  CursorSink sink;
  REQUIRE(pull_into(api_spec(url), sink));
  REQUIRE(sink.bad.empty());
  CHECK(ids_of(sink) == std::vector<std::string>{"API-1", "API-2", "API-3", "API-4", "API-5"});
  const RawFeedback& r = sink.good[2];
  CHECK(r.source == "helpdesk");
  CHECK(r.channel == "chat");
  CHECK(r.customer_key == "c3@example.com");
  CHECK(r.subject == "case 3");
  CHECK(r.received_at == "2026-09-03T11:00:00Z");  // no started_at: the first turn
  REQUIRE(r.turns.size() == 3);
  CHECK(r.turns[0].speaker == Speaker::bot);
  CHECK(r.turns[0].text == "Hi, how can I help?");
  CHECK(r.turns[1].speaker == Speaker::customer);
  CHECK(r.turns[1].time == "2026-09-03T09:01:00Z");  // +02:00 -> UTC
  CHECK(r.turns[1].text == "question 3");
  CHECK(r.turns[2].speaker == Speaker::agent);
  CHECK(r.turns[2].time == "2026-09-03T11:05:00Z");
  CHECK(r.turns[2].text == "answer 3");
  CHECK(r.metadata == std::vector<std::pair<std::string, std::string>>{{"updated_at", updated(3)}});

  // Three pages (2 + 2 + 1), each with the bearer token; the second and
  // third carry the token of the page before; the first pull has no cursor.
  auto seen = server.seen();
  REQUIRE(seen.size() == 3);
  for (const auto& s : seen) CHECK(s.authorization == std::string("Bearer ") + kToken);
  CHECK(!seen[0].has("page_token"));
  CHECK(!seen[0].has("updated_since"));
  CHECK(seen[0].param("per_page") == "2");
  CHECK(seen[1].param("page_token") == "o2");
  CHECK(seen[2].param("page_token") == "o4");
  CHECK(r.locator == server.url(seen[1].uri) + "#0");
  // A checkpoint after each page: the largest updated time so far.
  CHECK(sink.checkpoints == std::vector<std::string>{updated(2), updated(4), updated(5)});

  // Conversation 6 appears; the next pull sends the cursor and gets only it.
  last = 6;
  CursorSink again;
  REQUIRE(pull_into(api_spec(url), again, sink.checkpoints.back()));
  CHECK(ids_of(again) == std::vector<std::string>{"API-6"});
  seen = server.seen();
  REQUIRE(seen.size() == 4);
  CHECK(seen[3].param("updated_since") == updated(5));
  CHECK(again.checkpoints == std::vector<std::string>{updated(6)});

  // Nothing new: one request, an empty page, the cursor stays.
  CursorSink idle;
  REQUIRE(pull_into(api_spec(url), idle, updated(6)));
  CHECK(idle.good.empty());
  CHECK(server.count() == 5);
  CHECK(idle.checkpoints == std::vector<std::string>{updated(6)});
}

TEST_CASE("chat_api: page-number pagination with a help-desk field mapping", "[connector][chat_api]") {
  // Shaped like a help-desk export: nested items, numeric ids, epoch times,
  // HTML bodies, author roles.
  auto item = [](int i) {
    long long t = 1788436800LL + 86400LL * (i - 1);  // 2026-09-03T12:00:00Z + i-1 days
    return "{\"id\": " + std::to_string(100 + i) + ", \"updated_at\": " + std::to_string(t) +
           ", \"contact\": {\"email\": \"u" + std::to_string(i) + "@example.com\"}, \"priority\": \"high\"," +
           " \"parts\": [{\"author\": {\"type\": \"lead\"}, \"created_at\": " + std::to_string(t - 600) +
           ", \"body\": \"<p>Where is <b>order " + std::to_string(i) + "</b> now?</p>\"}," +
           " {\"author\": {\"type\": \"admin\"}, \"created_at\": " + std::to_string(t - 60) +
           ", \"body\": \"<p>On its way &amp; due today.</p>\"}]}";
  };
  TestServer server([&](HTTPServerRequest& req, HTTPServerResponse& resp, int) {
    if (!authorized(req, resp)) return;
    Seen s{req.getURI(), ""};
    int page = std::stoi(s.param("p"));
    std::string items;
    for (int i = 2 * page - 1; i <= 2 * page && i <= 3; ++i) items += (items.empty() ? "" : ", ") + item(i);
    send_json(resp, "{\"data\": {\"items\": [" + items + "]}, \"page\": " + std::to_string(page) + "}");
  });
  const std::string url = server.url("/api/chats");
  CursorSink sink;
  auto spec =
      api_spec(url,
               "\"pagination\": {\"mode\": \"page\", \"page_param\": \"p\", \"items_field\": \"data.items\"},"
               " \"fields\": {\"id\": \"id\", \"customer\": \"contact.email\", \"messages\": \"parts\","
               " \"speaker\": \"author.type\", \"text\": \"body\", \"time\": \"created_at\", \"html\": true,"
               " \"metadata\": [\"priority\"]}");
  REQUIRE(pull_into(spec, sink));
  REQUIRE(sink.bad.empty());
  CHECK(ids_of(sink) == std::vector<std::string>{"101", "102", "103"});
  const RawFeedback& r = sink.good[0];
  CHECK(r.customer_key == "u1@example.com");
  REQUIRE(r.turns.size() == 2);
  CHECK(r.turns[0].speaker == Speaker::customer);
  CHECK(r.turns[0].time == "2026-09-03T11:50:00Z");
  CHECK(r.turns[0].text == "Where is order 1 now?");
  CHECK(r.turns[1].speaker == Speaker::agent);
  CHECK(r.turns[1].time == "2026-09-03T11:59:00Z");
  CHECK(r.turns[1].text == "On its way & due today.");
  CHECK(r.received_at == "2026-09-03T11:50:00Z");
  CHECK(r.metadata == std::vector<std::pair<std::string, std::string>>{{"updated_at", "2026-09-03T12:00:00Z"},
                                                                       {"priority", "high"}});
  // Pages 1, 2, then the empty page 3 ends the pull.
  auto seen = server.seen();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].param("p") == "1");
  CHECK(seen[1].param("p") == "2");
  CHECK(seen[2].param("p") == "3");
  CHECK(sink.checkpoints ==
        std::vector<std::string>{"2026-09-04T12:00:00Z", "2026-09-05T12:00:00Z", "2026-09-05T12:00:00Z"});

  // updated_since_format "epoch" sends the cursor as seconds.
  CursorSink again;
  REQUIRE(pull_into(
      api_spec(url,
               "\"updated_since_format\": \"epoch\", \"pagination\": {\"mode\": \"page\","
               " \"page_param\": \"p\", \"items_field\": \"data.items\"}, \"fields\": {\"id\": \"id\","
               " \"messages\": \"parts\", \"speaker\": \"author.type\", \"text\": \"body\"}"),
      again, "2026-09-05T12:00:00Z"));
  CHECK(server.seen()[3].param("updated_since") == "1788609600");
}

TEST_CASE("chat_api: a wrong token is a config error after one request", "[connector][chat_api]") {
  TestServer server([&](HTTPServerRequest& req, HTTPServerResponse& resp, int) {
    if (authorized(req, resp)) send_json(resp, "{\"conversations\": []}");
  });
  const std::string url = server.url("/v1/conversations");
  CursorSink sink;
  setenv(kTokenVar, "wrong", 1);
  auto src = open_source(api_spec(url));
  REQUIRE(src);
  auto st = (*src)->pull(sink, "");
  REQUIRE(!st);
  CHECK(st.error().kind == ErrorKind::config);
  CHECK(contains(st.error().message, "source 'helpdesk'"));
  CHECK(contains(st.error().message, url));
  CHECK(contains(st.error().message, "401"));
  CHECK(contains(st.error().message, kTokenVar));
  CHECK(!contains(st.error().message, "wrong"));  // the token itself is never printed
  CHECK(server.count() == 1);                     // 401 is not retried
  CHECK(sink.good.empty());
  CHECK(sink.checkpoints.empty());
}

TEST_CASE("chat_api: token_env names an unset variable: config error, no request", "[connector][chat_api]") {
  TestServer server([&](HTTPServerRequest&, HTTPServerResponse& resp, int) { send_json(resp, "[]"); });
  auto spec = api_spec(server.url("/x"));
  unsetenv(kTokenVar);
  auto src = open_source(spec);
  REQUIRE(src);
  CursorSink sink;
  auto st = (*src)->pull(sink, "");
  REQUIRE(!st);
  CHECK(st.error().kind == ErrorKind::config);
  CHECK(contains(st.error().message, "source 'helpdesk'"));
  CHECK(contains(st.error().message, kTokenVar));
  CHECK(server.count() == 0);
}

TEST_CASE("chat_api: 429 with Retry-After and 500 are retried, then the pull goes on",
          "[connector][chat_api]") {
  // Request 0: 429 (Retry-After: 1, capped at 0.05 s by the settings);
  // request 2 (the second page): 500; every other request answers.
  TestServer server([&](HTTPServerRequest& req, HTTPServerResponse& resp, int n) {
    if (n == 0) {
      resp.set("Retry-After", "1");
      return send_status(resp, HTTPResponse::HTTP_TOO_MANY_REQUESTS);
    }
    if (n == 2) return send_status(resp, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
    if (authorized(req, resp)) send_json(resp, token_page(req, 3));
  });
  CursorSink sink;
  auto started = std::chrono::steady_clock::now();
  REQUIRE(pull_into(api_spec(server.url("/v1/conversations")), sink));
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(ids_of(sink) == std::vector<std::string>{"API-1", "API-2", "API-3"});
  CHECK(sink.bad.empty());
  auto seen = server.seen();
  REQUIRE(seen.size() == 4);
  CHECK(seen[0].uri == seen[1].uri);  // the same page again
  CHECK(seen[2].uri == seen[3].uri);
  CHECK(seen[3].param("page_token") == "o2");
  CHECK(sink.checkpoints == std::vector<std::string>{updated(2), updated(3)});
  // Retry-After was capped by max_retry_after_seconds (not asserted as a
  // time bound, only that a full second was not waited).
  CHECK(took < std::chrono::seconds(1));
}

TEST_CASE("chat_api: 5xx until retries run out fails the pull, naming source and URL",
          "[connector][chat_api]") {
  TestServer server([&](HTTPServerRequest& req, HTTPServerResponse& resp, int) {
    if (Seen{req.getURI(), ""}.has("page_token"))
      return send_status(resp, HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
    if (authorized(req, resp)) send_json(resp, token_page(req, 5));
  });
  CursorSink sink;
  auto st = pull_into(api_spec(server.url("/v1/conversations")), sink);
  REQUIRE(!st);
  CHECK(st.error().kind == ErrorKind::input);
  const std::string& m = st.error().message;
  CHECK(contains(m, "source 'helpdesk'"));
  CHECK(contains(m, server.url("/v1/conversations?page_token=o2")));
  CHECK(contains(m, "503"));
  CHECK(contains(m, "after 3 attempts"));
  CHECK(server.count() == 1 + 3);  // page 1, then page 2 three times (max_retries 2)
  // What came before the failure is kept and vouched for.
  CHECK(ids_of(sink) == std::vector<std::string>{"API-1", "API-2"});
  CHECK(sink.checkpoints == std::vector<std::string>{updated(2)});
}

TEST_CASE("chat_api: an answer slower than timeout_seconds is retried, then fails", "[connector][chat_api]") {
  std::atomic<bool> slow_always{false};
  TestServer server([&](HTTPServerRequest& req, HTTPServerResponse& resp, int n) {
    if (n == 0 || slow_always) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    if (authorized(req, resp)) send_json(resp, token_page(req, 2));
  });
  const std::string url = server.url("/slow");
  CursorSink sink;
  REQUIRE(pull_into(api_spec(url, "\"timeout_seconds\": 0.2"), sink));
  CHECK(ids_of(sink) == std::vector<std::string>{"API-1", "API-2"});
  CHECK(server.count() == 2);  // the first attempt timed out

  slow_always = true;
  CursorSink failed;
  auto st = pull_into(api_spec(url, "\"timeout_seconds\": 0.2, \"max_retries\": 1"), failed);
  REQUIRE(!st);
  CHECK(contains(st.error().message, "source 'helpdesk'"));
  CHECK(contains(st.error().message, url));
  CHECK(contains(st.error().message, "no answer within 0.2 s"));
  CHECK(contains(st.error().message, "after 2 attempts"));
  CHECK(server.count() == 4);
  CHECK(failed.good.empty());
}

TEST_CASE("chat_api: a truncated body is retried, one that stays bad is quarantined, losing nothing",
          "[connector][chat_api]") {
  std::atomic<bool> broken{true};
  std::atomic<int> short_reads{0};
  TestServer server([&](HTTPServerRequest& req, HTTPServerResponse& resp, int n) {
    if (!authorized(req, resp)) return;
    std::string body = token_page(req, 5);
    if (n == 0) {  // cut short: Content-Length says more than is sent, then the connection closes
      ++short_reads;
      resp.setContentType("application/json");
      resp.setContentLength(static_cast<std::streamsize>(body.size()));
      resp.setKeepAlive(false);
      resp.send() << body.substr(0, body.size() / 2);
      return;
    }
    if (broken && Seen{req.getURI(), ""}.param("page_token") == "o2")  // page 2: a truncated JSON document
      return send_json(resp, body.substr(0, body.size() - 40));
    send_json(resp, body);
  });
  const std::string url = server.url("/v1/conversations");
  CursorSink sink;
  REQUIRE(pull_into(api_spec(url), sink));  // bad input is not a failed pull
  CHECK(short_reads == 1);
  // Page 1 needed two attempts; page 2 was invalid three times and is in the
  // quarantine; the pull stopped there.
  CHECK(ids_of(sink) == std::vector<std::string>{"API-1", "API-2"});
  CHECK(server.count() == 2 + 3);
  REQUIRE(sink.bad.size() == 1);
  const Quarantined& q = sink.bad[0];
  const std::string page2 = url + "?page_token=o2";
  CHECK(q.source == "helpdesk");
  CHECK(q.locator == page2);
  CHECK(contains(q.reason, page2));
  CHECK(contains(q.reason, "invalid JSON"));
  CHECK(contains(q.reason, "after 3 attempts"));
  CHECK(contains(q.reason, "cursor stays at '" + updated(2) + "'"));
  CHECK(contains(q.raw, "API-3"));  // the page's bytes, as received
  // The cursor did not move past the bad page ...
  CHECK(sink.checkpoints == std::vector<std::string>{updated(2)});

  // ... so once the API serves it, the next run gets every conversation on it.
  broken = false;
  CursorSink again;
  REQUIRE(pull_into(api_spec(url), again, sink.checkpoints.back()));
  CHECK(ids_of(again) == std::vector<std::string>{"API-3", "API-4", "API-5"});
  CHECK(again.bad.empty());
  CHECK(again.checkpoints == std::vector<std::string>{updated(4), updated(5)});
}

TEST_CASE("chat_api: a malformed conversation is quarantined with url#index and the page goes on",
          "[connector][chat_api]") {
  TestServer server([&](HTTPServerRequest& req, HTTPServerResponse& resp, int) {
    if (!authorized(req, resp)) return;
    send_json(resp,
              "{\"conversations\": [" + conversation(1) +
                  ", {\"conversation_id\": \"BAD\", \"updated_at\": \"2026-09-02T12:00:00Z\", \"turns\":"
                  " [{\"speaker\": \"wizard\", \"text\": \"abracadabra\"}]}, 7, " +
                  conversation(3) + "]}");
  });
  const std::string url = server.url("/v1/conversations");
  CursorSink sink;
  REQUIRE(pull_into(api_spec(url), sink));
  CHECK(ids_of(sink) == std::vector<std::string>{"API-1", "API-3"});
  REQUIRE(sink.bad.size() == 2);
  CHECK(sink.bad[0].locator == url + "#1");
  CHECK(contains(sink.bad[0].reason, "unknown speaker 'wizard'"));
  CHECK(contains(sink.bad[0].raw, "abracadabra"));
  CHECK(sink.bad[1].locator == url + "#2");
  CHECK(contains(sink.bad[1].reason, "not an object"));
  CHECK(sink.checkpoints == std::vector<std::string>{updated(3)});
  CHECK(server.count() == 1);
}

TEST_CASE("chat_api: a stop request is honoured between pages", "[connector][chat_api]") {
  TestServer server([&](HTTPServerRequest& req, HTTPServerResponse& resp, int) {
    if (authorized(req, resp)) send_json(resp, token_page(req, 5));
  });
  CursorSink sink;
  sink.stop_after_checkpoints = 1;
  REQUIRE(pull_into(api_spec(server.url("/v1/conversations")), sink));
  CHECK(ids_of(sink) == std::vector<std::string>{"API-1", "API-2"});
  CHECK(sink.checkpoints == std::vector<std::string>{updated(2)});
  CHECK(server.count() == 1);
}

TEST_CASE("chat_api: an entry of a config file reaches the connector whole", "[connector][chat_api]") {
  TestServer server([&](HTTPServerRequest& req, HTTPServerResponse& resp, int) {
    if (authorized(req, resp)) send_json(resp, token_page(req, 3));
  });
  TempDir dir;
  std::string config = dir.write("cxmap.json", R"({"sources": [{"name": "support-chat", "kind": "chat_api",
      "url": ")" + server.url("/v1/conversations") +
                                                   R"(", "token_env": ")" + kTokenVar + R"(",
      "updated_since_param": "updated_since", "timeout_seconds": 5, "max_retries": 1,
      "pagination": {"mode": "token", "token_field": "next_page_token", "token_param": "page_token",
                     "items_field": "conversations"},
      "fields": {"id": "conversation_id", "messages": "turns"}}]})");
  auto specs = load_sources_config(config);
  REQUIRE(specs);
  REQUIRE(specs->size() == 1);
  CHECK((*specs)[0].path.empty());
  CursorSink sink;
  REQUIRE(pull_into((*specs)[0], sink, updated(1)));
  CHECK(ids_of(sink) == std::vector<std::string>{"API-2", "API-3"});
  CHECK(sink.good[0].source == "support-chat");
  CHECK(server.seen()[0].param("updated_since") == updated(1));
}

TEST_CASE("chat_api: next_url pagination stays on the configured host", "[connector][chat_api]") {
  std::string self;
  TestServer server([&](HTTPServerRequest& req, HTTPServerResponse& resp, int n) {
    if (!authorized(req, resp)) return;
    if (n == 0)
      return send_json(resp,
                       "{\"conversations\": [" + conversation(1) + "], \"next_page\": \"" + self + "\"}");
    send_json(resp,
              "{\"conversations\": [" + conversation(2) + "], \"next_page\": \"http://192.0.2.1/steal\"}");
  });
  self = server.url("/v2/chats?cursor=abc");
  CursorSink sink;
  auto st = pull_into(api_spec(server.url("/v2/chats"), "\"pagination\": {\"mode\": \"next_url\"}"), sink);
  REQUIRE(!st);
  CHECK(contains(st.error().message, "another host"));
  CHECK(contains(st.error().message, "192.0.2.1"));
  CHECK(ids_of(sink) == std::vector<std::string>{"API-1", "API-2"});
  auto seen = server.seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].param("cursor") == "abc");
}

TEST_CASE("chat_api: settings errors name the source and the key", "[connector][chat_api]") {
  struct Case {
    const char* settings;
    const char* expect;
  } cases[] = {
      {"{}", "missing \"url\""},
      {"{\"url\": \"ftp://example.com/x\"}", "not an absolute http(s) URL"},
      {"{\"url\": \"http://127.0.0.1:9/x\", \"pagination\": {\"mode\": \"cursor\"}}", "\"mode\""},
      {"{\"url\": \"http://127.0.0.1:9/x\", \"max_retries\": -1}", "\"max_retries\""},
      {"{\"url\": \"http://127.0.0.1:9/x\", \"timeout_seconds\": \"10\"}",
       "\"timeout_seconds\" must be a number"},
      {"{\"url\": \"http://127.0.0.1:9/x\", \"fields\": {\"messsages\": \"parts\"}}",
       "unknown key 'messsages'"},
      {"{\"url\": \"http://127.0.0.1:9/x\", \"fields\": {\"speakers\": {\"admin\": \"boss\"}}}", "'boss'"},
  };
  for (const Case& c : cases) {
    SourceSpec spec;
    spec.name = "bad-api";
    spec.kind = "chat_api";
    spec.settings = c.settings;
    auto src = open_source(spec);
    REQUIRE(src);
    CursorSink sink;
    auto st = (*src)->pull(sink, "");
    INFO(c.settings);
    REQUIRE(!st);
    CHECK(st.error().kind == ErrorKind::config);
    CHECK(contains(st.error().message, "source 'bad-api'"));
    CHECK(contains(st.error().message, c.expect));
  }
}

TEST_CASE("chat_api: connection refused is retried, then an error naming the URL", "[connector][chat_api]") {
  std::string url;
  {
    TestServer gone([](HTTPServerRequest&, HTTPServerResponse& resp, int) { send_json(resp, "[]"); });
    url = gone.url("/v1/conversations");
  }  // the port is closed now
  CursorSink sink;
  auto st = pull_into(api_spec(url, "\"max_retries\": 1"), sink);
  REQUIRE(!st);
  CHECK(contains(st.error().message, "source 'helpdesk'"));
  CHECK(contains(st.error().message, url));
  CHECK(contains(st.error().message, "after 2 attempts"));
}

namespace {

// A self-signed certificate for localhost / 127.0.0.1, made with OpenSSL,
// written as key.pem and cert.pem into `dir`.
bool make_self_signed(const std::filesystem::path& dir) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  bool ok = key && cert;
  if (ok) {
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"),
                               -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"},
                              std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
      X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
      ok = ok && ext && X509_add_ext(cert, ext, -1);
      X509_EXTENSION_free(ext);
    }
    ok = ok && X509_sign(cert, key, EVP_sha256()) > 0;
  }
  if (ok) {
    FILE* k = std::fopen((dir / "key.pem").c_str(), "w");
    FILE* c = std::fopen((dir / "cert.pem").c_str(), "w");
    ok = k && c && PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr) &&
         PEM_write_X509(c, cert);
    if (k) std::fclose(k);
    if (c) std::fclose(c);
  }
  X509_free(cert);
  EVP_PKEY_free(key);
  return ok;
}

}  // namespace

TEST_CASE("chat_api: HTTPS with the server's CA in ca_file, an unknown CA is refused",
          "[connector][chat_api]") {
  TempDir dir;
  REQUIRE(make_self_signed(dir.path));
  Poco::Net::initializeSSL();
  Poco::Net::Context::Ptr tls =
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, (dir.path / "key.pem").string(),
                             (dir.path / "cert.pem").string(), "", Poco::Net::Context::VERIFY_NONE);
  TestServer server(
      [&](HTTPServerRequest& req, HTTPServerResponse& resp, int) {
        if (authorized(req, resp)) send_json(resp, token_page(req, 3));
      },
      tls);
  const std::string url = server.url("/v1/conversations", "localhost");
  CursorSink sink;
  REQUIRE(pull_into(api_spec(url, "\"ca_file\": \"" + (dir.path / "cert.pem").string() + "\""), sink));
  CHECK(ids_of(sink) == std::vector<std::string>{"API-1", "API-2", "API-3"});
  CHECK(server.count() == 2);
  for (const auto& s : server.seen()) CHECK(s.authorization == std::string("Bearer ") + kToken);

  // Without the CA the handshake fails: no request reaches the handler.
  CursorSink refused;
  auto st = pull_into(api_spec(url, "\"max_retries\": 0"), refused);
  REQUIRE(!st);
  CHECK(contains(st.error().message, "source 'helpdesk'"));
  CHECK(contains(st.error().message, url));
  CHECK(server.count() == 2);
  CHECK(refused.good.empty());
}
