// Focus: `cxmap map` end to end on the demo store (CTest fixture
// cli.demo_ingest), looked at by a real browser: headless Chromium renders
// the file to a PNG and dumps the DOM it parsed, whose stage columns must be
// the journey's stages carrying the figures of `cxmap export`. Also --compare
// with two disjoint segments, customer text that looks like markup, byte-
// identical reruns, and the errors (bad query, unwritable file, labels).
//
// Chromium is a required dependency of these tests (Debian package
// `chromium`, installed by scripts/setup): when it is missing they fail and
// say so. CXMAP_CHROMIUM overrides its path.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>

#include <cstdlib>
#include <map>
#include <set>

#include "../db/fixtures.h"
#include "report/writer.h"
#include "run_cxmap.h"

using namespace cxmap;
using namespace cxmap::testing;

namespace {

using Attributes = std::map<std::string, std::string>;

RunResult demo(std::vector<std::string> args) {
  args.insert(args.begin(), {"--data", std::string(CXMAP_DEMO_DATA)});
  return run_cxmap(args);
}

std::string chromium_path() {
  const char* env = std::getenv("CXMAP_CHROMIUM");
  std::string path = env && *env ? env : "/usr/bin/chromium";
  if (::access(path.c_str(), X_OK) != 0)
    FAIL("chromium is required for the journey map tests and was not found at "
         << path << " (Debian package 'chromium', installed by scripts/setup; or set CXMAP_CHROMIUM)");
  return path;
}

// Runs headless Chromium with a private profile in `dir`, bounded by a
// timeout so that a hung browser fails the test instead of stalling it.
RunResult chromium(const std::string& dir, const std::vector<std::string>& args) {
  // Appended piece by piece: g++ 12 warns (-Wrestrict) on "literal" + std::string&&.
  std::string cmd = "timeout 180 ";
  cmd += shell_quote(chromium_path());
  cmd +=
      " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage"
      " --disable-background-networking --disable-component-update --no-first-run"
      " --no-default-browser-check --user-data-dir=";
  cmd += shell_quote(dir + "/chromium-profile");
  for (const auto& a : args) {
    cmd += ' ';
    cmd += shell_quote(a);
  }
  cmd += " >";
  cmd += shell_quote(dir + "/chromium.out");
  cmd += " 2>";
  cmd += shell_quote(dir + "/chromium.err");
  const int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir + "/chromium.out");
  r.err = slurp(dir + "/chromium.err");
  return r;
}

std::string unescape(std::string s) {
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : kEntities)
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + 1))
      s.replace(p, std::string(from).size(), to);
  return s;
}

// The attributes of every <tag ...> start tag whose class is `cls` or starts
// with "cls ", in document order. A small scanner rather than std::regex:
// start tags here are machine-written, and g++ 12 warns inside <regex> in
// sanitizer builds.
std::vector<Attributes> elements(const std::string& html, const std::string& tag, const std::string& cls) {
  std::vector<Attributes> found;
  const std::string open = "<" + tag + " ";
  for (std::size_t p = html.find(open); p != std::string::npos; p = html.find(open, p + 1)) {
    Attributes a;
    std::size_t i = p + open.size();
    while (i < html.size() && html[i] != '>') {
      if (html[i] == ' ' || html[i] == '/') {
        ++i;
        continue;
      }
      const std::size_t eq = html.find_first_of("= >", i);
      if (eq == std::string::npos || html[eq] != '=' || html.compare(eq, 2, "=\"") != 0) break;
      const std::size_t close = html.find('"', eq + 2);
      if (close == std::string::npos) break;
      a[html.substr(i, eq - i)] = unescape(html.substr(eq + 2, close - eq - 2));
      i = close + 1;
    }
    const auto c = a.find("class");
    if (c != a.end() && (c->second == cls || c->second.rfind(cls + " ", 0) == 0))
      found.push_back(std::move(a));
  }
  return found;
}

// The stage names of the journey definition the binary uses (share/journey.json).
std::vector<std::string> journey_stage_names() {
  const std::string text = slurp(std::string(CXMAP_SHARE_DIR) + "/journey.json");
  auto stages = parse_object(text)->getArray("stages");
  std::vector<std::string> names;
  for (std::size_t i = 0; i < stages->size(); ++i)
    names.push_back(stages->getObject(static_cast<unsigned>(i))->getValue<std::string>("name"));
  return names;
}

// Customer sentences a query matches, as `cxmap search --json` counts them.
std::int64_t search_events(const std::string& query) {
  auto r = demo({"search", query, "--json", "--limit", "1"});
  REQUIRE(r.exit_code == 0);
  return parse_object(r.out)->getValue<std::int64_t>("events");
}

// The customer sentences of segment s on a map: its stage cells plus the
// note of those not placed on it.
std::int64_t segment_events(const std::string& html, const std::string& s) {
  std::int64_t n = 0;
  for (const auto& seg : elements(html, "g", "segment"))
    if (seg.at("data-segment") == s) n += std::stoll(seg.at("data-events"));
  for (const auto& p : elements(html, "p", "unplaced"))
    if (p.at("data-segment") == s) n += std::stoll(p.at("data-events"));
  return n;
}

// The part of the page from each stage column's start tag to the next one.
std::map<std::string, std::string> stage_sections(const std::string& html) {
  std::map<std::string, std::string> out;
  const std::string open = "<g class=\"stage\"";
  std::vector<std::size_t> starts;
  for (std::size_t p = html.find(open); p != std::string::npos; p = html.find(open, p + 1))
    starts.push_back(p);
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const std::size_t end = i + 1 < starts.size() ? starts[i + 1] : html.find("</svg>", starts[i]);
    const std::string part = html.substr(starts[i], end - starts[i]);
    out[elements(part, "g", "stage").at(0).at("data-stage")] = part;
  }
  return out;
}

// Within a stage column, the cells of segment s (up to the next segment).
std::string segment_section(const std::string& stage, const std::string& s) {
  const std::string open = "<g class=\"segment\" data-segment=\"" + s + "\"";
  const std::size_t b = stage.find(open);
  if (b == std::string::npos) return "";
  return stage.substr(b, stage.find("<g class=\"segment\"", b + 1) - b);
}

using ExportRows = std::map<std::string, Poco::JSON::Object::Ptr>;

// `cxmap export --format json [QUERY]`, by stage.
ExportRows export_rows(const std::string& query) {
  std::vector<std::string> args = {"export", "--format", "json"};
  if (!query.empty()) args.push_back(query);
  auto r = demo(args);
  REQUIRE(r.exit_code == 0);
  Poco::JSON::Parser parser;
  auto rows = parser.parse(r.out).extract<Poco::JSON::Array::Ptr>();
  ExportRows by_stage;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto row = rows->getObject(static_cast<unsigned>(i));
    by_stage[row->getValue<std::string>("stage")] = row;
  }
  return by_stage;
}

std::string text_or_empty(const Poco::JSON::Object::Ptr& row, const std::string& key) {
  return row->isNull(key) ? "" : row->getValue<std::string>(key);
}

std::string fixed_or_empty(const Poco::JSON::Object::Ptr& row, const std::string& key, int decimals) {
  return row->isNull(key) ? "" : format_fixed(row->getValue<double>(key), decimals);
}

// Every figure segment s shows for every stage column equals the export's
// row for that stage: counts, mean and CI, NPS/CSAT, top pains and quote ids.
void check_segment_against_export(const std::string& html, const std::string& s, const ExportRows& rows) {
  const auto columns = stage_sections(html);
  REQUIRE_FALSE(columns.empty());
  for (const auto& [stage, part] : columns) {
    INFO("stage " << stage << ", segment " << s);
    const std::string cells = segment_section(part, s);
    const auto seg = elements(cells, "g", "segment");
    REQUIRE(seg.size() == 1);
    const Attributes& a = seg[0];
    auto it = rows.find(stage);
    if (it == rows.end()) {
      CHECK(a.at("data-events") == "0");
      CHECK(a.at("data-mean").empty());
      continue;
    }
    const auto& row = it->second;
    CHECK(a.at("data-feedback") == std::to_string(row->getValue<std::int64_t>("feedback_n")));
    CHECK(a.at("data-events") == std::to_string(row->getValue<std::int64_t>("events_n")));
    CHECK(a.at("data-mean") == format_fixed(row->getValue<double>("mean_sentiment"), 3));
    CHECK(a.at("data-ci-low") == format_fixed(row->getValue<double>("ci95_low"), 3));
    CHECK(a.at("data-ci-high") == format_fixed(row->getValue<double>("ci95_high"), 3));
    CHECK(a.at("data-nps") == fixed_or_empty(row, "mean_nps", 2));
    CHECK(a.at("data-csat") == fixed_or_empty(row, "mean_csat", 2));
    CHECK(a.at("data-pains") == text_or_empty(row, "top_pains"));
    const auto quotes = elements(cells, "g", "quote");
    REQUIRE_FALSE(quotes.empty());
    CHECK(quotes[0].at("class") == "quote negative");
    CHECK(quotes[0].at("data-feedback-id") + "#" + quotes[0].at("data-ordinal") ==
          text_or_empty(row, "most_negative_id"));
    // One sentence is both the most negative and the most positive: shown once.
    const Attributes& positive = quotes.size() > 1 ? quotes[1] : quotes[0];
    CHECK(positive.at("data-feedback-id") + "#" + positive.at("data-ordinal") ==
          text_or_empty(row, "most_positive_id"));
  }
}

bool is_png(const std::string& bytes) {
  return bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0;
}

// Width and height from the PNG's IHDR chunk (big-endian, bytes 16..23).
std::pair<std::uint32_t, std::uint32_t> png_size(const std::string& bytes) {
  auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
  };
  return {be32(16), be32(20)};
}

}  // namespace

TEST_CASE("map: Chromium renders the journey's stages with the figures of export", "[cli][map][chromium]") {
  TempDir dir;
  const std::string html_path = dir.path() + "/journey.html";
  auto r = demo({"map", "--out", html_path});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("journey map written to " + html_path) != std::string::npos);
  const std::string url = "file://" + html_path;

  // A screenshot: a real PNG of the window size, far larger than the same
  // window showing an empty page.
  auto shot =
      chromium(dir.path(), {"--screenshot=" + dir.path() + "/map.png", "--window-size=1400,1000", url});
  INFO(shot.err);
  REQUIRE(shot.exit_code == 0);
  const std::string png = slurp(dir.path() + "/map.png");
  REQUIRE(is_png(png));
  CHECK(png_size(png) == std::pair<std::uint32_t, std::uint32_t>{1400, 1000});
  {
    std::ofstream blank(dir.path() + "/blank.html");
    blank << "<!DOCTYPE html><html><body></body></html>\n";
  }
  auto blank_shot = chromium(dir.path(), {"--screenshot=" + dir.path() + "/blank.png",
                                          "--window-size=1400,1000", "file://" + dir.path() + "/blank.html"});
  REQUIRE(blank_shot.exit_code == 0);
  const std::string blank_png = slurp(dir.path() + "/blank.png");
  REQUIRE(is_png(blank_png));
  CHECK(png.size() > 10 * blank_png.size());

  // The DOM Chromium built from the file.
  auto dom = chromium(dir.path(), {"--dump-dom", url});
  INFO(dom.err);
  REQUIRE(dom.exit_code == 0);
  CHECK(dom.out.find("<svg") != std::string::npos);
  CHECK(dom.out.find("<script") == std::string::npos);
  const auto columns = elements(dom.out, "g", "stage");
  std::vector<std::string> shown;
  for (const auto& c : columns) shown.push_back(c.at("data-stage"));
  const std::vector<std::string> stages = journey_stage_names();
  REQUIRE(stages.size() == 6);
  CHECK(shown == stages);

  const ExportRows by_stage = export_rows("");
  for (const auto& c : columns) {
    const std::string stage = c.at("data-stage");
    INFO(stage);
    REQUIRE(by_stage.count(stage) == 1);
    const auto& row = by_stage.at(stage);
    CHECK(c.at("data-feedback") == std::to_string(row->getValue<std::int64_t>("feedback_n")));
    CHECK(c.at("data-events") == std::to_string(row->getValue<std::int64_t>("events_n")));
    CHECK(c.at("data-mean") == format_fixed(row->getValue<double>("mean_sentiment"), 3));
    CHECK(std::stoll(c.at("data-events")) > 0);
  }
  // One curve over all feedback, and the sentences not on the map reconcile.
  CHECK(elements(dom.out, "path", "curve").size() == 1);
  const auto legend = elements(dom.out, "g", "legend-entry");
  REQUIRE(legend.size() == 1);
  CHECK(legend[0].at("data-label") == "all feedback");
  std::int64_t exported_events = 0;
  for (const auto& [stage, row] : by_stage) exported_events += row->getValue<std::int64_t>("events_n");
  CHECK(segment_events(dom.out, "0") == exported_events);
  // The rest of the figures, quotes included, as the browser parsed them.
  check_segment_against_export(dom.out, "0", by_stage);
}

TEST_CASE("map --compare draws two disjoint segments with their own figures", "[cli][map]") {
  TempDir dir;
  const std::string path = dir.path() + "/compare.html";
  auto r = demo({"map", "--out", path, "channel:email", "--compare", "channel:chat"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string html = slurp(path);

  const auto curves = elements(html, "path", "curve");
  REQUIRE(curves.size() == 2);
  CHECK(curves[0].at("stroke") != curves[1].at("stroke"));
  CHECK(curves[0].at("d") != curves[1].at("d"));
  const auto legend = elements(html, "g", "legend-entry");
  REQUIRE(legend.size() == 2);
  CHECK(legend[0].at("data-label") == "channel:email");
  CHECK(legend[1].at("data-label") == "channel:chat");

  // Each segment holds exactly the sentences its query matches.
  const std::int64_t email = search_events("channel:email"), chat = search_events("channel:chat");
  CHECK(email > 0);
  CHECK(chat > 0);
  CHECK(segment_events(html, "0") == email);
  CHECK(segment_events(html, "1") == chat);
  // And shows what `cxmap export QUERY` says of them.
  check_segment_against_export(html, "0", export_rows("channel:email"));
  check_segment_against_export(html, "1", export_rows("channel:chat"));

  // Disjoint segments: per stage they add up to at most all feedback, and
  // their figures differ somewhere.
  auto all = demo({"map"});
  REQUIRE(all.exit_code == 0);
  std::map<std::string, std::int64_t> total;
  for (const auto& c : elements(all.out, "g", "stage"))
    total[c.at("data-stage")] = std::stoll(c.at("data-events"));
  const auto stages = elements(html, "g", "stage");
  const auto segs = elements(html, "g", "segment");
  REQUIRE(stages.size() == total.size());
  REQUIRE(segs.size() == 2 * stages.size());
  bool differ = false;
  for (std::size_t k = 0; k < stages.size(); ++k) {
    const std::string name = stages[k].at("data-stage");
    const Attributes& first = segs[2 * k];
    const Attributes& second = segs[2 * k + 1];
    INFO(name);
    CHECK(first.at("data-segment") == "0");
    CHECK(second.at("data-segment") == "1");
    // The column carries the first segment's figures.
    CHECK(stages[k].at("data-events") == first.at("data-events"));
    CHECK(std::stoll(first.at("data-events")) + std::stoll(second.at("data-events")) <= total[name]);
    if (first.at("data-mean") != second.at("data-mean") ||
        first.at("data-events") != second.at("data-events"))
      differ = true;
  }
  CHECK(differ);

  // Labels given on the command line replace the query texts.
  auto labelled = demo({"map", "--out", path, "channel:email", "--compare", "channel:chat", "--label",
                        "Email", "--label", "Chat"});
  REQUIRE(labelled.exit_code == 0);
  const auto named = elements(slurp(path), "g", "legend-entry");
  REQUIRE(named.size() == 2);
  CHECK(named[0].at("data-label") == "Email");
  CHECK(named[1].at("data-label") == "Chat");
}

TEST_CASE("map: the same store gives a byte-identical file", "[cli][map]") {
  TempDir dir;
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{},
        std::vector<std::string>{"channel:survey", "--compare", "stage:contact"}}) {
    std::vector<std::string> a = {"map", "--out", dir.path() + "/a.html"},
                             b = {"map", "--out", dir.path() + "/b.html"};
    a.insert(a.end(), extra.begin(), extra.end());
    b.insert(b.end(), extra.begin(), extra.end());
    REQUIRE(demo(a).exit_code == 0);
    REQUIRE(demo(b).exit_code == 0);
    const std::string first = slurp(dir.path() + "/a.html");
    CHECK(first.size() > 1000);
    CHECK(first == slurp(dir.path() + "/b.html"));
  }
  // Standard output gets the same page when --out is not given.
  auto out = demo({"map"});
  REQUIRE(out.exit_code == 0);
  REQUIRE(demo({"map", "--out", dir.path() + "/a.html"}).exit_code == 0);
  CHECK(out.out == slurp(dir.path() + "/a.html"));
}

TEST_CASE("map: customer text that looks like markup stays text in the browser", "[cli][map][chromium]") {
  TempDir dir;
  const std::string data = dir.path() + "/data";
  const std::string chat = dir.path() + "/hostile.json";
  {
    std::ofstream out(chat);
    out << R"({"conversation_id": "CH-MAP-1", "customer": "tess@example.com", "started_at": "2026-09-01T10:00:00Z",
  "turns": [
    {"speaker": "customer", "time": "2026-09-01T10:00:00Z",
     "text": "I searched the help centre for <script>alert(1)</script> & found nothing, it is useless."},
    {"speaker": "customer", "time": "2026-09-01T10:01:00Z",
     "text": "The agent <b>finally</b> fixed it & I am grateful, thanks!"}
  ]})";
  }
  auto ingest = run_cxmap({"--data", data, "ingest", "--quiet", chat});
  INFO(ingest.err);
  REQUIRE(ingest.exit_code == 0);
  const std::string path = dir.path() + "/hostile.html";
  auto r = run_cxmap({"--data", data, "map", "--out", path, "--label", "<i>tess</i> & co"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string html = slurp(path);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(html.find("<i>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; found nothing") != std::string::npos);

  // The browser sees text, not elements: no script, and the quote's full
  // sentence comes back intact from the attribute-free <title>.
  auto dom = chromium(dir.path(), {"--dump-dom", "file://" + path});
  INFO(dom.err);
  REQUIRE(dom.exit_code == 0);
  CHECK(dom.out.find("<script") == std::string::npos);
  CHECK(dom.out.find("<b>") == std::string::npos);
  CHECK(dom.out.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; found nothing") != std::string::npos);
  const auto legend = elements(dom.out, "g", "legend-entry");
  REQUIRE(legend.size() == 1);
  CHECK(legend[0].at("data-label") == "<i>tess</i> & co");
}

TEST_CASE("map: a bad query, an unwritable file and extra labels are usage errors", "[cli][map]") {
  TempDir dir;
  const std::string path = dir.path() + "/never.html";
  auto bad = demo({"map", "--out", path, "refund AND"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("refund AND") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(path));  // nothing written on failure

  auto bad_compare = demo({"map", "--out", path, "refund", "--compare", "a OR OR b"});
  CHECK(bad_compare.exit_code == 2);
  CHECK(bad_compare.err.find("--compare") != std::string::npos);
  CHECK(bad_compare.err.find("a OR OR b") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(path));

  const std::string unwritable = dir.path() + "/no/such/dir/map.html";
  auto nowrite = demo({"map", "--out", unwritable});
  CHECK(nowrite.exit_code == 2);
  CHECK(nowrite.err.find(unwritable) != std::string::npos);

  auto labels = demo({"map", "--out", path, "--label", "A", "--label", "B"});
  CHECK(labels.exit_code == 2);
  CHECK(labels.err.find("--label") != std::string::npos);

  auto nostore = run_cxmap({"--data", dir.path() + "/none", "map", "--out", path});
  CHECK(nostore.exit_code == 2);
  CHECK(nostore.err.find(dir.path() + "/none") != std::string::npos);

  auto help = run_cxmap({"map", "--help"});
  CHECK(help.exit_code == 0);
  for (const char* option : {"--out", "--compare", "--label", "QUERY"})
    CHECK(help.out.find(option) != std::string::npos);
}
