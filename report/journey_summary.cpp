// Journey summary: per-stage dominant emotion, touchpoint and pain point.
#include "report/journey_summary.h"

#include <algorithm>
#include <map>

namespace cxmap {

namespace {

// The most frequent non-empty, non-"none"/"neutral" value of a column per stage.
Status top_per_stage(Store& store, const char* sql,
                     std::map<std::string, std::pair<std::string, std::int64_t>>& out) {
  auto st = store.connection().prepare(sql);
  if (!st) return st.error();
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    std::string stage = st->text(0), value = st->text(1);
    std::int64_t n = st->int64(2);
    auto& best = out[stage];
    if (n > best.second || (n == best.second && value < best.first)) best = {value, n};
  }
  return ok_status();
}

}  // namespace

Result<JourneySummary> build_journey_summary(Store& store, const std::vector<std::string>& stage_order) {
  JourneySummary s;
  {
    auto st = store.connection().prepare(
        "SELECT (SELECT COUNT(*) FROM feedback), COUNT(*), COUNT(DISTINCT NULLIF(customer_key, ''))"
        " FROM event_row WHERE speaker = 'customer'");
    if (!st) return st.error();
    if (auto r = st->step(); !r) return r.error();
    s.feedback = st->int64(0);
    s.customer_events = st->int64(1);
    s.customers = st->int64(2);
  }
  std::map<std::string, StageSummary> by_stage;
  {
    auto st = store.connection().prepare(
        "SELECT stage, COUNT(*), COUNT(DISTINCT feedback_id), AVG(compound) FROM event_row"
        " WHERE speaker = 'customer' GROUP BY stage");
    if (!st) return st.error();
    for (;;) {
      auto r = st->step();
      if (!r) return r.error();
      if (!*r) break;
      StageSummary& ss = by_stage[st->text(0)];
      ss.stage = st->text(0);
      ss.events = st->int64(1);
      ss.feedback = st->int64(2);
      ss.mean = st->real(3);
    }
  }
  std::map<std::string, std::pair<std::string, std::int64_t>> emo, touch, pain;
  if (auto r = top_per_stage(store,
                             "SELECT stage, emotion, COUNT(*) FROM event_row WHERE speaker = 'customer'"
                             " AND emotion <> 'neutral' GROUP BY stage, emotion",
                             emo);
      !r)
    return r.error();
  if (auto r = top_per_stage(store,
                             "SELECT stage, touchpoint, COUNT(*) FROM event_row WHERE speaker = 'customer'"
                             " AND touchpoint <> 'none' GROUP BY stage, touchpoint",
                             touch);
      !r)
    return r.error();
  if (auto r = top_per_stage(store,
                             "SELECT e.stage, p.kind, COUNT(*) FROM event_pain p JOIN event e ON e.id = p.event_id"
                             " WHERE e.speaker = 'customer' GROUP BY e.stage, p.kind",
                             pain);
      !r)
    return r.error();

  std::vector<std::string> order = stage_order;
  for (const auto& [stage, _] : by_stage)
    if (std::find(order.begin(), order.end(), stage) == order.end()) order.push_back(stage);
  for (const std::string& stage : order) {
    auto it = by_stage.find(stage);
    if (it == by_stage.end()) continue;
    StageSummary ss = it->second;
    if (auto e = emo.find(stage); e != emo.end()) {
      ss.top_emotion = e->second.first;
      ss.top_emotion_share = static_cast<double>(e->second.second) / ss.events;
    }
    if (auto t = touch.find(stage); t != touch.end()) {
      ss.top_touchpoint = t->second.first;
      ss.top_touchpoint_share = static_cast<double>(t->second.second) / ss.events;
    }
    if (auto p = pain.find(stage); p != pain.end()) {
      ss.top_pain = p->second.first;
      ss.top_pain_n = p->second.second;
    }
    s.stages.push_back(ss);
  }
  return s;
}

void write_journey_summary(const JourneySummary& s, Format format, std::ostream& out) {
  if (format == Format::json) {
    JsonWriter j(out, true);
    j.begin_object();
    j.key("feedback").value(s.feedback);
    j.key("customer_events").value(s.customer_events);
    j.key("customers").value(s.customers);
    j.key("stages").begin_array();
    for (const StageSummary& st : s.stages) {
      j.begin_object();
      j.key("stage").value(st.stage);
      j.key("events").value(st.events);
      j.key("feedback").value(st.feedback);
      j.key("mean_sentiment").value(st.mean, 3);
      j.key("top_emotion").value(st.top_emotion);
      j.key("top_emotion_share").value(st.top_emotion_share, 3);
      j.key("top_touchpoint").value(st.top_touchpoint);
      j.key("top_touchpoint_share").value(st.top_touchpoint_share, 3);
      j.key("top_pain").value(st.top_pain);
      j.key("top_pain_n").value(st.top_pain_n);
      j.end_object();
    }
    j.end_array();
    j.end_object();
    j.finish();
    return;
  }
  out << "Journey of " << s.feedback << " feedback from " << s.customers << " customers ("
      << s.customer_events << " customer sentences)\n";
  auto writer = make_table_writer(format, out);
  writer->header({"stage", "sentences", "feedback", "mean", "feeling", "touchpoint", "top pain"});
  for (const StageSummary& st : s.stages) {
    auto pct = [](double share) { return format_fixed(100.0 * share, 0) + "%"; };
    std::string feeling = st.top_emotion.empty() ? "-" : st.top_emotion + " " + pct(st.top_emotion_share);
    std::string touch = st.top_touchpoint.empty() ? "-" : st.top_touchpoint + " " + pct(st.top_touchpoint_share);
    std::string painp = st.top_pain.empty() ? "-" : st.top_pain + " x" + std::to_string(st.top_pain_n);
    writer->row({Cell(st.stage), Cell(st.events), Cell(st.feedback), Cell::number(st.mean, 2), Cell(feeling),
                 Cell(touch), Cell(painp)});
  }
  writer->finish();
}

}  // namespace cxmap
