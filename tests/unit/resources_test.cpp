// Focus: loading resources from disk, and the errors a person sees.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "lexicons/importer.h"
#include "lexicons/journey_loader.h"
#include "lexicons/resources_loader.h"
#include "test_support.h"

using namespace cxmap;
namespace fs = std::filesystem;

namespace {
struct TempShare {
  fs::path dir;
  TempShare() {
    dir = fs::temp_directory_path() / ("cxmap-unit-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::create_directories(dir / "lexicons");
    for (const char* f : {"vader.tsv", "cx_valence.tsv", "cx_emotions.tsv"})
      fs::copy_file(fs::path(CXMAP_SHARE_DIR) / "lexicons" / f, dir / "lexicons" / f);
    fs::copy_file(fs::path(CXMAP_SOURCE_DIR) / "config" / "journey.json", dir / "journey.json");
  }
  ~TempShare() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  void write(const std::string& rel, const std::string& text) { std::ofstream(dir / rel, std::ios::trunc) << text; }
  static int& counter() {
    static int n = 0;
    return n;
  }
};
}  // namespace

TEST_CASE("load_resources reads the share directory", "[unit][resources]") {
  const Resources& r = test::resources();
  CHECK(r.valence.size(ValenceLayer::base) > 7000);
  CHECK(r.valence.size(ValenceLayer::cx) >= 80);
  CHECK(r.emotions.size() >= 300);
  CHECK(r.journey.stages.size() == 6);
  TempShare t;
  auto again = load_resources(t.dir.string());
  REQUIRE(again.ok());
}

TEST_CASE("load_resources: missing VADER lexicon says how to make it", "[unit][resources]") {
  TempShare t;
  fs::remove(t.dir / "lexicons" / "vader.tsv");
  auto r = load_resources(t.dir.string());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("vader.tsv") != std::string::npos);
  CHECK(r.error().message.find("scripts/setup") != std::string::npos);
}

TEST_CASE("load_resources: a bad lexicon line names file and line", "[unit][resources]") {
  TempShare t;
  t.write("lexicons/cx_valence.tsv", "# ok\non hold\t-1.5\nbroken line without tab\n");
  auto r = load_resources(t.dir.string());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("cx_valence.tsv:3") != std::string::npos);
  TempShare u;
  u.write("lexicons/cx_emotions.tsv", "fed up\tfrustrated\t2\nhappy\tjoyful\t1\n");
  auto e = load_resources(u.dir.string());
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message.find("cx_emotions.tsv:2") != std::string::npos);
}

TEST_CASE("load_resources: a bad RE2 pattern names the entry and pattern", "[unit][resources]") {
  TempShare t;
  t.write("journey.json", R"({"stages": [{"name": "contact", "cues": ["hold"], "patterns": ["(on hold"]}]})");
  auto r = load_resources(t.dir.string());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("journey.json") != std::string::npos);
  CHECK(r.error().message.find("contact") != std::string::npos);
  CHECK(r.error().message.find("(on hold") != std::string::npos);
  CHECK(r.error().kind == ErrorKind::config);
}

TEST_CASE("journey JSON: cue forms and errors", "[unit][resources]") {
  auto ok = parse_journey_definition(
      R"({"stages": [{"name": "aware", "priority": 2, "cues": ["issue", {"text": "how do i", "weight": 2.5},
          {"weight": 3, "terms": ["noticed", "broken"]}], "patterns": [{"regex": "^how\\b", "weight": 2}]}],
          "touchpoints": [{"name": "phone", "cues": ["call"]}]})",
      "inline.json");
  REQUIRE(ok.ok());
  REQUIRE(ok->stages[0].cues.size() == 4);
  CHECK(ok->stages[0].cues[1].weight == Approx(2.5));
  CHECK(ok->stages[0].priority == 2);
  CHECK(ok->touchpoint_names() == std::vector<std::string>{"phone"});
  auto syntax = parse_journey_definition("{\"stages\": [", "broken.json");
  REQUIRE_FALSE(syntax.ok());
  CHECK(syntax.error().message.find("broken.json") != std::string::npos);
  auto noname = parse_journey_definition(R"({"stages": [{"cues": ["x"]}]})", "j.json");
  REQUIRE_FALSE(noname.ok());
  CHECK(noname.error().message.find("name") != std::string::npos);
}

TEST_CASE("importer converts VADER and AFINN into our TSV", "[unit][resources]") {
  auto v = import_lexicon("good\t1.9\t0.9\t[2, 2]\n:(\t-1.9\t0.5\t[]\n", LexiconFormat::vader, "vader_lexicon.txt");
  REQUIRE(v.ok());
  CHECK(v->entries == 2);
  auto back = parse_valence_tsv(v->tsv, "out.tsv");
  REQUIRE(back.ok());
  CHECK(back->size() == 2);
  auto a = import_lexicon("bad\t-3\n", LexiconFormat::afinn, "AFINN-165.txt");
  REQUIRE(a.ok());
  CHECK(a->tsv.find("bad\t-2.4") != std::string::npos);
  CHECK_FALSE(parse_lexicon_format("csv").ok());
  auto bad = import_lexicon("bad\tx\n", LexiconFormat::afinn, "a.txt");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("a.txt:1") != std::string::npos);
}
