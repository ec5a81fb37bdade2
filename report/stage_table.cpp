// Stage tables: aggregation of customer events by stage and group.
#include "report/stage_table.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace cxmap {

namespace {

// Group fields map to fixed SQL expressions over the event_row view; user
// input only selects among them, it never reaches the SQL text.
struct Grouping {
  const char* name;
  const char* sql;
};
const Grouping kGroupings[] = {
    {"touchpoint", "touchpoint"}, {"channel", "channel"}, {"source", "source"},
    {"emotion", "emotion"},       {"language", "language"}, {"month", "substr(received_at, 1, 7)"},
};

struct Accumulator {
  std::set<std::string> feedback;
  std::int64_t n = 0, neg = 0, neu = 0, pos = 0;
  double sum = 0, sum_sq = 0;
  std::map<std::string, std::int64_t> emotions;
  std::map<std::string, std::int64_t> pains;  // sentences with the kind
};

}  // namespace

const std::vector<std::string>& pain_kinds() {
  static const std::vector<std::string> kinds = {"long_wait",   "transfer",    "repeat_explanation",
                                                 "dead_end",    "broken_flow", "no_response",
                                                 "repeat_contact", "escalation", "churn_risk"};
  return kinds;
}

const std::vector<std::string>& stage_table_groupings() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& g : kGroupings) v.push_back(g.name);
    return v;
  }();
  return names;
}

Result<StageTable> build_stage_table(Store& store, const std::vector<std::string>& stage_order,
                                     const std::vector<std::string>& emotions,
                                     const StageTableRequest& request) {
  std::string select =
      "SELECT stage, feedback_id, compound, emotion, "
      "(SELECT group_concat(DISTINCT p.kind) FROM event_pain p WHERE p.event_id = event_row.event_id)";
  for (const std::string& g : request.group_by) {
    const Grouping* found = nullptr;
    for (const auto& k : kGroupings)
      if (g == k.name) found = &k;
    if (!found) {
      std::string names;
      for (const auto& k : kGroupings) names += std::string(names.empty() ? "" : ", ") + k.name;
      return make_error(ErrorKind::usage, "cannot group by \"" + g + "\" (expected one of: " + names + ")");
    }
    select += std::string(", COALESCE(") + found->sql + ", '')";
  }
  select += " FROM event_row WHERE speaker = 'customer'";

  auto st = store.connection().prepare(select);
  if (!st) return st.error();
  // key: stage, then group values
  std::map<std::vector<std::string>, Accumulator> acc;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    std::vector<std::string> key{st->text(0)};
    for (std::size_t i = 0; i < request.group_by.size(); ++i) key.push_back(st->text(5 + static_cast<int>(i)));
    Accumulator& a = acc[key];
    const double c = st->real(2);
    a.feedback.insert(st->text(1));
    ++a.n;
    a.sum += c;
    a.sum_sq += c * c;
    if (c <= -0.05) ++a.neg;
    else if (c >= 0.05) ++a.pos;
    else ++a.neu;
    ++a.emotions[st->text(3)];
    const std::string kinds = st->text(4);
    for (std::size_t b = 0; b < kinds.size();) {
      std::size_t e = kinds.find(',', b);
      if (e == std::string::npos) e = kinds.size();
      ++a.pains[kinds.substr(b, e - b)];
      b = e + 1;
    }
  }

  auto stage_rank = [&](const std::string& stage) {
    auto it = std::find(stage_order.begin(), stage_order.end(), stage);
    return static_cast<std::size_t>(it - stage_order.begin());
  };
  std::vector<const std::pair<const std::vector<std::string>, Accumulator>*> ordered;
  for (const auto& kv : acc) ordered.push_back(&kv);
  std::stable_sort(ordered.begin(), ordered.end(), [&](auto* a, auto* b) {
    std::size_t ra = stage_rank(a->first[0]), rb = stage_rank(b->first[0]);
    if (ra != rb) return ra < rb;
    return a->first < b->first;  // map order: stage name, then group values
  });

  StageTable table;
  table.group_by = request.group_by;
  table.emotions = emotions;
  for (auto* kv : ordered) {
    const Accumulator& a = kv->second;
    StageRow r;
    r.stage = kv->first[0];
    r.group.assign(kv->first.begin() + 1, kv->first.end());
    r.feedback_n = static_cast<std::int64_t>(a.feedback.size());
    r.events_n = a.n;
    const double n = static_cast<double>(a.n);
    r.mean = a.sum / n;
    const double var = a.n > 1 ? std::max(0.0, (a.sum_sq - n * r.mean * r.mean) / (n - 1)) : 0.0;
    const double half = 1.96 * std::sqrt(var / n);
    r.ci_low = r.mean - half;
    r.ci_high = r.mean + half;
    r.pct_negative = 100.0 * a.neg / n;
    r.pct_neutral = 100.0 * a.neu / n;
    r.pct_positive = 100.0 * a.pos / n;
    for (const std::string& e : emotions) {
      auto it = a.emotions.find(e);
      r.emotion_share.push_back(it == a.emotions.end() ? 0.0 : it->second / n);
    }
    for (const std::string& k : pain_kinds()) {
      auto it = a.pains.find(k);
      r.pain_rate.push_back(it == a.pains.end() ? 0.0 : it->second / n);
    }
    table.rows.push_back(std::move(r));
  }
  return table;
}

void write_stage_table(const StageTable& table, Format format, std::ostream& out) {
  auto writer = make_table_writer(format, out);
  std::vector<std::string> columns{"stage"};
  columns.insert(columns.end(), table.group_by.begin(), table.group_by.end());
  for (const char* c : {"feedback_n", "events_n", "mean_sentiment", "ci95_low", "ci95_high",
                        "pct_negative", "pct_neutral", "pct_positive"})
    columns.push_back(c);
  for (const std::string& e : table.emotions) columns.push_back("share_" + e);
  for (const std::string& k : pain_kinds()) columns.push_back("pain_" + k);
  writer->header(columns);
  for (const StageRow& r : table.rows) {
    std::vector<Cell> cells{Cell(r.stage)};
    for (const std::string& g : r.group) cells.emplace_back(g);
    cells.emplace_back(r.feedback_n);
    cells.emplace_back(r.events_n);
    cells.push_back(Cell::number(r.mean, 3));
    cells.push_back(Cell::number(r.ci_low, 3));
    cells.push_back(Cell::number(r.ci_high, 3));
    cells.push_back(Cell::number(r.pct_negative, 1));
    cells.push_back(Cell::number(r.pct_neutral, 1));
    cells.push_back(Cell::number(r.pct_positive, 1));
    for (double s : r.emotion_share) cells.push_back(Cell::number(s, 3));
    for (double p : r.pain_rate) cells.push_back(Cell::number(p, 3));
    writer->row(cells);
  }
  writer->finish();
}

}  // namespace cxmap
