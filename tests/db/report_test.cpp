// Focus: stage tables, the journey summary and the output writers.
#include <catch2/catch.hpp>

#include <algorithm>

#include <sstream>

#include "fixtures.h"
#include "report/journey_summary.h"
#include "report/stage_table.h"
#include "report/writer.h"

using namespace cxmap;
using namespace cxmap::testing;

namespace {

const std::vector<std::string> kStages{"aware", "self_service", "contact", "engage", "resolution", "follow_up"};
const std::vector<std::string> kEmotions{"frustrated", "angry", "impatient", "relieved", "grateful",
                                         "delighted", "neutral"};

struct Fixture {
  TempDir dir;
  std::optional<Store> store;
  Fixture() {
    auto s = Store::open(dir.path(), OpenMode::read_write);
    REQUIRE(s);
    store.emplace(std::move(*s));
    store_all(*store, sample_feedback());
  }
};

const StageRow* find_row(const StageTable& t, const std::string& stage, const std::string& group = "") {
  for (const auto& r : t.rows)
    if (r.stage == stage && (group.empty() || (!r.group.empty() && r.group[0] == group))) return &r;
  return nullptr;
}

}  // namespace

TEST_CASE("stage table rows follow the journey order", "[report]") {
  Fixture f;
  auto t = build_stage_table(*f.store, kStages, kEmotions, {});
  REQUIRE(t);
  std::vector<std::string> stages;
  for (const auto& r : t->rows) stages.push_back(r.stage);
  CHECK(stages == std::vector<std::string>{"aware", "self_service", "contact", "resolution", "follow_up"});
}

TEST_CASE("stage table figures match a hand computation", "[report]") {
  Fixture f;
  auto t = build_stage_table(*f.store, kStages, kEmotions, {});
  REQUIRE(t);
  // resolution: +0.5 (maria), +0.8 (james), -0.8 (li); the agent's turn is left out.
  const StageRow* r = find_row(*t, "resolution");
  REQUIRE(r);
  CHECK(r->events_n == 3);
  CHECK(r->feedback_n == 3);
  CHECK(r->mean == Approx(0.5 / 3.0));
  const double sd = std::sqrt(((0.5 - 0.5 / 3) * (0.5 - 0.5 / 3) + (0.8 - 0.5 / 3) * (0.8 - 0.5 / 3) +
                               (-0.8 - 0.5 / 3) * (-0.8 - 0.5 / 3)) / 2.0);
  CHECK(r->ci_low == Approx(0.5 / 3.0 - 1.96 * sd / std::sqrt(3.0)));
  CHECK(r->ci_high == Approx(0.5 / 3.0 + 1.96 * sd / std::sqrt(3.0)));
  CHECK(r->pct_positive == Approx(200.0 / 3));
  CHECK(r->pct_negative == Approx(100.0 / 3));
  CHECK(r->pct_neutral == Approx(0));
  // shares are parallel to the emotion list: angry is index 1
  CHECK(r->emotion_share[1] == Approx(1.0 / 3));
  CHECK(r->emotion_share[3] == Approx(1.0 / 3));  // relieved
}

TEST_CASE("stage table groups by touchpoint within each stage", "[report]") {
  Fixture f;
  StageTableRequest req;
  req.group_by = {"touchpoint"};
  auto t = build_stage_table(*f.store, kStages, kEmotions, req);
  REQUIRE(t);
  const StageRow* billing = find_row(*t, "resolution", "billing");
  REQUIRE(billing);
  CHECK(billing->events_n == 2);
  CHECK(billing->mean == Approx(0.0));
  const StageRow* phone = find_row(*t, "resolution", "phone");
  REQUIRE(phone);
  CHECK(phone->events_n == 1);
  // within a stage, groups are in name order
  std::vector<std::string> res;
  for (const auto& r : t->rows)
    if (r.stage == "resolution") res.push_back(r.group[0]);
  CHECK(res == std::vector<std::string>{"billing", "phone"});
}

TEST_CASE("an unknown grouping is a usage error listing the valid ones", "[report]") {
  Fixture f;
  StageTableRequest req;
  req.group_by = {"stage; DROP TABLE event"};
  auto t = build_stage_table(*f.store, kStages, kEmotions, req);
  REQUIRE_FALSE(t);
  CHECK(t.error().kind == ErrorKind::usage);
  CHECK(t.error().message.find("touchpoint") != std::string::npos);
}

TEST_CASE("stage table CSV has the documented columns and is deterministic", "[report]") {
  Fixture f;
  auto t = build_stage_table(*f.store, kStages, kEmotions, {});
  REQUIRE(t);
  std::ostringstream a, b;
  write_stage_table(*t, Format::csv, a);
  auto t2 = build_stage_table(*f.store, kStages, kEmotions, {});
  REQUIRE(t2);
  write_stage_table(*t2, Format::csv, b);
  CHECK(a.str() == b.str());
  const std::string header = a.str().substr(0, a.str().find("\r\n"));
  CHECK(header.rfind("stage,feedback_n,events_n,mean_sentiment,ci95_low,ci95_high,pct_negative,pct_neutral,"
                     "pct_positive,share_frustrated",
                     0) == 0);
  CHECK(a.str().find("\r\nresolution,3,3,0.167,") != std::string::npos);
  CHECK(header.size() > 60);
  const std::string pains = ",pain_long_wait,pain_transfer,pain_repeat_explanation,pain_dead_end,pain_broken_flow,"
                            "pain_no_response,pain_repeat_contact,pain_escalation,pain_churn_risk";
  const std::string tail = ",top_pains,mean_nps,mean_csat,most_negative_quote,most_negative_id,"
                           "most_positive_quote,most_positive_id";
  CHECK(header.substr(header.size() - tail.size()) == tail);
  CHECK(header.find(pains + tail) != std::string::npos);
}

TEST_CASE("stage table quotes and NPS come from the row's own sentences", "[report]") {
  Fixture f;
  auto t = build_stage_table(*f.store, kStages, kEmotions, {});
  REQUIRE(t);
  // resolution: +0.5 (maria), +0.8 (james), -0.8 (li)
  const StageRow* r = find_row(*t, "resolution");
  REQUIRE(r);
  REQUIRE(r->most_negative);
  REQUIRE(r->most_positive);
  CHECK(r->most_negative->compound == Approx(-0.8));
  CHECK(r->most_positive->compound == Approx(0.8));
  CHECK_FALSE(r->most_negative->sentence.empty());
  CHECK(r->most_negative->feedback_id != r->most_positive->feedback_id);
}

TEST_CASE("only_events restricts the table to the given events", "[report]") {
  Fixture f;
  auto all = build_stage_table(*f.store, kStages, kEmotions, {});
  REQUIRE(all);
  const StageRow* resolution = find_row(*all, "resolution");
  REQUIRE(resolution);
  REQUIRE(resolution->most_positive);
  // Keep one event: the most positive resolution sentence.
  auto events = f.store->events_of(resolution->most_positive->feedback_id);
  REQUIRE(events);
  std::int64_t id = 0;
  for (const auto& e : *events)
    if (e.ordinal == resolution->most_positive->ordinal) id = e.event_id;
  REQUIRE(id != 0);
  StageTableRequest req;
  req.only_events = std::vector<std::int64_t>{id};
  auto one = build_stage_table(*f.store, kStages, kEmotions, req);
  REQUIRE(one);
  REQUIRE(one->rows.size() == 1);
  CHECK(one->rows[0].stage == "resolution");
  CHECK(one->rows[0].events_n == 1);
  CHECK(one->rows[0].mean == Approx(0.8));
  req.only_events = std::vector<std::int64_t>{};
  auto none = build_stage_table(*f.store, kStages, kEmotions, req);
  REQUIRE(none);
  CHECK(none->rows.empty());
}

TEST_CASE("top_pains_text lists the highest rates first", "[report]") {
  StageRow r;
  r.pain_rate.assign(pain_kinds().size(), 0.0);
  r.pain_rate[0] = 0.1;   // long_wait
  r.pain_rate[3] = 0.25;  // dead_end
  r.pain_rate[8] = 0.1;   // churn_risk: ties keep kind order
  r.pain_rate[5] = 0.05;
  CHECK(top_pains_text(r) == "dead_end 0.250; long_wait 0.100; churn_risk 0.100");
  CHECK(top_pains_text(r, 1) == "dead_end 0.250");
  CHECK(top_pains_text(StageRow{}).empty());
}

TEST_CASE("CSV and TSV defuse cells that a spreadsheet would run as formulas", "[report]") {
  for (Format format : {Format::csv, Format::tsv}) {
    std::ostringstream out;
    auto w = make_table_writer(format, out);
    w->header({"text", "n"});
    w->row({Cell("=HYPERLINK(\"http://x\")"), Cell::number(-0.5, 1)});
    w->row({Cell("@SUM(A1)"), Cell(std::int64_t{-3})});
    w->finish();
    CHECK(out.str().find("'=HYPERLINK") != std::string::npos);
    CHECK(out.str().find("'@SUM(A1)") != std::string::npos);
    CHECK(out.str().find("-0.5") != std::string::npos);  // numbers keep their sign
    CHECK(out.str().find("-3") != std::string::npos);
    CHECK(out.str().find("'-") == std::string::npos);
  }
}

TEST_CASE("stage table pain rates are the share of the row's sentences with the pain", "[report]") {
  Fixture f;
  auto t = build_stage_table(*f.store, kStages, kEmotions, {});
  REQUIRE(t);
  const auto& kinds = pain_kinds();
  auto rate = [&](const std::string& stage, const std::string& kind) {
    const StageRow* r = find_row(*t, stage);
    REQUIRE(r);
    auto at = std::find(kinds.begin(), kinds.end(), kind) - kinds.begin();
    return r->pain_rate.at(static_cast<std::size_t>(at));
  };
  CHECK(rate("contact", "long_wait") == Approx(1.0));     // 1 of 1 contact sentence
  CHECK(rate("self_service", "dead_end") == Approx(0.5));  // 1 of 2 self-service sentences
  CHECK(rate("resolution", "long_wait") == Approx(0.0));
}

TEST_CASE("CSV quotes fields with commas, quotes and line breaks", "[report]") {
  std::ostringstream out;
  auto w = make_table_writer(Format::csv, out);
  w->header({"a", "b"});
  w->row({Cell("plain"), Cell("has, comma \"and\" quote\nand line")});
  w->finish();
  CHECK(out.str() == "a,b\r\nplain,\"has, comma \"\"and\"\" quote\nand line\"\r\n");
}

TEST_CASE("TSV and Markdown writers escape their separators", "[report]") {
  std::ostringstream tsv, md;
  auto t = make_table_writer(Format::tsv, tsv);
  t->header({"x"});
  t->row({Cell("a\tb\nc")});
  t->finish();
  CHECK(tsv.str() == "x\na b c\n");
  auto m = make_table_writer(Format::markdown, md);
  m->header({"x", "y"});
  m->row({Cell("a|b"), Cell::number(1.25, 1)});
  m->finish();
  CHECK(md.str() == "| x | y |\n| --- | --- |\n| a\\|b | 1.2 |\n");
}

TEST_CASE("the text table keeps one row per line when a quote has line breaks", "[report]") {
  std::ostringstream text;
  auto t = make_table_writer(Format::text, text);
  t->header({"stage", "quote"});
  t->row({Cell("contact"), Cell("on hold\nfor an hour\r\n\tthen cut off")});
  t->finish();
  CHECK(text.str() == "stage    quote\ncontact  on hold for an hour   then cut off\n");
}

TEST_CASE("numbers are fixed-decimal and never negative zero", "[report]") {
  CHECK(format_fixed(0.16666, 3) == "0.167");
  CHECK(format_fixed(-0.0001, 3) == "0.000");
  CHECK(format_fixed(-0.5, 1) == "-0.5");
  CHECK(format_fixed(std::nan(""), 2) == "");
}

TEST_CASE("the JSON writer nests, escapes and separates", "[report]") {
  std::ostringstream out;
  JsonWriter j(out);
  j.begin_object();
  j.key("s").value("a\"b\n");
  j.key("n").value(3);
  j.key("d").value(0.5, 2);
  j.key("l").begin_array().value(true).null().begin_object().end_object().end_array();
  j.end_object();
  j.finish();
  CHECK(out.str() == "{\"s\":\"a\\\"b\\n\",\"n\":3,\"d\":0.50,\"l\":[true,null,{}]}\n");
}

TEST_CASE("unknown export formats are refused by name", "[report]") {
  CHECK(parse_format("csv"));
  CHECK(*parse_format("md") == Format::markdown);
  auto bad = parse_format("xlsx");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("xlsx") != std::string::npos);
}

TEST_CASE("the journey summary names each stage's dominant emotion and pain", "[report]") {
  Fixture f;
  auto s = build_journey_summary(*f.store, kStages);
  REQUIRE(s);
  CHECK(s->feedback == 4);
  CHECK(s->customer_events == 9);
  CHECK(s->customers == 3);
  REQUIRE(s->stages.size() == 5);
  CHECK(s->stages[0].stage == "aware");
  const StageSummary* self = nullptr;
  for (const auto& st : s->stages)
    if (st.stage == "self_service") self = &st;
  REQUIRE(self);
  CHECK(self->events == 2);
  CHECK(self->top_touchpoint == "website");
  CHECK(self->top_touchpoint_share == Approx(1.0));
  CHECK(self->top_pain == "dead_end");
  CHECK(self->top_pain_n == 1);
  // frustrated and angry tie at one each; ties go to the name that sorts first
  CHECK(self->top_emotion == "angry");
}
