// Focus: parity of our VADER rules (CX layer off) with the npm port
// vader-sentiment 1.1.3 on tests/data/sentiment/vader_parity.tsv, a sample of
// generated sentences (tests/tools/make_parity_sample.py) with the port's
// compound for each (tests/tools/vader_reference.js).
//
// Each sentence is scored as one unit, as the port scores a string:
// normalize -> tokenize -> score_sentence with the CX layer off. At least 95%
// must be within 0.01 of the port. Disagreements are printed by category;
// categories named "port:..." are where the port departs from the published
// algorithm (lexicons/README.md, "Differences from the npm port").
// When node and the npm package are present in the build tree, the reference
// is also recomputed live and must equal the checked-in file.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <unistd.h>

#include "pipeline/normalize.h"
#include "pipeline/segment.h"
#include "pipeline/sentiment.h"
#include "test_support.h"

using namespace cxmap;

namespace {

struct ParityRow {
  int line = 0;
  std::string category, text;
  double reference = 0;
};

std::vector<ParityRow> read_parity() {
  const std::string path = std::string(CXMAP_TEST_DATA) + "/sentiment/vader_parity.tsv";
  std::ifstream in(path);
  REQUIRE(in.good());
  std::vector<ParityRow> rows;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    const auto t1 = line.find('\t'), t2 = line.rfind('\t');
    INFO(path << ":" << n);
    REQUIRE(t1 != std::string::npos);
    REQUIRE(t2 > t1);
    rows.push_back({n, line.substr(0, t1), line.substr(t1 + 1, t2 - t1 - 1), std::stod(line.substr(t2 + 1))});
  }
  return rows;
}

double our_compound(const std::string& text) {
  return score_sentence(tokenize(normalize_text(text).text), test::resources().valence,
                        SentimentOptions{false})
      .compound;
}

// The build tree this test belongs to (where the npm package is installed).
std::filesystem::path build_dir() {
  return std::filesystem::path(CXMAP_BINARY).parent_path();
}

}  // namespace

TEST_CASE("VADER parity with the npm port, CX layer off", "[unit][sentiment][parity]") {
  const auto rows = read_parity();
  REQUIRE(rows.size() >= 3000);
  struct Tally {
    int n = 0, agree = 0;
    std::vector<std::string> examples;
  };
  std::map<std::string, Tally> by_category;
  int agree = 0;
  for (const auto& r : rows) {
    const double ours = our_compound(r.text);
    Tally& t = by_category[r.category];
    ++t.n;
    if (std::fabs(ours - r.reference) <= 0.01 + 1e-9) {
      ++agree;
      ++t.agree;
    } else if (t.examples.size() < 3) {
      char buf[64];
      std::snprintf(buf, sizeof buf, " (ours %.4f, port %.4f)", ours, r.reference);
      t.examples.push_back(r.text + buf);
    }
  }
  const double share = static_cast<double>(agree) / static_cast<double>(rows.size());
  std::ostringstream msg;
  msg << "VADER parity: " << agree << " of " << rows.size() << " within 0.01 (" << 100.0 * share << "%)\n";
  for (const auto& [cat, t] : by_category) {
    if (t.agree == t.n) continue;
    msg << "  " << cat << ": " << (t.n - t.agree) << " of " << t.n << " differ";
    for (const auto& e : t.examples) msg << "\n      " << e;
    msg << "\n";
  }
  WARN(msg.str());
  CHECK(share >= 0.95);
}

TEST_CASE("the checked-in parity reference equals the npm port run live", "[unit][sentiment][parity]") {
  const auto npm = build_dir() / "npm";
  if (!std::filesystem::exists(npm / "node_modules" / "vader-sentiment") ||
      std::system("command -v node >/dev/null 2>&1") != 0) {
    WARN("node or " << (npm / "node_modules" / "vader-sentiment").string() << " missing: live check skipped");
    return;
  }
  const auto rows = read_parity();
  const auto tmp = std::filesystem::temp_directory_path() /
                   ("cxmap-parity-" + std::to_string(static_cast<long>(::getpid())) + ".txt");
  {
    std::ofstream out(tmp);
    for (const auto& r : rows) out << r.text << '\n';
  }
  const std::string cmd = "CXMAP_NPM_DIR='" + npm.string() + "' node '" + std::string(CXMAP_SOURCE_DIR) +
                          "/tests/tools/vader_reference.js' --stdin < '" + tmp.string() + "'";
  std::vector<double> live;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[64];
    while (std::fgets(buf, sizeof buf, p)) live.push_back(std::atof(buf));
    ::pclose(p);
  }
  std::filesystem::remove(tmp);
  REQUIRE(live.size() == rows.size());
  int differ = 0;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (std::fabs(live[i] - rows[i].reference) > 1e-9) {
      if (++differ <= 5)
        WARN("vader_parity.tsv:" << rows[i].line << ": file " << rows[i].reference << ", live " << live[i]);
    }
  CHECK(differ == 0);
}
