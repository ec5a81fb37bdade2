// Focus: survey exports as the tools write them: Qualtrics (three header
// rows), SurveyMonkey (two header rows), non-UTF-8 files (windows-1252,
// latin-9, UTF-16 with and without a byte-order mark), 12-hour and
// time-zoned dates, score parsing with nps_category, quarantined rows, and
// the streaming transcoder's equivalence with plain UTF-8 reading.
#include <catch2/catch.hpp>

#include <sstream>

#include "connectors/survey/csv_encoding.h"
#include "connectors/survey/csv_reader.h"
#include "connectors/survey/survey_csv.h"
#include "connectors/survey/survey_dates.h"
#include "connectors/survey/survey_export.h"
#include "tests/connector/collect_sink.h"

using namespace cxmap;
using namespace cxmap::test;
using Meta = std::vector<std::pair<std::string, std::string>>;
using survey::ExportFormat;

namespace {

std::vector<std::string> turn_texts(const RawFeedback& r) {
  std::vector<std::string> out;
  for (const auto& t : r.turns) out.push_back(t.text);
  return out;
}

std::string meta(const RawFeedback& r, const std::string& key) {
  for (const auto& [k, v] : r.metadata)
    if (k == key) return v;
  return "<none>";
}

// UTF-8 -> UTF-16 code units (enough for test text: BMP and surrogate pairs).
std::u16string utf16_of(const std::string& s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char32_t cp;
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += static_cast<std::size_t>(len);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xD800 + (cp >> 10));
      out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

std::string utf16le(const std::string& utf8) {
  std::string out;
  for (char16_t u : utf16_of(utf8)) {
    out += static_cast<char>(u & 0xFF);
    out += static_cast<char>(u >> 8);
  }
  return out;
}

std::string utf16be(const std::string& utf8) {
  std::string out;
  for (char16_t u : utf16_of(utf8)) {
    out += static_cast<char>(u >> 8);
    out += static_cast<char>(u & 0xFF);
  }
  return out;
}

SourceSpec with_settings(SourceSpec spec, const std::string& settings) {
  spec.settings = settings;
  return spec;
}

}  // namespace

TEST_CASE("survey exports: format detection from the first rows", "[connector][survey]") {
  using R = survey::Row;
  CHECK(survey::detect_export_format({R{"ResponseId", "Q1"}, R{"Response ID", "How likely...?"},
                                      R{"{\"ImportId\":\"_recordId\"}", "{\"ImportId\":\"QID1\"}"}}) ==
        ExportFormat::qualtrics);
  CHECK(survey::detect_export_format({R{"Respondent ID", "Collector ID", "Q?"}, R{"", "", "Response"}}) ==
        ExportFormat::surveymonkey);
  // A generic file with a Respondent ID column has an id in its first data row.
  CHECK(survey::detect_export_format({R{"Respondent ID", "Comment"}, R{"17", "Response"}}) ==
        ExportFormat::generic);
  CHECK(survey::detect_export_format({R{"id", "comment"}, R{"1", "{\"ImportId\": no"}, R{"2", "x"}}) ==
        ExportFormat::generic);
  CHECK(survey::detect_export_format({R{"id", "comment"}}) == ExportFormat::generic);
  CHECK(survey::parse_format_name("SurveyMonkey") == ExportFormat::surveymonkey);
  CHECK_FALSE(survey::parse_format_name("auto"));
}

TEST_CASE("survey exports: Qualtrics three header rows, text answers as turns, scores, zoned dates",
          "[connector][survey]") {
  const std::string path = fixture("survey/qualtrics.csv");
  auto s = pull_all(spec_of("qx", "survey_csv", path));
  REQUIRE(s.good.size() == 4);
  REQUIRE(s.bad.size() == 2);

  const auto& r1 = s.good[0];
  CHECK(r1.locator == path + ":4");  // data starts after the three header rows
  CHECK(r1.external_id == "R_2aXk9PqLm3Nv8Tz");
  CHECK(r1.customer_key == "maria.lopez@example.com");
  // RecordedDate in the header's zone, America/Denver (MDT, UTC-6).
  CHECK(r1.received_at == "2026-09-03T16:02:00Z");
  CHECK(r1.nps == 9);
  CHECK(r1.csat == 5);
  CHECK(r1.ces == 2);
  CHECK(turn_texts(r1) == std::vector<std::string>{"The agent fixed my billing problem in one call.",
                                                   "Keep Dana on the phone team, she was great."});
  CHECK(r1.turns[1].time == "2026-09-03T16:02:00Z");
  // No IP address, names, coordinates or NPS group in the metadata.
  CHECK(r1.metadata == Meta{{"survey_format", "qualtrics"},
                            {"nps_category", "promoter"},
                            {"question:Q2", "What is the main reason for your score?"},
                            {"question:Q6", "Is there anything else you would like to tell us?"},
                            {"StartDate", "2026-09-03 09:55:10"},
                            {"EndDate", "2026-09-03 10:02:00"},
                            {"Status", "IP Address"},
                            {"Progress", "100"},
                            {"Duration (in seconds)", "410"},
                            {"Finished", "True"},
                            {"ExternalReference", "CRM-1001"},
                            {"DistributionChannel", "email"},
                            {"UserLanguage", "EN"},
                            {"Q5", "Phone"}});

  const auto& r2 = s.good[1];
  CHECK(r2.locator == path + ":5");
  CHECK(r2.received_at == "2026-09-04T20:31:45Z");
  CHECK(r2.nps == 3);
  CHECK(meta(r2, "nps_category") == "detractor");
  CHECK(r2.csat == 2);
  CHECK(r2.ces == 6);
  CHECK(turn_texts(r2) ==
        std::vector<std::string>{"I was on hold for 45 minutes, then \"transferred\" twice.\n"
                                 "Nobody could tell me where my refund was.",
                                 "Twitter DM"});
  CHECK(meta(r2, "question:Q5_4_TEXT") == "Which channel did you use to contact us? - Other - Text");

  const auto& r3 = s.good[2];  // bad values are left empty and noted, never guessed
  CHECK(r3.locator == path + ":7");
  CHECK(r3.received_at.empty());
  CHECK(r3.customer_key.empty());
  CHECK_FALSE(r3.nps.has_value());
  CHECK_FALSE(r3.csat.has_value());
  CHECK_FALSE(r3.ces.has_value());
  CHECK(meta(r3, "date_note") == "unparsed date: 'not a date'");
  CHECK(meta(r3, "nps_note") == "out of range 0-10: 11");
  CHECK(meta(r3, "nps_category") == "<none>");
  CHECK(meta(r3, "csat_note") == "not a number: 'Very satisfied'");
  CHECK(meta(r3, "ces_note") == "out of range 1-7: 8");
  CHECK(turn_texts(r3) == std::vector<std::string>{"Please add live chat on weekends."});

  const auto& r4 = s.good[3];
  CHECK(r4.locator == path + ":9");
  CHECK(r4.received_at == "2026-09-06T23:50:30Z");
  CHECK(r4.nps == 7);
  CHECK(meta(r4, "nps_category") == "passive");

  CHECK(s.bad[0].locator == path + ":8");
  CHECK(s.bad[0].reason == path + ":8: stray quote in an unquoted field");
  CHECK(s.bad[0].raw.find("R_4dAn2StOp6Qy1Wc") != std::string::npos);
  CHECK(s.bad[1].reason == path + ":10: expected 25 fields, got 3");
}

TEST_CASE("survey exports: Qualtrics through detect_source and with configured columns",
          "[connector][survey]") {
  const std::string path = fixture("survey/qualtrics.csv");
  auto spec = detect_source(path);
  REQUIRE(spec);
  CHECK(spec->kind == "survey_csv");
  const CsvColumns& c = spec->columns;
  CHECK(c.id == "ResponseId");
  CHECK(c.date == "RecordedDate");
  CHECK(c.customer == "RecipientEmail");
  CHECK(c.nps == "Q1");
  CHECK(c.csat == "Q3");
  CHECK(c.ces == "Q4");
  CHECK(c.text == std::vector<std::string>{"Q2", "Q5_4_TEXT", "Q6"});
  // Named on the command line or guessed in pull(): the same records.
  auto named = pull_all(*spec);
  auto guessed = pull_all(spec_of("qualtrics.csv", "survey_csv", path));
  REQUIRE(named.good.size() == guessed.good.size());
  for (std::size_t i = 0; i < named.good.size(); ++i) {
    CHECK(named.good[i].metadata == guessed.good[i].metadata);
    CHECK(turn_texts(named.good[i]) == turn_texts(guessed.good[i]));
  }

  // Configured columns may name a column by id or by its question text.
  SourceSpec conf = spec_of("qc", "survey_csv", path);
  conf.columns.id = "ResponseId";
  conf.columns.nps = "How likely are you to recommend Northwind Mobile to a friend or colleague?";
  conf.columns.text = {"Q6"};
  conf.columns.metadata = {"UserLanguage"};
  auto s = pull_all(conf);
  REQUIRE(s.good.size() == 4);
  CHECK(s.good[0].nps == 9);
  CHECK(s.good[0].received_at.empty());  // no date column configured
  CHECK(s.good[0].metadata == Meta{{"survey_format", "qualtrics"},
                                   {"nps_category", "promoter"},
                                   {"question:Q6", "Is there anything else you would like to tell us?"},
                                   {"UserLanguage", "EN"}});
}

TEST_CASE("survey exports: SurveyMonkey two header rows, sub-labels, 12-hour dates", "[connector][survey]") {
  const std::string path = fixture("survey/surveymonkey.csv");
  auto s = pull_all(spec_of("sm", "survey_csv", path));
  REQUIRE(s.good.size() == 4);
  REQUIRE(s.bad.size() == 1);

  const auto& r1 = s.good[0];
  CHECK(r1.locator == path + ":3");
  CHECK(r1.external_id == "114385029384");
  CHECK(r1.customer_key == "maria.lopez@example.com");
  CHECK(r1.received_at == "2026-09-03T10:02:00Z");
  CHECK(r1.nps == 10);
  CHECK(r1.csat == 5);
  CHECK(r1.ces == 2);
  CHECK(turn_texts(r1) == std::vector<std::string>{"Nothing, the agent was quick and friendly."});
  const std::string tried = "Which of these did you try before contacting us? (select all that apply)";
  CHECK(r1.metadata == Meta{{"survey_format", "surveymonkey"},
                            {"nps_category", "promoter"},
                            {"question:What could we have done better?", "What could we have done better?"},
                            {"Collector ID", "431234567"},
                            {"Start Date", "09/03/2026 09:50:12 AM"},
                            {"Custom Data 1", "plan=pro"},
                            {tried + " - Help centre articles", "Help centre articles"},
                            {tried + " - Chatbot", "Chatbot"},
                            {"How did you contact us?", "Phone"}});

  const auto& r2 = s.good[1];
  CHECK(r2.locator == path + ":4");
  CHECK(r2.received_at == "2026-09-03T23:40:30Z");  // 11:40:30 PM
  CHECK(r2.nps == 0);                               // "0 - Not at all likely"
  CHECK(meta(r2, "nps_category") == "detractor");
  CHECK(r2.csat == 1);
  CHECK(r2.ces == 7);
  CHECK(turn_texts(r2) ==
        std::vector<std::string>{"Twitter DM", "Answer the phone. I waited 40 minutes\nand gave up."});
  CHECK(meta(r2, "question:How did you contact us? - Other (please specify)") == "How did you contact us?");

  const auto& r3 = s.good[2];
  CHECK(r3.locator == path + ":6");                 // the answer above spans lines 4-5
  CHECK(r3.received_at == "2026-09-04T00:15:00Z");  // 12:15:00 AM
  CHECK(r3.customer_key.empty());
  CHECK(r3.turns.empty());
  CHECK_FALSE(r3.nps.has_value());
  CHECK(meta(r3, "nps_note") == "not a number: 'Extremely likely'");
  CHECK(meta(r3, "csat_note") == "out of range 1-5: 6");

  // The unclosed quote on line 7 costs that row; line 8 is read again.
  CHECK(s.bad[0].locator == path + ":7");
  CHECK(s.bad[0].reason == path + ":7: unterminated quoted field (end of file inside quotes)");
  CHECK(s.good[3].locator == path + ":8");
  CHECK(s.good[3].external_id == "114385040003");
  CHECK(s.good[3].received_at == "2026-09-05T08:10:00Z");
  CHECK(meta(s.good[3], "nps_category") == "passive");

  auto spec = detect_source(path);
  REQUIRE(spec);
  CHECK(spec->columns.id == "Respondent ID");
  CHECK(spec->columns.date == "End Date");
  CHECK(spec->columns.customer == "Email Address");
  CHECK(spec->columns.nps ==
        "How likely is it that you would recommend Northwind Mobile to a friend or colleague?");
  CHECK(spec->columns.csat == "How satisfied were you with the help you received?");
  CHECK(spec->columns.ces == "How easy was it to solve your problem today?");
  CHECK(spec->columns.text == std::vector<std::string>{"How did you contact us? - Other (please specify)",
                                                       "What could we have done better?"});
}

TEST_CASE("survey exports: windows-1252 bytes converted per field, recorded in metadata",
          "[connector][survey]") {
  const std::string path = fixture("survey/windows-1252.csv");
  auto s = pull_all(spec_of("w", "survey_csv", path));
  REQUIRE(s.bad.empty());
  REQUIRE(s.good.size() == 3);
  CHECK(turn_texts(s.good[0]) ==
        std::vector<std::string>{"Caf\u00e9 staff were lovely \u2013 \u201creally\u201d helpful"});
  CHECK(s.good[0].nps == 9);
  CHECK(s.good[0].metadata ==
        Meta{{"city", "Z\u00fcrich"}, {"source_encoding", "windows-1252 (not valid UTF-8)"}});
  // A row of plain ASCII needed no conversion and says nothing.
  CHECK(s.good[1].metadata == Meta{{"city", "Leeds"}});
  CHECK(turn_texts(s.good[2]) == std::vector<std::string>{"Na\u00efve \"fix\" did not work"});
  CHECK(meta(s.good[2], "city") == "S\u00e3o Paulo");
}

TEST_CASE("survey exports: a configured encoding is the fallback for non-UTF-8 bytes",
          "[connector][survey]") {
  const std::string path = fixture("survey/latin9.csv");
  // 0xA4 is the euro sign in latin-9 and a currency sign in windows-1252.
  auto latin9 = pull_all(with_settings(spec_of("l9", "survey_csv", path), R"({"encoding": "ISO-8859-15"})"));
  REQUIRE(latin9.good.size() == 2);
  CHECK(turn_texts(latin9.good[0]) == std::vector<std::string>{"Co\u00fbt 20\u20ac de trop"});
  CHECK(meta(latin9.good[0], "source_encoding") == "iso-8859-15 (not valid UTF-8)");
  CHECK(turn_texts(latin9.good[1]) == std::vector<std::string>{"Tr\u00e8s bien"});
  auto fallback = pull_all(spec_of("l9", "survey_csv", path));
  CHECK(turn_texts(fallback.good[0]) == std::vector<std::string>{"Co\u00fbt 20\u00a4 de trop"});

  // Valid UTF-8 is never reinterpreted, whatever the setting.
  TempDir dir;
  std::string utf8 = dir.write("u.csv", "id,comment\nU1,Caf\xC3\xA9\n");
  auto u = pull_all(with_settings(spec_of("u", "survey_csv", utf8), R"({"encoding": "windows-1252"})"));
  CHECK(turn_texts(u.good[0]) == std::vector<std::string>{"Caf\u00e9"});
  CHECK(u.good[0].metadata.empty());
  // "utf-8" configured: invalid bytes are left for the pipeline (U+FFFD there).
  std::string bad = dir.write("b.csv", "id,comment\nB1,Caf\xE9\n");
  auto b = pull_all(with_settings(spec_of("b", "survey_csv", bad), R"({"encoding": "utf-8"})"));
  CHECK(turn_texts(b.good[0]) == std::vector<std::string>{"Caf\xE9"});
}

TEST_CASE("survey exports: UTF-16 with a byte-order mark is transcoded as a stream", "[connector][survey]") {
  const std::string path = fixture("survey/utf16.csv");
  auto s = pull_all(spec_of("u16", "survey_csv", path));
  REQUIRE(s.bad.empty());
  REQUIRE(s.good.size() == 2);
  CHECK(s.good[0].external_id == "200000000001");
  CHECK(s.good[0].locator == path + ":3");
  CHECK(s.good[0].received_at == "2026-09-06T08:05:00Z");
  CHECK(s.good[0].nps == 9);
  CHECK(turn_texts(s.good[0]) ==
        std::vector<std::string>{"Le caf\u00e9 du magasin \u00e9tait parfait \U0001F44D"});
  CHECK(s.good[0].metadata ==
        Meta{{"survey_format", "surveymonkey"},
             {"source_encoding", "UTF-16LE (byte-order mark)"},
             {"nps_category", "promoter"},
             {"question:What could we have done better?", "What could we have done better?"},
             {"Collector ID", "500000001"},
             {"Start Date", "09/06/2026 08:00:00 AM"}});
  CHECK(s.good[1].received_at == "2026-09-06T13:07:00Z");
  CHECK(s.good[1].locator == path + ":4");
  CHECK(turn_texts(s.good[1]) ==
        std::vector<std::string>{
            "Na\u00efve question: why \"premium\" support\nstill means a 30 minute wait?"});
  auto spec = detect_source(path);
  REQUIRE(spec);
  CHECK(spec->columns.customer == "Email Address");

  // Big-endian mark, and UTF-16 without a mark when configured.
  TempDir dir;
  const std::string csv = "id,comment\r\n1,\"d\u00e9j\u00e0 vu\"\r\n2,ok\r\n";
  std::string be = dir.write("be.csv", std::string("\xFE\xFF") + utf16be(csv));
  auto sb = pull_all(spec_of("be", "survey_csv", be));
  REQUIRE(sb.good.size() == 2);
  CHECK(turn_texts(sb.good[0]) == std::vector<std::string>{"d\u00e9j\u00e0 vu"});
  CHECK(meta(sb.good[0], "source_encoding") == "UTF-16BE (byte-order mark)");
  std::string le = dir.write("le.csv", utf16le(csv));
  auto sl = pull_all(with_settings(spec_of("le", "survey_csv", le), R"({"encoding": "UTF-16LE"})"));
  REQUIRE(sl.good.size() == 2);
  CHECK(turn_texts(sl.good[0]) == std::vector<std::string>{"d\u00e9j\u00e0 vu"});
  CHECK(meta(sl.good[0], "source_encoding") == "utf-16le (configured)");
}

TEST_CASE("survey exports: transcoded reading equals UTF-8 reading, tiny windows and chunks included",
          "[connector][survey]") {
  // The reader's recovery seeks back; with a small window the transcoder
  // restarts from the start, with a large one it seeks inside its buffer.
  const std::string text =
      "id,comment\r\n"
      "1,\"caf\u00e9, \"\"tr\u00e8s\"\" bien\"\r\n"
      "2,bad \"quote\r\n"
      "3,\"closed\"junk,x\r\n"
      "4,\"never closed \u00fc\r\n"
      "5,after \U0001F600\r\n"
      "6,\"fine\"\r\n"
      "7,\"multi\r\nline\"\r\n";
  auto read_plain = [&] {
    std::istringstream in(text);
    survey::CsvReader reader(in);
    std::vector<survey::CsvRecord> out;
    survey::CsvRecord r;
    while (reader.next(r)) out.push_back(r);
    return out;
  };
  const auto expected = read_plain();
  REQUIRE(expected.size() == 8);
  for (std::size_t window : {std::size_t{1}, std::size_t{16}, std::size_t{1} << 20}) {
    for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{64}}) {
      CAPTURE(window, chunk);
      std::istringstream src(std::string("\xFF\xFE") + utf16le(text));
      auto t = survey::Utf8Transcoder::open(src, "UTF-16LE", 2, window, chunk);
      REQUIRE(t);
      std::istream decoded(t->get());
      survey::CsvReader reader(decoded);
      std::vector<survey::CsvRecord> got;
      survey::CsvRecord r;
      while (reader.next(r)) got.push_back(r);
      REQUIRE(got.size() == expected.size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        CAPTURE(i);
        CHECK(got[i].ok == expected[i].ok);
        CHECK(got[i].line == expected[i].line);
        CHECK(got[i].fields == expected[i].fields);
        CHECK(got[i].error == expected[i].error);
        CHECK(got[i].raw == expected[i].raw);
      }
      CHECK_FALSE((*t)->failed());
    }
  }
  // An odd trailing byte is a cut-off character: U+FFFD, not an error.
  std::istringstream odd(utf16le("a,b\n") + "x");
  auto t = survey::Utf8Transcoder::open(odd, "UTF-16LE", 0);
  REQUIRE(t);
  std::string all((std::istreambuf_iterator<char>(t->get())), std::istreambuf_iterator<char>());
  CHECK(all == "a,b\n\xEF\xBF\xBD");
}

TEST_CASE("survey exports: 20,000 UTF-16 rows stream with the right count", "[connector][survey]") {
  TempDir dir;
  std::string path = (dir.path / "big16.csv").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << "\xFF\xFE" << utf16le("id,date,email,nps,comment\r\n");
    for (int i = 0; i < 20000; ++i)
      out << utf16le(std::to_string(i) + ",2026-09-01,u" + std::to_string(i) + "@x.com," +
                     std::to_string(i % 11) + ",\"caf\u00e9 " + std::to_string(i) + ", \"\"quoted\"\"\"\r\n");
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
  auto src = open_source(spec_of("big16", "survey_csv", path));
  REQUIRE(src);
  REQUIRE((*src)->pull(sink));
  CHECK(sink.good == 20000);
  CHECK(sink.bad == 0);
  CHECK(sink.last.locator == path + ":20001");
  CHECK(sink.last.turns[0].text == "caf\u00e9 19999, \"quoted\"");
  CHECK(sink.last.nps == 19999 % 11);
}

TEST_CASE("survey exports: dates with a 12-hour clock and time zones", "[connector][survey]") {
  using survey::survey_date_to_utc;
  CHECK(survey_date_to_utc("09/03/2026 10:02:00 AM", "") == "2026-09-03T10:02:00Z");
  CHECK(survey_date_to_utc("09/03/2026 10:02:00 PM", "") == "2026-09-03T22:02:00Z");
  CHECK(survey_date_to_utc("09/03/2026 12:30 AM", "") == "2026-09-03T00:30:00Z");
  CHECK(survey_date_to_utc("09/03/2026 12:30pm", "") == "2026-09-03T12:30:00Z");
  CHECK_FALSE(survey_date_to_utc("09/03/2026 13:30 PM", ""));
  CHECK(survey_date_to_utc("2026-09-03 10:02:00", "") == "2026-09-03T10:02:00Z");
  CHECK(survey_date_to_utc("2026-09-03 10:02:00", "UTC") == "2026-09-03T10:02:00Z");
  CHECK(survey_date_to_utc("2026-01-15 10:00:00", "Europe/Paris") == "2026-01-15T09:00:00Z");  // CET
  CHECK(survey_date_to_utc("2026-07-15 10:00:00", "Europe/Paris") == "2026-07-15T08:00:00Z");  // CEST
  CHECK(survey_date_to_utc("2026-12-31 23:30:00", "America/New_York") == "2027-01-01T04:30:00Z");
  // A time with its own offset keeps it.
  CHECK(survey_date_to_utc("2026-09-03T10:02:00+02:00", "America/Denver") == "2026-09-03T08:02:00Z");
  CHECK(survey::known_time_zone("Pacific/Auckland"));
  CHECK_FALSE(survey::known_time_zone("Mars/Olympus_Mons"));
}

TEST_CASE("survey exports: settings for format and timezone, and their errors", "[connector][survey]") {
  TempDir dir;
  std::string generic = dir.write("g.csv", "id,date,comment\n1,2026-07-01 09:00:00,Hello\n");
  auto paris =
      pull_all(with_settings(spec_of("g", "survey_csv", generic), R"({"timezone": "Europe/Paris"})"));
  REQUIRE(paris.good.size() == 1);
  CHECK(paris.good[0].received_at == "2026-07-01T07:00:00Z");
  CHECK(paris.good[0].metadata.empty());  // generic rows keep their old metadata

  // A Qualtrics column's own zone wins over the setting; an unknown one is noted.
  std::string q = dir.write("q.csv",
                            "RecordedDate,ResponseId,Q1\n"
                            "Recorded Date,Response ID,Comments\n"
                            "\"{\"\"ImportId\"\":\"\"recordedDate\"\",\"\"timeZone\"\":\"\"Atlantis/"
                            "Lost\"\"}\",\"{\"\"ImportId\"\":\"\"_recordId\"\"}\","
                            "\"{\"\"ImportId\"\":\"\"QID1_TEXT\"\"}\"\n"
                            "2026-07-01 09:00:00,R_1,Great\n");
  auto qs = pull_all(with_settings(spec_of("q", "survey_csv", q), R"({"timezone": "Europe/Paris"})"));
  REQUIRE(qs.good.size() == 1);
  CHECK(qs.good[0].received_at == "2026-07-01T07:00:00Z");
  CHECK(meta(qs.good[0], "date_note") ==
        "unknown time zone 'Atlantis/Lost' in the header; read as Europe/Paris");
  CHECK(turn_texts(qs.good[0]) == std::vector<std::string>{"Great"});

  // Forcing a format: the Qualtrics file read as generic has two more data rows.
  auto forced = pull_all(with_settings(spec_of("q", "survey_csv", q), R"({"format": "generic"})"));
  REQUIRE(forced.good.size() == 3);
  CHECK(forced.good[0].external_id == "Response ID");

  auto fails = [&](const std::string& settings, const std::string& part) {
    auto src = open_source(with_settings(spec_of("bad", "survey_csv", generic), settings));
    REQUIRE(src);
    CollectSink sink;
    auto st = (*src)->pull(sink);
    REQUIRE_FALSE(st);
    CHECK(st.error().kind == ErrorKind::config);
    CHECK(st.error().message.find(part) != std::string::npos);
  };
  fails(R"({"format": "typeform"})", "unknown survey \"format\" 'typeform'");
  fails(R"({"encoding": "klingon-8"})", "unknown encoding 'klingon-8'");
  fails(R"({"timezone": "Mars/Base"})", "unknown \"timezone\" 'Mars/Base'");
  fails(R"({"encoding": 1252})", "\"encoding\" must be a string");
  // A configured format needs its header rows.
  auto src = open_source(with_settings(spec_of("bad", "survey_csv", generic), R"({"format": "qualtrics"})"));
  REQUIRE(src);
  CollectSink sink;
  auto st = (*src)->pull(sink);
  REQUIRE_FALSE(st);
  CHECK(st.error().kind == ErrorKind::input);
  CHECK(st.error().message == generic + ": a qualtrics export has 3 header rows, this file has 2");
}

TEST_CASE("survey exports: settings reach the connector from a config file", "[connector][survey]") {
  TempDir dir;
  dir.write("exports/latin9.csv", "id,when,comment\nC1,07/01/2026 09:00 PM,Co\xFBt 20\xA4\n");
  std::string config = dir.write("cxmap.json", R"({"sources": [
    {"name": "fr-survey", "kind": "survey_csv", "path": "exports/latin9.csv",
     "encoding": "iso-8859-15", "timezone": "Europe/Paris",
     "columns": {"id": "id", "date": "when", "text": ["comment"]}}
  ]})");
  auto specs = load_sources_config(config);
  REQUIRE(specs);
  REQUIRE(specs->size() == 1);
  auto s = pull_all((*specs)[0]);
  REQUIRE(s.good.size() == 1);
  CHECK(s.good[0].external_id == "C1");
  CHECK(s.good[0].received_at == "2026-07-01T19:00:00Z");  // 9 PM in Paris (CEST)
  CHECK(turn_texts(s.good[0]) == std::vector<std::string>{"Co\u00fbt 20\u20ac"});
  CHECK(s.good[0].metadata == Meta{{"source_encoding", "iso-8859-15 (not valid UTF-8)"}});
}
