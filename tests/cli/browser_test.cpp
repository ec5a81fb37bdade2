// Focus: the web UI of `cxmap serve`, used in a real browser the way a person
// uses it. Headless Chromium (Debian's, /usr/bin/chromium) is driven over the
// DevTools protocol by tests/cli/browser/drive.mjs (puppeteer-core, installed
// into build/npm-browser at configure time by server/CMakeLists.txt): it
// types `stage:contact` and presses Enter, clicks an emotion facet, opens a
// result's feedback, goes back, types a query the language rejects, and
// visits a customer's journey, the journey map and the stage table,
// reporting what each page showed as JSON and saving screenshots. This file
// runs the real `cxmap serve --port 0` on the demo store and checks every
// one of those observations against the API's own answers, fetched here
// directly: counts, result order, tags, the feedback's sentences and their
// stage labels, the caret under a query error, the map's and the table's
// figures. It also checks that the page loaded nothing from anywhere but the
// server and that the CSP refused nothing. A second case puts the server
// behind a bearer token and checks that the UI asks for it, says when it is
// wrong, and sends it on every API call once given.
//
// Nothing is timed: the driver waits for state the UI exposes (<body
// data-rendered> = the fragment it has drawn); the timeout around it only
// stops a hung browser. CXMAP_CHROMIUM overrides the browser's path;
// CXMAP_KEEP_SCREENSHOTS=DIR keeps the PNGs.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "../db/fixtures.h"
#include "run_cxmap.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using cxmap::testing::parse_object;
using cxmap::testing::run_cxmap;
using cxmap::testing::shell_quote;
using cxmap::testing::slurp;
using cxmap::testing::TempDir;
using Object = Poco::JSON::Object::Ptr;
using Array = Poco::JSON::Array::Ptr;

const std::string kDemo = CXMAP_DEMO_DATA;
const std::string kToken = "browser-test-token-0123456789abcdef";
constexpr std::size_t kPageSize = 10;  // results per page in the UI (server/web/js/view_search.js)

std::string chromium_path() {
  const char* env = std::getenv("CXMAP_CHROMIUM");
  std::string path = env && *env ? env : "/usr/bin/chromium";
  if (::access(path.c_str(), X_OK) != 0)
    FAIL("chromium is required for the web UI test and was not found at "
         << path << " (Debian package 'chromium', installed by scripts/setup; or set CXMAP_CHROMIUM)");
  return path;
}

// build/npm-browser/node_modules, beside the binary under test.
std::string puppeteer_modules() {
  const fs::path modules = fs::path(CXMAP_BINARY).parent_path() / "npm-browser" / "node_modules";
  if (!fs::exists(modules / "puppeteer-core" / "package.json"))
    FAIL("puppeteer-core is not installed in "
         << modules.string()
         << "; it is installed from the npm registry when CMake configures the "
            "build (server/CMakeLists.txt): rerun cmake with npm available");
  if (std::system("node --version >/dev/null 2>&1") != 0)
    FAIL("node is required to drive the browser (scripts/setup)");
  return modules.string();
}

std::string encode(const std::string& text) {
  std::string out;
  Poco::URI::encode(text, "&=+?#%/@:", out);
  return out;
}

struct Http {
  int status = 0;
  std::string body;
};

Http get(int port, const std::string& target, const std::string& token = "") {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(60, 0));
  Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, target, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!token.empty()) req.set("Authorization", "Bearer " + token);
  session.sendRequest(req);
  Poco::Net::HTTPResponse resp;
  std::istream& in = session.receiveResponse(resp);
  Http r;
  r.status = static_cast<int>(resp.getStatus());
  Poco::StreamCopier::copyToString(in, r.body);
  return r;
}

Object get_object(int port, const std::string& target, const std::string& token = "") {
  Http r = get(port, target, token);
  INFO(target << ": " << r.body);
  REQUIRE(r.status == 200);
  return parse_object(r.body);
}

// A running `cxmap serve --port 0` on the demo store, stopped with SIGTERM.
class Server {
 public:
  explicit Server(std::vector<std::string> extra, const std::string& data = kDemo) {
    std::vector<std::string> args = {CXMAP_BINARY, "--data", data, "serve", "--port", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
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
        url_ = text.substr(begin, text.find_first_of(" \n", begin) - begin);
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
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  int port() const { return port_; }
  const std::string& url() const { return url_; }

 private:
  TempDir dir_;
  std::string out_, err_, url_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// Runs the driver; its JSON report, or a failure with its stderr.
Object drive(const Server& server, const std::string& out_dir, const std::string& scenario,
             const std::string& env = "") {
  std::string cmd = env;
  cmd += " timeout 300 node ";
  cmd += shell_quote(std::string(CXMAP_SOURCE_DIR) + "/tests/cli/browser/drive.mjs");
  cmd += " --modules " + shell_quote(puppeteer_modules());
  cmd += " --chromium " + shell_quote(chromium_path());
  cmd += " --url " + shell_quote(server.url());
  cmd += " --out " + shell_quote(out_dir);
  cmd += " --scenario " + scenario;
  cmd += " >" + shell_quote(out_dir + "/drive.json") + " 2>" + shell_quote(out_dir + "/drive.err");
  const int status = std::system(cmd.c_str());
  const std::string report = slurp(out_dir + "/drive.json");
  INFO("driver stderr: " << slurp(out_dir + "/drive.err"));
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  REQUIRE_FALSE(report.empty());
  return parse_object(report);
}

bool is_png(const std::string& bytes) {
  return bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0 && bytes.size() > 24;
}

std::pair<std::uint32_t, std::uint32_t> png_size(const std::string& bytes) {
  auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
  };
  return {be32(16), be32(20)};
}

void keep_screenshots(const std::string& dir) {
  const char* keep = std::getenv("CXMAP_KEEP_SCREENSHOTS");
  if (!keep || !*keep) return;
  fs::create_directories(keep);
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".png")
      fs::copy_file(entry.path(), fs::path(keep) / entry.path().filename(),
                    fs::copy_options::overwrite_existing);
}

std::string str(const Object& o, const std::string& key) {
  return o->getValue<std::string>(key);
}
std::int64_t num(const Object& o, const std::string& key) {
  return o->getValue<std::int64_t>(key);
}
Object at(const Array& a, std::size_t i) {
  return a->getObject(static_cast<unsigned>(i));
}

// "218 customer sentences in 120 feedback match. Showing 1–10." from the
// API's figures for the first page.
std::string count_text(const Object& api) {
  const std::int64_t events = num(api, "events"), total = num(api, "total");
  const std::size_t shown = api->getArray("results")->size();
  return std::to_string(events) + (events == 1 ? " customer sentence" : " customer sentences") + " in " +
         std::to_string(total) + " feedback " + (events == 1 ? "matches" : "match") + ". Showing 1\u2013" +
         std::to_string(shown) + ".";
}

// The results a page state shows are the API's first page, in its order.
void check_results_match(const Object& state, const Object& api) {
  const Array shown = state->getArray("results");
  const Array hits = api->getArray("results");
  REQUIRE(shown->size() == hits->size());
  for (std::size_t i = 0; i < shown->size(); ++i) {
    INFO("result " << i);
    CHECK(str(at(shown, i), "feedback_id") == str(at(hits, i), "feedback_id"));
    CHECK(num(at(shown, i), "event") == num(at(hits, i), "event"));
    CHECK(str(at(shown, i), "stage") == str(at(hits, i), "stage"));
    CHECK(str(at(shown, i), "emotion") == str(at(hits, i), "emotion"));
    CHECK(str(at(shown, i), "touchpoint") == str(at(hits, i), "touchpoint"));
  }
}

}  // namespace

TEST_CASE("browser: the web UI in Chromium: search, facet, feedback, back, query error, journey, map, table",
          "[cli][http][browser]") {
  Server server({});
  TempDir dir;
  const Object report = drive(server, dir.path(), "search");
  keep_screenshots(dir.path());
  const int port = server.port();

  // 1. `stage:contact` typed and submitted with Enter.
  const Object search = report->getObject("search");
  const Object api =
      get_object(port, "/api/search?q=" + encode("stage:contact") + "&limit=" + std::to_string(kPageSize));
  CHECK(str(search, "hash") == "#/search?q=stage:contact");
  CHECK(str(search, "query_box") == "stage:contact");
  CHECK(str(search, "count_text") == count_text(api));
  check_results_match(search, api);
  const Array shown = search->getArray("results");
  REQUIRE(shown->size() == kPageSize);  // the demo store has more than one page of contact sentences
  for (std::size_t i = 0; i < shown->size(); ++i) CHECK(str(at(shown, i), "stage") == "contact");
  CHECK(str(search, "page_of") ==
        "Page 1 of " + std::to_string((num(api, "total") + static_cast<std::int64_t>(kPageSize) - 1) /
                                      static_cast<std::int64_t>(kPageSize)));
  // Facets with the API's counts, in its order; the stage filter shows as pressed.
  const Object api_facets = api->getObject("facets");
  const Object facets = search->getObject("facets");
  for (const std::string field : {"stage", "touchpoint", "emotion", "channel", "pain"}) {
    INFO("facet " << field);
    const Array buttons = facets->getArray(field);
    REQUIRE(buttons);
    const Object counts = api_facets->getObject(field);
    REQUIRE(buttons->size() == counts->size());
    for (std::size_t i = 0; i < buttons->size(); ++i) {
      const Object b = at(buttons, i);
      CHECK(num(b, "count") == num(counts, str(b, "value")));
      CHECK(b->getValue<bool>("pressed") == (field == "stage" && str(b, "value") == "contact"));
    }
  }

  // 2. The first emotion facet other than neutral, clicked.
  const std::string emotion = str(report, "emotion");
  CHECK(emotion != "neutral");
  CHECK(str(at(facets->getArray("emotion"), 0), "value") ==
        "neutral");  // the demo's commonest: the one skipped
  const std::string faceted_query = "stage:contact emotion:" + emotion;
  const Object faceted = report->getObject("faceted");
  const Object api_faceted =
      get_object(port, "/api/search?q=" + encode(faceted_query) + "&limit=" + std::to_string(kPageSize));
  CHECK(str(faceted, "hash") == "#/search?q=stage:contact+emotion:" + emotion);
  CHECK(str(faceted, "query_box") == faceted_query);
  CHECK(str(faceted, "count_text") == count_text(api_faceted));
  CHECK(num(api_faceted, "events") == num(api_facets->getObject("emotion"), emotion));
  check_results_match(faceted, api_faceted);
  const Array faceted_results = faceted->getArray("results");
  REQUIRE(faceted_results->size() > 0);
  for (std::size_t i = 0; i < faceted_results->size(); ++i) {
    CHECK(str(at(faceted_results, i), "stage") == "contact");
    CHECK(str(at(faceted_results, i), "emotion") == emotion);
  }
  const Array emotion_buttons = faceted->getObject("facets")->getArray("emotion");
  REQUIRE(emotion_buttons->size() == 1);
  CHECK(str(at(emotion_buttons, 0), "value") == emotion);
  CHECK(at(emotion_buttons, 0)->getValue<bool>("pressed"));
  // Keyboard users keep their place: the clicked facet still has the focus.
  CHECK(str(faceted, "focused") == "facet:emotion:" + emotion);

  // 3. The first result's feedback: every sentence, with its stage label and
  // emotion, as /api/feedback/{id} has them; the result's sentence marked.
  const Object first = at(faceted_results, 0);
  const std::string id = str(first, "feedback_id");
  const Object feedback = report->getObject("feedback");
  const Object api_feedback = get_object(port, "/api/feedback/" + id);
  CHECK(str(feedback, "id") == id);
  CHECK(str(feedback, "heading") ==
        (str(api_feedback, "subject").empty() ? "Feedback " + id : str(api_feedback, "subject")));
  const Array sentences = feedback->getArray("sentences");
  const Array events = api_feedback->getArray("events");
  REQUIRE(sentences->size() == events->size());
  REQUIRE(sentences->size() > 0);
  std::map<std::string, std::string> colour_of;  // emotion -> the colour it is drawn in
  std::set<std::string> colours;
  int marked = 0;
  for (std::size_t i = 0; i < sentences->size(); ++i) {
    const Object s = at(sentences, i), e = at(events, i);
    INFO("sentence " << i);
    CHECK(num(s, "ordinal") == num(e, "ordinal"));
    CHECK(str(s, "text") == str(e, "sentence"));
    CHECK(str(s, "stage") == str(e, "stage"));
    CHECK(str(s, "emotion") == str(e, "emotion"));
    const bool current = s->getValue<bool>("current");
    CHECK(current == (num(e, "ordinal") == num(first, "event")));
    marked += current ? 1 : 0;
    auto [it, fresh] = colour_of.emplace(str(e, "emotion"), str(s, "colour"));
    CHECK(it->second == str(s, "colour"));  // one emotion, one colour
    if (fresh) colours.insert(str(s, "colour"));
  }
  CHECK(marked == 1);
  CHECK(colours.size() == colour_of.size());  // different emotions, different colours

  // 4. Back: the faceted results again, from the URL alone.
  const Object back = report->getObject("back");
  CHECK(str(back, "hash") == str(faceted, "hash"));
  CHECK(str(back, "count_text") == str(faceted, "count_text"));
  check_results_match(back, api_faceted);

  // 5. A query the language rejects: the server's message and a caret under its column.
  const Object bad = report->getObject("bad_query");
  const Http api_bad = get(port, "/api/search?q=" + encode("refund AND"));
  REQUIRE(api_bad.status == 400);
  const Object api_error = parse_object(api_bad.body);
  const Object shown_error = bad->getObject("error");
  REQUIRE(shown_error);
  CHECK(str(shown_error, "message") == str(api_error, "error"));
  const auto column = static_cast<std::size_t>(num(api_error, "column"));
  CHECK(str(shown_error, "caret") == "refund AND\n" + std::string(column - 1, ' ') + "^");
  CHECK(str(shown_error, "invalid") == "true");
  CHECK(bad->getArray("results")->size() == 0);

  // 6. "Did you mean" for a misspelt word, linking to the suggestion.
  const Object misspelt = report->getObject("misspelt");
  const Object api_misspelt = get_object(port, "/api/search?q=refnud&limit=" + std::to_string(kPageSize));
  REQUIRE(api_misspelt->has("did_you_mean"));
  const std::string suggestion = str(api_misspelt, "did_you_mean");
  CHECK(misspelt->getValue<bool>("shown"));
  CHECK(str(misspelt, "text") == "Did you mean " + suggestion + "?");
  CHECK(str(misspelt, "href") == "#/search?q=" + suggestion);

  // 7. The customer's journey, the map and the stage table of stage:contact.
  const Object api_journey = get_object(port, "/api/journey/" + encode(str(api_feedback, "customer")));
  const Object journey = report->getObject("journey");
  CHECK(str(journey, "heading") == "Journey of " + str(api_journey, "customer"));
  const Array contacts = journey->getArray("contacts");
  const Array api_contacts = api_journey->getArray("feedback");
  REQUIRE(contacts->size() == api_contacts->size());
  for (std::size_t i = 0; i < contacts->size(); ++i)
    CHECK(contacts->getElement<std::string>(static_cast<unsigned>(i)) == str(at(api_contacts, i), "id"));

  const Object map = report->getObject("map");
  const Array columns = map->getArray("stages");
  REQUIRE(columns->size() == 6);
  for (std::size_t i = 0; i < columns->size(); ++i) {
    const Object c = at(columns, i);
    CHECK(num(c, "events") == (str(c, "stage") == "contact" ? num(api, "events") : 0));
  }
  CHECK(num(map, "quotes_as_links") > 0);
  CHECK(num(map, "scripts") == 0);
  // The map's own stylesheet applies inside its shadow root (the browser's
  // default text size is 16px).
  CHECK(str(map, "font_size") != "16px");

  Poco::JSON::Parser parser;
  const Array api_rows =
      parser.parse(get(port, "/api/export?format=json&q=" + encode("stage:contact")).body).extract<Array>();
  const Array rows = report->getArray("table");
  REQUIRE(rows->size() == api_rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    CHECK(str(at(rows, i), "stage") == str(at(api_rows, i), "stage"));
    CHECK(num(at(rows, i), "feedback") == num(at(api_rows, i), "feedback_n"));
    CHECK(num(at(rows, i), "events") == num(at(api_rows, i), "events_n"));
  }
  const Array formats = report->getArray("download_buttons");
  REQUIRE(formats->size() == 4);
  for (unsigned i = 0; i < 4; ++i)
    CHECK(formats->getElement<std::string>(i) ==
          std::vector<std::string>{"csv", "tsv", "json", "markdown"}[i]);

  // Nothing came from anywhere but this server, nothing failed to load, the
  // CSP refused nothing, and the only console errors are the browser's
  // notes of the one 400 answer (the rejected query).
  const Array requests = report->getArray("requests");
  REQUIRE(requests->size() > 0);
  for (std::size_t i = 0; i < requests->size(); ++i) {
    const std::string url = str(at(requests, i), "url");
    INFO(url);
    CHECK(url.rfind(server.url(), 0) == 0);
  }
  CHECK(report->getArray("failed_requests")->size() == 0);
  CHECK(report->getArray("page_errors")->size() == 0);
  CHECK(report->getArray("csp_violations")->size() == 0);
  const Array console_errors = report->getArray("console_errors");
  for (std::size_t i = 0; i < console_errors->size(); ++i) {
    const std::string text = console_errors->getElement<std::string>(static_cast<unsigned>(i));
    INFO(text);
    CHECK(text.find("status of 400") != std::string::npos);
  }

  // Screenshots: real PNGs of the window (search, map) and of the whole
  // feedback page.
  const std::string search_png = slurp(dir.path() + "/search.png");
  REQUIRE(is_png(search_png));
  CHECK(png_size(search_png) == std::pair<std::uint32_t, std::uint32_t>{1280, 900});
  const std::string feedback_png = slurp(dir.path() + "/feedback.png");
  REQUIRE(is_png(feedback_png));
  CHECK(png_size(feedback_png).first == 1280);
  CHECK(png_size(feedback_png).second >= 900);
  REQUIRE(is_png(slurp(dir.path() + "/map.png")));
}

TEST_CASE(
    "browser: behind a token the web UI asks for it, says when it is wrong, then sends it on every call",
    "[cli][http][browser][security]") {
  ::setenv("CXMAP_BROWSER_TEST_TOKEN", kToken.c_str(), 1);
  Server server({"--token-env", "CXMAP_BROWSER_TEST_TOKEN"});
  ::unsetenv("CXMAP_BROWSER_TEST_TOKEN");
  TempDir dir;
  const Object report = drive(server, dir.path(), "token", "CXMAP_UI_TOKEN=" + shell_quote(kToken));
  keep_screenshots(dir.path());
  REQUIRE(is_png(slurp(dir.path() + "/token.png")));

  const Object gate = report->getObject("gate");
  CHECK(str(gate, "heading") == "Access token needed");
  CHECK(gate->getValue<bool>("has_form"));
  CHECK(str(gate, "focused") == "token");
  CHECK(str(report, "rejected").find("did not accept") != std::string::npos);

  const Object search = report->getObject("search");
  const Object api =
      get_object(server.port(),
                 "/api/search?q=" + encode("stage:contact") + "&limit=" + std::to_string(kPageSize), kToken);
  CHECK(str(search, "count_text") == count_text(api));
  check_results_match(search, api);
  CHECK(str(report, "stored") == kToken);
  CHECK(report->getValue<bool>("forget_visible"));

  // Every API call made after the token was entered carried it; the ones
  // before it could not have.
  const Array requests = report->getArray("requests");
  bool authorised_seen = false;
  std::size_t api_calls = 0;
  for (std::size_t i = 0; i < requests->size(); ++i) {
    const Object r = at(requests, i);
    const std::string url = str(r, "url"), auth = str(r, "auth");
    if (url.find("/api/") == std::string::npos) continue;
    ++api_calls;
    INFO(url << " " << auth);
    if (auth == "Bearer " + kToken)
      authorised_seen = true;
    else
      CHECK_FALSE(authorised_seen);  // no call without the token once it was known
  }
  CHECK(authorised_seen);
  CHECK(api_calls >= 3);  // refused without a token, refused with a wrong one, answered
}

TEST_CASE("browser: customer text that looks like markup stays text in the web UI",
          "[cli][http][browser][security]") {
  TempDir dir;
  const std::string data = dir.path() + "/data", chat = dir.path() + "/hostile.json";
  const std::string first_text =
      "I searched the help centre for <script>alert(1)</script> & found nothing, it is useless.";
  const std::string second_text =
      "The agent <b>finally</b> fixed it <img src=x onerror=alert(2)> & I am grateful.";
  {
    std::ofstream out(chat);
    out << R"({"conversation_id": "CH-UI-1", "customer": "tess@example.com", "started_at": "2026-09-01T10:00:00Z",
  "turns": [
    {"speaker": "customer", "time": "2026-09-01T10:00:00Z", "text": ")"
        << first_text << R"("},
    {"speaker": "customer", "time": "2026-09-01T10:01:00Z", "text": ")"
        << second_text << R"("}
  ]})";
  }
  auto ingest = run_cxmap({"--data", data, "ingest", "--quiet", chat});
  INFO(ingest.err);
  REQUIRE(ingest.exit_code == 0);
  Server server({}, data);
  TempDir out;
  const Object report = drive(server, out.path(), "hostile");

  // The match is highlighted inside the text, and the markup is text.
  const Array results = report->getObject("search")->getArray("results");
  REQUIRE(results->size() == 1);
  const Object hit = at(results, 0);
  CHECK(str(hit, "snippet").find("<script>alert(1)</script> & found nothing") != std::string::npos);
  const Array marks = hit->getArray("marks");
  REQUIRE(marks->size() == 1);
  CHECK(marks->getElement<std::string>(0) == "alert");
  // The feedback view shows both sentences exactly as written.
  const Array sentences = report->getObject("feedback")->getArray("sentences");
  const Object api = get_object(server.port(), "/api/feedback/" + str(hit, "feedback_id"));
  const Array events = api->getArray("events");
  REQUIRE(sentences->size() == events->size());
  std::string all;
  for (std::size_t i = 0; i < sentences->size(); ++i) {
    CHECK(str(at(sentences, i), "text") == str(at(events, i), "sentence"));
    all += str(at(sentences, i), "text") + "\n";
  }
  CHECK(all.find("<script>alert(1)</script>") != std::string::npos);
  CHECK(all.find("<b>finally</b>") != std::string::npos);
  CHECK(all.find("<img src=x onerror=alert(2)>") != std::string::npos);
  // No element came from it, nothing ran.
  CHECK(num(report, "injected") == 0);
  CHECK(report->getArray("dialogs")->size() == 0);
  CHECK(report->getArray("page_errors")->size() == 0);
  CHECK(report->getArray("csp_violations")->size() == 0);
}
