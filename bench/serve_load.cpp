// serve_load: N client threads send a mix of searches to a running
// `cxmap serve` for D seconds over keep-alive connections, then print
// requests/s, latency percentiles and the error count. A benchmark that
// prints figures, never a test: start the server first, e.g.
//
//   build/cxmap --data demo-data serve --port 8080 &
//   build/bench/serve_load http://127.0.0.1:8080/ --threads 50 --seconds 60
//
// Every non-200 answer, timeout or connection error counts as an error
// (Poco drops connections beyond --max-queued, which shows up here).
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

// What researchers type: filters alone, words, phrases, ranges, and mixes.
const char* const kQueries[] = {
    "stage:contact",
    "refund",
    "\"on hold\"",
    "password stage:self_service",
    "emotion:frustrated",
    "pain:long_wait",
    "touchpoint:phone sentiment:neg",
    "agent helpful stage:engage",
    "date:2026-09-01..2026-09-30 channel:email",
    "bill* touchpoint:billing",
    "cancel OR switch stage:follow_up",
    "app crash NOT stage:aware",
};
const char* const kSorts[] = {"relevance", "relevance", "date", "sentiment"};
// Each base query also runs narrowed to one stage (as a facet click does)
// and on its first three pages: 12 x 7 x 4 x 3 = 1,008 distinct requests,
// so a result cache is hit only when a request really repeats.
const char* const kNarrowings[] = {"", " stage:aware", " stage:self_service", " stage:contact", " stage:engage",
                                   " stage:resolution", " stage:follow_up"};

struct Options {
  std::string url;
  int threads = 50;
  int seconds = 60;
  std::string token;
};

void usage() {
  std::cerr << "usage: serve_load URL [--threads N (50)] [--seconds D (60)] [--token-env NAME]\n";
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    if (a == "--threads") o.threads = std::atoi(next().c_str());
    else if (a == "--seconds") o.seconds = std::atoi(next().c_str());
    else if (a == "--token-env") {
      const char* v = std::getenv(next().c_str());
      o.token = v ? v : "";
    } else if (a.rfind("--", 0) == 0 || !o.url.empty()) usage();
    else o.url = a;
  }
  if (o.url.empty() || o.threads < 1 || o.seconds < 1) usage();
  return o;
}

struct ThreadResult {
  std::vector<double> latencies_ms;
  std::int64_t errors = 0;
};

void run_client(const Options& o, const Poco::URI& base, int id, std::chrono::steady_clock::time_point end,
                ThreadResult& out) {
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  std::uint64_t n = static_cast<std::uint64_t>(id) * 7919 + 1;
  while (std::chrono::steady_clock::now() < end) {
    // A pseudo-random walk over the request space, different per client.
    n = n * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::size_t r = static_cast<std::size_t>(n >> 33);
    const std::string q = std::string(kQueries[r % std::size(kQueries)]) +
                          kNarrowings[(r / std::size(kQueries)) % std::size(kNarrowings)];
    const std::string sort = kSorts[(r / 97) % std::size(kSorts)];
    const int page = static_cast<int>((r / 389) % 3);
    std::string encoded;
    Poco::URI::encode(q, "&=+?#%/@:", encoded);
    const std::string target =
        "/api/search?q=" + encoded + "&sort=" + sort + "&limit=10&offset=" + std::to_string(page * 10);
    const auto t0 = std::chrono::steady_clock::now();
    try {
      if (!session) {
        session = std::make_unique<Poco::Net::HTTPClientSession>(base.getHost(), base.getPort());
        session->setKeepAlive(true);
        session->setTimeout(Poco::Timespan(30, 0));
      }
      Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, target, Poco::Net::HTTPMessage::HTTP_1_1);
      req.setKeepAlive(true);
      if (!o.token.empty()) req.set("Authorization", "Bearer " + o.token);
      session->sendRequest(req);
      Poco::Net::HTTPResponse resp;
      std::istream& in = session->receiveResponse(resp);
      std::string body;
      Poco::StreamCopier::copyToString(in, body);
      if (resp.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) ++out.errors;
      else out.latencies_ms.push_back(
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      if (!resp.getKeepAlive()) session.reset();
    } catch (const std::exception&) {
      ++out.errors;
      session.reset();
    }
  }
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const std::size_t i = std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())));
  return sorted[i];
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const Poco::URI base(o.url);
  if (base.getScheme() != "http" || base.getHost().empty()) {
    std::cerr << "serve_load: expected a URL such as http://127.0.0.1:8080/, not \"" << o.url << "\"\n";
    return 2;
  }
  std::vector<ThreadResult> results(static_cast<std::size_t>(o.threads));
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::seconds(o.seconds);
  for (int i = 0; i < o.threads; ++i)
    threads.emplace_back(run_client, std::cref(o), std::cref(base), i, end, std::ref(results[static_cast<std::size_t>(i)]));
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<double> all;
  std::int64_t errors = 0;
  for (const ThreadResult& r : results) {
    all.insert(all.end(), r.latencies_ms.begin(), r.latencies_ms.end());
    errors += r.errors;
  }
  std::sort(all.begin(), all.end());
  std::printf("serve_load: %d threads, %.1f s, %zu ok, %lld errors\n", o.threads, elapsed, all.size(),
              static_cast<long long>(errors));
  std::printf("requests/s  %.1f\n", static_cast<double>(all.size()) / elapsed);
  std::printf("latency ms  p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n", percentile(all, 0.50), percentile(all, 0.90),
              percentile(all, 0.99), all.empty() ? 0.0 : all.back());
  // The server's own count of result-cache hits (GET /api/health).
  try {
    Poco::Net::HTTPClientSession session(base.getHost(), base.getPort());
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, "/api/health", Poco::Net::HTTPMessage::HTTP_1_1);
    if (!o.token.empty()) req.set("Authorization", "Bearer " + o.token);
    session.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(resp), body);
    const std::size_t at = body.find("\"search_cache\"");
    if (at != std::string::npos) std::printf("server      %s\n", body.substr(at, body.find('}', at) - at + 1).c_str());
  } catch (const std::exception& e) {
    std::printf("server      (no /api/health: %s)\n", e.what());
  }
  return errors == 0 ? 0 : 1;
}
