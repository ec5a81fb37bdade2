// Focus: the RFC 4180 reader (quoting, line numbers, recovery) and the
// survey connector (column mapping, scores, dates, rejects).
#include <catch2/catch.hpp>

#include <sstream>

#include "connectors/survey/csv_reader.h"
#include "connectors/survey/survey_csv.h"
#include "tests/connector/collect_sink.h"

using namespace cxmap;
using namespace cxmap::test;
using cxmap::survey::CsvReader;
using cxmap::survey::CsvRecord;

namespace {

std::vector<CsvRecord> read_all(const std::string& text) {
  std::istringstream in(text);
  CsvReader reader(in);
  std::vector<CsvRecord> out;
  CsvRecord r;
  while (reader.next(r)) out.push_back(r);
  return out;
}

}  // namespace

TEST_CASE("csv reader: quotes, escapes, embedded newlines, CRLF, BOM, line numbers", "[connector]") {
  auto recs = read_all("\xEF\xBB\xBF" "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"multi\r\nline\nfield\",z\r\n3,,\n");
  REQUIRE(recs.size() == 4);
  CHECK(recs[0].fields == std::vector<std::string>{"a", "b", "c"});
  CHECK(recs[0].line == 1);
  CHECK(recs[1].fields == std::vector<std::string>{"1", "x, y", "say \"hi\""});
  CHECK(recs[1].line == 2);
  CHECK(recs[2].fields == std::vector<std::string>{"2", "multi\nline\nfield", "z"});
  CHECK(recs[2].line == 3);
  CHECK(recs[3].fields == std::vector<std::string>{"3", "", ""});
  CHECK(recs[3].line == 6);
  for (const auto& r : recs) CHECK(r.ok);
}

TEST_CASE("csv reader: no trailing newline, empty quoted field, lone CR", "[connector]") {
  auto recs = read_all("a,\"\"\rb,c");
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].fields == std::vector<std::string>{"a", ""});
  CHECK(recs[1].fields == std::vector<std::string>{"b", "c"});
  CHECK(recs[1].line == 2);
  CHECK(read_all("").empty());
}

TEST_CASE("csv reader: broken quoting costs one row and reading goes on", "[connector]") {
  auto eof = read_all("1,\"open\n2,b\n");
  REQUIRE(eof.size() == 2);
  CHECK(eof[0].error == "unterminated quoted field (end of file inside quotes)");
  CHECK(eof[1].fields == std::vector<std::string>{"2", "b"});
  auto recs = read_all(
      "1,ok\n"
      "2,bad \"quote\n"
      "3,\"closed\"junk,x\n"
      "4,\"never closed\n"
      "5,after\n"
      "6,\"fine\"\n");
  // istringstream can seek, so the unterminated quote on line 4 is retried at line 5.
  REQUIRE(recs.size() == 6);
  CHECK(recs[0].ok);
  CHECK_FALSE(recs[1].ok);
  CHECK(recs[1].line == 2);
  CHECK(recs[1].error == "stray quote in an unquoted field");
  CHECK_FALSE(recs[2].ok);
  CHECK(recs[2].error == "unexpected text after a closing quote");
  CHECK_FALSE(recs[3].ok);
  CHECK(recs[3].line == 4);
  // The quote opened on line 4 closes on line 6 before "fine": text after it.
  CHECK(recs[3].error.find("unbalanced quote") != std::string::npos);
  CHECK(recs[4].ok);
  CHECK(recs[4].line == 5);
  CHECK(recs[4].fields == std::vector<std::string>{"5", "after"});
  CHECK(recs[5].fields == std::vector<std::string>{"6", "fine"});
  CHECK(recs[5].line == 6);
}

TEST_CASE("survey: guessed columns, scores, dates, embedded newline, hash id", "[connector]") {
  std::string path = fixture("survey/basic.csv");
  auto s = pull_all(spec_of("nps", "survey_csv", path));
  REQUIRE(s.bad.empty());
  REQUIRE(s.good.size() == 4);
  const auto& r1 = s.good[0];
  CHECK(r1.channel == "survey");
  CHECK(r1.external_id == "R1");
  CHECK(r1.customer_key == "maria.lopez@example.com");
  CHECK(r1.received_at == "2026-09-01T10:00:00Z");
  CHECK(r1.nps == 9);
  CHECK(r1.csat == 5);
  CHECK(r1.ces == 2);
  REQUIRE(r1.turns.size() == 1);
  CHECK(r1.turns[0].text == "Great support");
  CHECK(r1.locator == path + ":2");
  CHECK(r1.metadata == std::vector<std::pair<std::string, std::string>>{{"Plan", "Pro"}});
  const auto& r2 = s.good[1];
  CHECK(r2.received_at == "2026-09-02T14:30:00Z");
  CHECK(r2.turns[0].text == "Slow, \"very\" slow\nand rude");
  const auto& r3 = s.good[2];
  CHECK(r3.locator == path + ":5");  // line 3 + the embedded newline
  CHECK_FALSE(r3.nps.has_value());
  CHECK_FALSE(r3.csat.has_value());
  CHECK_FALSE(r3.ces.has_value());
  CHECK(r3.turns.empty());  // still feedback: the store keeps its scores
  bool nps_note = false, csat_note = false;
  for (const auto& [k, v] : r3.metadata) {
    if (k == "nps_note") nps_note = v.find("out of range") != std::string::npos;
    if (k == "csat_note") csat_note = v.find("not a number") != std::string::npos;
  }
  CHECK(nps_note);
  CHECK(csat_note);
  const auto& r4 = s.good[3];
  CHECK(r4.external_id.size() == 16);  // no id: content hash of the row
  CHECK(r4.received_at == "2026-09-04T00:00:00Z");
}

TEST_CASE("survey: broken rows rejected with path:LINE, good rows after them arrive", "[connector]") {
  std::string path = fixture("survey/broken.csv");
  auto s = pull_all(spec_of("broken", "survey_csv", path));
  REQUIRE(s.good.size() == 4);
  REQUIRE(s.bad.size() == 4);
  std::vector<std::string> ids;
  for (const auto& r : s.good) ids.push_back(r.external_id);
  CHECK(ids == std::vector<std::string>{"1", "5", "7", "8"});
  CHECK(s.bad[0].locator == path + ":3");
  CHECK(s.bad[0].reason == path + ":3: stray quote in an unquoted field");
  CHECK(s.bad[1].reason == path + ":4: expected 5 fields, got 7");
  CHECK(s.bad[2].reason == path + ":5: unexpected text after a closing quote");
  CHECK(s.bad[3].locator == path + ":7");
  CHECK(s.bad[3].raw.find("never closed") != std::string::npos);
  CHECK(s.good[3].locator == path + ":10");
}

TEST_CASE("survey: configured columns, two text columns, missing column is a config error", "[connector]") {
  SourceSpec spec = spec_of("custom", "survey_csv", fixture("survey/custom.csv"));
  spec.columns.date = "When";
  spec.columns.customer = "Who";
  spec.columns.nps = "Score";
  spec.columns.text = {"Q1", "Q2"};
  spec.columns.metadata = {"Region"};
  auto s = pull_all(spec);
  REQUIRE(s.good.size() == 2);
  CHECK(s.good[0].customer_key == "x@example.com");
  CHECK(s.good[0].nps == 8);
  REQUIRE(s.good[0].turns.size() == 2);
  CHECK(s.good[0].turns[1].text == "Answer two");
  CHECK(s.good[0].turns[1].time == "2026-09-01T10:00:00Z");
  CHECK(s.good[0].metadata == std::vector<std::pair<std::string, std::string>>{{"Region", "EU"}});
  CHECK(s.good[1].turns.empty());
  spec.columns.csat = "Nope";
  auto src = open_source(spec);
  REQUIRE(src);
  CollectSink sink;
  auto st = (*src)->pull(sink);
  REQUIRE_FALSE(st);
  CHECK(st.error().kind == ErrorKind::config);
  CHECK(st.error().message.find("'Nope'") != std::string::npos);
}

TEST_CASE("survey: column guessing from common header names", "[connector]") {
  auto c = survey::guess_csv_columns({"ResponseId", "End Date", "Customer Email",
                                      "How likely are you to recommend us?", "Overall satisfaction",
                                      "Customer Effort Score", "Tell us more", "Why did you give this score?",
                                      "Country"});
  CHECK(c.id == "ResponseId");
  CHECK(c.date == "End Date");
  CHECK(c.customer == "Customer Email");
  CHECK(c.nps == "How likely are you to recommend us?");
  CHECK(c.csat == "Overall satisfaction");
  CHECK(c.ces == "Customer Effort Score");
  CHECK(c.text == std::vector<std::string>{"Tell us more", "Why did you give this score?"});
  CHECK(c.metadata == std::vector<std::string>{"Country"});
}

TEST_CASE("survey: 20,000 rows stream with the right count", "[connector]") {
  TempDir dir;
  std::string path = (dir.path / "big.csv").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << "id,date,email,nps,comment\r\n";
    for (int i = 0; i < 20000; ++i)
      out << i << ",2026-09-01," << "u" << i << "@x.com," << (i % 11) << ",\"row " << i << ", \"\"quoted\"\"\"\r\n";
  }
  struct CountSink : RecordSink {
    std::size_t good = 0, bad = 0;
    RawFeedback last;
    void feedback(RawFeedback&& r) override {
      ++good;
      last = std::move(r);
    }
    void reject(Quarantined&&) override { ++bad; }
  } sink;
  auto src = open_source(spec_of("big", "survey_csv", path));
  REQUIRE(src);
  REQUIRE((*src)->pull(sink));
  CHECK(sink.good == 20000);
  CHECK(sink.bad == 0);
  CHECK(sink.last.locator == path + ":20001");
  CHECK(sink.last.turns[0].text == "row 19999, \"quoted\"");
  CHECK(sink.last.nps == 19999 % 11);
}
