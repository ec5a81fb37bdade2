// Focus: `cxmap export` (stage tables) and `cxmap search` query forms on the
// demo store, checked against direct SQL over the same SQLite file: the
// figures an analyst exports must be the figures the data holds.
#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "db/store.h"
#include "run_cxmap.h"

using namespace cxmap;
using namespace cxmap::testing;

namespace {

const std::string kDemo = CXMAP_DEMO_DATA;

RunResult demo(std::vector<std::string> args) {
  args.insert(args.begin(), {"--data", kDemo});
  return run_cxmap(args);
}

Poco::JSON::Array::Ptr export_rows(std::vector<std::string> args) {
  args.insert(args.begin(), {"export", "--format", "json"});
  auto r = demo(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  Poco::JSON::Parser parser;
  return parser.parse(r.out).extract<Poco::JSON::Array::Ptr>();
}

Store demo_store() {
  auto s = Store::open(kDemo, OpenMode::read_only);
  REQUIRE(s);
  return std::move(*s);
}

struct SqlFigures {
  std::int64_t events = 0, feedback = 0;
  double mean = 0, pct_negative = 0, pct_positive = 0, min = 0, max = 0;
};

// Per (stage, channel): the figures, computed by SQLite alone.
std::map<std::pair<std::string, std::string>, SqlFigures> sql_figures(Store& store, const std::string& where) {
  auto st = store.connection().prepare(
      "SELECT e.stage, f.channel, count(*), count(DISTINCT e.feedback_id), avg(e.compound), "
      "100.0 * sum(e.compound <= -0.05) / count(*), 100.0 * sum(e.compound >= 0.05) / count(*), "
      "min(e.compound), max(e.compound) "
      "FROM event e JOIN feedback f ON f.id = e.feedback_id WHERE e.speaker = 'customer' " + where +
      " GROUP BY 1, 2");
  REQUIRE(st);
  std::map<std::pair<std::string, std::string>, SqlFigures> out;
  for (;;) {
    auto row = st->step();
    REQUIRE(row);
    if (!*row) break;
    out[{st->text(0), st->text(1)}] = SqlFigures{st->int64(2), st->int64(3), st->real(4), st->real(5),
                                                 st->real(6),  st->real(7),  st->real(8)};
  }
  return out;
}

void check_against_sql(const Poco::JSON::Array::Ptr& rows,
                       const std::map<std::pair<std::string, std::string>, SqlFigures>& expected) {
  REQUIRE(rows->size() == expected.size());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto row = rows->getObject(static_cast<unsigned>(i));
    const std::string stage = row->getValue<std::string>("stage"), channel = row->getValue<std::string>("channel");
    INFO(stage << " / " << channel);
    auto it = expected.find({stage, channel});
    REQUIRE(it != expected.end());
    const SqlFigures& f = it->second;
    CHECK(row->getValue<std::int64_t>("events_n") == f.events);
    CHECK(row->getValue<std::int64_t>("feedback_n") == f.feedback);
    // Printed with 3 (sentiment) and 1 (percent) decimals.
    CHECK(row->getValue<double>("mean_sentiment") == Approx(f.mean).margin(0.0005));
    CHECK(row->getValue<double>("pct_negative") == Approx(f.pct_negative).margin(0.05));
    CHECK(row->getValue<double>("pct_positive") == Approx(f.pct_positive).margin(0.05));
    CHECK(row->getValue<double>("ci95_low") <= row->getValue<double>("mean_sentiment"));
    CHECK(row->getValue<double>("ci95_high") >= row->getValue<double>("mean_sentiment"));
  }
}

}  // namespace

TEST_CASE("export figures match a direct SQL computation over the store", "[cli][export]") {
  Store store = demo_store();
  check_against_sql(export_rows({"--by", "stage,channel"}), sql_figures(store, ""));
}

TEST_CASE("a filtered export covers exactly the sentences the query matches", "[cli][export]") {
  Store store = demo_store();
  check_against_sql(export_rows({"--by", "stage,channel", "channel:email", "sentiment:neg"}),
                    sql_figures(store, "AND f.channel = 'email' AND e.compound <= -0.05"));
  check_against_sql(export_rows({"--by", "stage,channel", "date:2026-09-01..2026-09-30"}),
                    sql_figures(store, "AND substr(f.received_at, 1, 10) BETWEEN '2026-09-01' AND '2026-09-30'"));
  // Free text: the export's events are the events search counts.
  auto rows = export_rows({"refund*"});
  std::int64_t events = 0;
  for (std::size_t i = 0; i < rows->size(); ++i)
    events += rows->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("events_n");
  auto s = demo({"search", "--json", "refund*"});
  REQUIRE(s.exit_code == 0);
  Poco::JSON::Parser parser;
  CHECK(events == parser.parse(s.out).extract<Poco::JSON::Object::Ptr>()->getValue<std::int64_t>("events"));
  CHECK(events > 0);
}

TEST_CASE("mean NPS and CSAT count each feedback of a row once", "[cli][export]") {
  Store store = demo_store();
  auto st = store.connection().prepare(
      "SELECT stage, avg(nps), avg(csat) FROM (SELECT DISTINCT e.stage, f.id, f.nps, f.csat FROM event e "
      "JOIN feedback f ON f.id = e.feedback_id WHERE e.speaker = 'customer') GROUP BY stage");
  REQUIRE(st);
  std::map<std::string, std::pair<std::optional<double>, std::optional<double>>> expected;
  for (;;) {
    auto row = st->step();
    REQUIRE(row);
    if (!*row) break;
    expected[st->text(0)] = {st->is_null(1) ? std::nullopt : std::optional<double>(st->real(1)),
                             st->is_null(2) ? std::nullopt : std::optional<double>(st->real(2))};
  }
  std::size_t with_nps = 0;
  auto rows = export_rows({});
  REQUIRE(rows->size() == expected.size());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto row = rows->getObject(static_cast<unsigned>(i));
    const auto& [nps, csat] = expected.at(row->getValue<std::string>("stage"));
    INFO(row->getValue<std::string>("stage"));
    for (const auto& [column, value] : {std::pair{"mean_nps", nps}, std::pair{"mean_csat", csat}}) {
      if (!value) {
        CHECK(row->isNull(column));
        continue;
      }
      CHECK(row->getValue<double>(column) == Approx(*value).margin(0.005));
    }
    if (nps) ++with_nps;
  }
  CHECK(with_nps >= 3);
}

TEST_CASE("quotes are a row's most negative and most positive sentences", "[cli][export]") {
  Store store = demo_store();
  auto expected = sql_figures(store, "");
  auto rows = export_rows({"--by", "stage,channel"});
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto row = rows->getObject(static_cast<unsigned>(i));
    const SqlFigures& f = expected.at({row->getValue<std::string>("stage"), row->getValue<std::string>("channel")});
    for (const auto& [id_column, quote_column, extreme] :
         {std::tuple{"most_negative_id", "most_negative_quote", f.min},
          std::tuple{"most_positive_id", "most_positive_quote", f.max}}) {
      const std::string id = row->getValue<std::string>(id_column);
      const std::size_t hash = id.rfind('#');
      REQUIRE(hash != std::string::npos);
      auto events = store.events_of(id.substr(0, hash));
      REQUIRE(events);
      const int ordinal = std::stoi(id.substr(hash + 1));
      bool found = false;
      for (const auto& e : *events)
        if (e.ordinal == ordinal) {
          found = true;
          CHECK(e.compound == Approx(extreme));
          CHECK(e.sentence == row->getValue<std::string>(quote_column));
        }
      CHECK(found);
    }
  }
}

TEST_CASE("export groups by week, month, NPS band and a metadata field", "[cli][export]") {
  Store store = demo_store();
  auto weeks = export_rows({"--by", "stage,week"});
  std::set<std::string> seen;
  for (std::size_t i = 0; i < weeks->size(); ++i) seen.insert(weeks->getObject(static_cast<unsigned>(i))->getValue<std::string>("week"));
  REQUIRE(seen.size() >= 2);
  for (const std::string& w : seen) {
    auto st = store.connection().prepare("SELECT strftime('%w', ?1)");  // 1 = Monday
    REQUIRE(st);
    st->bind(1, w);
    REQUIRE(*st->step());
    CHECK(st->text(0) == "1");
  }
  auto bands = export_rows({"--by", "stage,nps_band", "channel:survey"});
  std::set<std::string> band_values;
  for (std::size_t i = 0; i < bands->size(); ++i)
    band_values.insert(bands->getObject(static_cast<unsigned>(i))->getValue<std::string>("nps_band"));
  CHECK(band_values == std::set<std::string>{"detractor", "passive", "promoter"});

  auto segments = export_rows({"--by", "stage,meta.Segment", "channel:survey"});
  auto st = store.connection().prepare(
      "SELECT count(*) FROM event e JOIN feedback f ON f.id = e.feedback_id "
      "WHERE e.speaker = 'customer' AND f.channel = 'survey' AND json_extract(f.metadata, '$.Segment') = 'prepaid'");
  REQUIRE(st);
  REQUIRE(*st->step());
  std::int64_t prepaid = 0;
  for (std::size_t i = 0; i < segments->size(); ++i) {
    auto row = segments->getObject(static_cast<unsigned>(i));
    if (row->getValue<std::string>("meta.Segment") == "prepaid") prepaid += row->getValue<std::int64_t>("events_n");
  }
  CHECK(prepaid == st->int64(0));
  CHECK(prepaid > 0);
  auto bad = demo({"export", "--by", "stage,meta.\"x"});
  CHECK(bad.exit_code == 2);
}

TEST_CASE("every export format is byte-identical across runs, filters included", "[cli][export]") {
  for (const char* format : {"csv", "tsv", "json", "markdown"}) {
    INFO(format);
    auto a = demo({"export", "--format", format, "--by", "stage,touchpoint", "sentiment:neg OR pain:long_wait"});
    auto b = demo({"export", "--format", format, "--by", "stage,touchpoint", "sentiment:neg OR pain:long_wait"});
    REQUIRE(a.exit_code == 0);
    CHECK(a.out == b.out);
    CHECK(a.out.find("most_negative_quote") != std::string::npos);
  }
}

TEST_CASE("an export query error exits 2 and points at the column", "[cli][export]") {
  auto r = demo({"export", "refund AND"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("column 8: expected a term after AND") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("search --explain prints the parse in steps", "[cli][search]") {
  auto r = demo({"search", "--explain", "refnd stage:contact date:2026-09-01.."});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("1. tokens") != std::string::npos);
  CHECK(r.out.find("filter    stage = contact") != std::string::npos);
  CHECK(r.out.find("3. Xapian query") != std::string::npos);
  CHECK(r.out.find("did you mean: refund stage:contact date:2026-09-01..") != std::string::npos);
  auto bad = demo({"search", "--explain", "(refund"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.find("error at column 1: expected ) to close this (") != std::string::npos);
}

TEST_CASE("search suggests a spelling when a word is unknown", "[cli][search]") {
  auto r = demo({"search", "--json", "refnd"});
  REQUIRE(r.exit_code == 0);
  Poco::JSON::Parser parser;
  auto obj = parser.parse(r.out).extract<Poco::JSON::Object::Ptr>();
  CHECK(obj->getValue<std::string>("did_you_mean") == "refund");
  auto fixed = demo({"search", "--json", "refund"});
  CHECK(parser.parse(fixed.out).extract<Poco::JSON::Object::Ptr>()->getValue<std::int64_t>("total") > 0);
  auto text = demo({"search", "refnd"});
  CHECK(text.out.find("did you mean: refund") != std::string::npos);
}

TEST_CASE("search's feedback total is exact: distinct feedback of the matching sentences", "[cli][search]") {
  Store store = demo_store();
  for (const char* stage : {"contact", "aware", "resolution"}) {
    INFO(stage);
    auto st = store.connection().prepare(
        "SELECT count(DISTINCT feedback_id), count(*) FROM event WHERE speaker = 'customer' AND stage = ?1");
    REQUIRE(st);
    st->bind(1, std::string_view(stage));
    REQUIRE(*st->step());
    auto r = demo({"search", "--json", std::string("stage:") + stage});
    REQUIRE(r.exit_code == 0);
    auto obj = parse_object(r.out);
    CHECK(obj->getValue<std::int64_t>("total") == st->int64(0));
    CHECK(obj->getValue<std::int64_t>("events") == st->int64(1));
  }
}

TEST_CASE("search rejects a query error with its column and a caret", "[cli][search]") {
  auto r = demo({"search", "stage:contact AND"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("at column 15: expected a term after AND") != std::string::npos);
  CHECK(r.err.find("stage:contact AND\n              ^") != std::string::npos);
}
