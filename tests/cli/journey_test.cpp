// Focus: `cxmap journey` end to end on the demo store (CTest fixture
// cli.demo_ingest): maria's cross-channel journey with its linked dead end,
// linked pains found by search, and `journey --check` of good and broken
// definitions.
#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "../db/fixtures.h"
#include "run_cxmap.h"

using namespace cxmap;
using namespace cxmap::testing;

namespace {

RunResult demo(std::vector<std::string> args) {
  args.insert(args.begin(), {"--data", std::string(CXMAP_DEMO_DATA)});
  return run_cxmap(args);
}

}  // namespace

TEST_CASE("journey: maria's events across email, chat and survey in time order, with a dead end", "[cli][journey]") {
  auto r = demo({"journey", "Maria.Lopez@example.com", "--json"});
  REQUIRE(r.exit_code == 0);
  auto j = parse_object(r.out);
  CHECK(j->getValue<std::string>("customer") == "maria.lopez@example.com");
  auto fb = j->getArray("feedback");
  std::set<std::string> channels;
  std::string last;
  for (std::size_t i = 0; i < fb->size(); ++i) {
    auto f = fb->getObject(static_cast<unsigned>(i));
    channels.insert(f->getValue<std::string>("channel"));
    const std::string at = f->getValue<std::string>("received_at");
    CHECK(at >= last);
    last = at;
  }
  CHECK(channels == std::set<std::string>{"chat", "email", "survey"});
  auto links = j->getArray("links");
  bool dead_end = false;
  for (std::size_t i = 0; i < links->size(); ++i) {
    auto l = links->getObject(static_cast<unsigned>(i));
    if (l->getValue<std::string>("kind") != "dead_end") continue;
    dead_end = true;
    CHECK(l->getObject("from")->getValue<std::string>("feedback_id") !=
          l->getObject("to")->getValue<std::string>("feedback_id"));
    CHECK(l->getValue<double>("days") <= 7.0);
  }
  CHECK(dead_end);

  auto text = demo({"journey", "maria.lopez@example.com"});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("journey of maria.lopez@example.com") != std::string::npos);
  CHECK(text.out.find("dead_end") != std::string::npos);
}

TEST_CASE("journey: linked pains are searchable", "[cli][journey]") {
  auto r = demo({"search", "pain:dead_end customer:maria.lopez@example.com", "--json", "--limit", "50"});
  REQUIRE(r.exit_code == 0);
  CHECK(parse_object(r.out)->getValue<std::int64_t>("events") >= 2);
  auto rc = demo({"search", "pain:repeat_contact", "--json"});
  REQUIRE(rc.exit_code == 0);
  CHECK(parse_object(rc.out)->getValue<std::int64_t>("events") >= 2);
}

TEST_CASE("journey: an unknown customer is a usage error", "[cli][journey]") {
  auto r = demo({"journey", "nobody@example.com"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("nobody@example.com") != std::string::npos);
}

TEST_CASE("journey --check validates a definition", "[cli][journey]") {
  auto good = run_cxmap({"journey", "--check", std::string(CXMAP_SOURCE_DIR) + "/config/journey.json"});
  CHECK(good.exit_code == 0);
  CHECK(good.out.find("stages       6") != std::string::npos);
  CHECK(good.out.find("touchpoints  11") != std::string::npos);
  CHECK(good.out.find("patterns") != std::string::npos);
  auto in_use = run_cxmap({"journey", "--check"});
  CHECK(in_use.exit_code == 0);

  TempDir dir;
  const std::string bad = dir.path() + "/bad.json";
  {
    std::ofstream out(bad);
    out << R"({"stages": [{"name": "contact", "cues": ["call"]}],
               "touchpoints": [{"name": "phone", "patterns": [{"regex": "(on hold", "weight": 2}]}]})";
  }
  auto r = run_cxmap({"journey", "--check", bad});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("touchpoint 'phone'") != std::string::npos);
  CHECK(r.err.find("(on hold") != std::string::npos);
}
