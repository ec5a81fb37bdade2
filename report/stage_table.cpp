// Stage tables: aggregation of customer events by stage and group.
#include "report/stage_table.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace cxmap {

namespace {

// Group fields map to fixed SQL expressions over event e JOIN feedback f;
// user input only selects among them, it never reaches the SQL text. The
// one open-ended grouping, meta.<key>, binds the key as a JSON path
// parameter.
struct Grouping {
  const char* name;
  const char* sql;
  bool per_feedback;  // an expression over feedback f, else over event e
};
const Grouping kGroupings[] = {
    {"touchpoint", "e.touchpoint", false},
    {"channel", "f.channel", true},
    {"source", "f.source", true},
    {"emotion", "e.emotion", false},
    {"language", "f.language", true},
    // The Monday that starts the week (SQLite 3.40 has no ISO %V).
    {"week", "date(f.received_at, 'weekday 0', '-6 days')", true},
    {"month", "substr(f.received_at, 1, 7)", true},
    {"nps_band",
     "CASE WHEN f.nps IS NULL THEN '' WHEN f.nps >= 9 THEN 'promoter' WHEN f.nps >= 7 THEN 'passive' "
     "ELSE 'detractor' END",
     true},
};
constexpr std::string_view kMetaPrefix = "meta.";

// Dense ids for strings, so the per-event loop keys on integers and copies
// no text: at a million events, string keys and copies were most of the
// export's time.
class Interner {
 public:
  std::uint32_t id(std::string_view s) {
    if (auto it = ids_.find(s); it != ids_.end()) return it->second;
    const auto next = static_cast<std::uint32_t>(names_.size());
    names_.emplace_back(s);
    ids_.emplace(names_.back(), next);  // a deque never moves its elements
    return next;
  }
  std::optional<std::uint32_t> find(std::string_view s) const {
    auto it = ids_.find(s);
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }
  const std::string& name(std::uint32_t id) const { return names_[id]; }

 private:
  std::deque<std::string> names_;
  std::unordered_map<std::string_view, std::uint32_t> ids_;
};

struct Candidate {
  double compound = 0;
  std::uint32_t feedback = 0;  // id in the feedback interner
  int ordinal = 0;
  std::int64_t event_id = 0;
};

// Lower compound wins for the negative quote, higher for the positive; ties
// go to the lowest feedback id, then ordinal, so the choice is stable.
bool more_extreme(const Candidate& a, const std::optional<Candidate>& b, bool negative, const Interner& ids) {
  if (!b) return true;
  if (a.compound != b->compound) return negative ? a.compound < b->compound : a.compound > b->compound;
  if (a.feedback != b->feedback) return ids.name(a.feedback) < ids.name(b->feedback);
  return a.ordinal < b->ordinal;
}

struct Accumulator {
  std::unordered_set<std::uint32_t> feedback;
  std::int64_t n = 0, neg = 0, neu = 0, pos = 0;
  double sum = 0, sum_sq = 0;
  std::int64_t nps_sum = 0, nps_n = 0, csat_sum = 0, csat_n = 0;
  std::vector<std::int64_t> emotions;  // parallel to the table's emotions
  std::vector<std::int64_t> pains = std::vector<std::int64_t>(pain_kinds().size());  // sentences with the kind
  std::optional<Candidate> most_negative, most_positive;
};

// Event id -> bit set of its pain kinds (index in pain_kinds()). One scan of
// event_pain is much cheaper than a correlated lookup per event at scale,
// and pains are sparse.
Result<std::unordered_map<std::int64_t, std::uint32_t>> load_pain_bits(Store& store) {
  std::unordered_map<std::int64_t, std::uint32_t> bits;
  auto st = store.connection().prepare("SELECT event_id, kind FROM event_pain");
  if (!st) return st.error();
  const auto& kinds = pain_kinds();
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    const std::string kind = st->text(1);
    auto it = std::find(kinds.begin(), kinds.end(), kind);
    if (it != kinds.end()) bits[st->int64(0)] |= 1u << (it - kinds.begin());
  }
  return bits;
}

Result<std::optional<StageQuote>> quote_of(Store& store, const std::optional<Candidate>& c, const Interner& ids) {
  if (!c) return std::optional<StageQuote>();
  auto row = store.event(c->event_id);
  if (!row) return row.error();
  if (!*row) return std::optional<StageQuote>();
  return std::optional<StageQuote>(StageQuote{ids.name(c->feedback), c->ordinal, (*row)->sentence, c->compound});
}

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
    v.push_back("meta.<key>");
    return v;
  }();
  return names;
}

std::string top_pains_text(const StageRow& row, std::size_t limit) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < row.pain_rate.size() && i < pain_kinds().size(); ++i)
    if (row.pain_rate[i] > 0) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return row.pain_rate[a] > row.pain_rate[b]; });
  if (order.size() > limit) order.resize(limit);
  std::string out;
  for (std::size_t i : order) {
    if (!out.empty()) out += "; ";
    out += pain_kinds()[i] + " " + format_fixed(row.pain_rate[i], 3);
  }
  return out;
}

Result<StageTable> build_stage_table(Store& store, const std::vector<std::string>& stage_order,
                                     const std::vector<std::string>& emotions,
                                     const StageTableRequest& request) {
  // Two scans instead of a join: one over feedback (its scores and the
  // feedback-level group values, kept in memory by id), one over events.
  // Looking up each event's feedback through SQLite's index costs more than
  // the whole feedback scan once events outnumber feedback (at 1M events:
  // 3.2 s for the joined scan).
  std::string feedback_select = "SELECT f.id, f.nps, f.csat";
  std::string event_select = "SELECT e.stage, e.feedback_id, e.compound, e.emotion, e.id, e.ordinal";
  struct Source {
    bool per_feedback;
    int column;  // in its own query's row: feedback from 3, event from 6
  };
  std::vector<Source> sources;
  std::vector<std::string> meta_paths;  // bound in order, parameters ?1..
  int feedback_columns = 3, event_columns = 6;
  for (const std::string& g : request.group_by) {
    if (g.rfind(kMetaPrefix, 0) == 0) {
      const std::string key = g.substr(kMetaPrefix.size());
      if (key.empty() || key.find_first_of("\"\\") != std::string::npos)
        return make_error(ErrorKind::usage, "cannot group by \"" + g + "\": expected meta.<key>, a metadata field name");
      meta_paths.push_back("$.\"" + key + "\"");
      feedback_select += ", COALESCE(json_extract(f.metadata, ?" + std::to_string(meta_paths.size()) + "), '')";
      sources.push_back(Source{true, feedback_columns++});
      continue;
    }
    const Grouping* found = nullptr;
    for (const auto& k : kGroupings)
      if (g == k.name) found = &k;
    if (!found) {
      std::string names;
      for (const auto& k : stage_table_groupings()) names += (names.empty() ? "" : ", ") + k;
      return make_error(ErrorKind::usage, "cannot group by \"" + g + "\" (expected one of: " + names + ")");
    }
    if (found->per_feedback) {
      feedback_select += std::string(", COALESCE(") + found->sql + ", '')";
      sources.push_back(Source{true, feedback_columns++});
    } else {
      event_select += std::string(", COALESCE(") + found->sql + ", '')";
      sources.push_back(Source{false, event_columns++});
    }
  }
  feedback_select += " FROM feedback f";
  event_select += " FROM event e WHERE e.speaker = 'customer'";

  struct FeedbackFacts {
    std::optional<std::int64_t> nps, csat;
    std::vector<std::uint32_t> groups;  // feedback-level group values (ids), by column - 3
  };
  Interner feedback_ids, values;
  std::vector<FeedbackFacts> facts;  // by feedback id
  {
    auto fst = store.connection().prepare(feedback_select);
    if (!fst) return fst.error();
    for (std::size_t i = 0; i < meta_paths.size(); ++i) fst->bind(static_cast<int>(i + 1), meta_paths[i]);
    for (;;) {
      auto row = fst->step();
      if (!row) return row.error();
      if (!*row) break;
      FeedbackFacts f;
      if (!fst->is_null(1)) f.nps = fst->int64(1);
      if (!fst->is_null(2)) f.csat = fst->int64(2);
      for (int c = 3; c < feedback_columns; ++c) f.groups.push_back(values.id(fst->text_view(c)));
      if (feedback_ids.id(fst->text_view(0)) == facts.size()) facts.push_back(std::move(f));
    }
  }
  const std::uint32_t empty_value = values.id("");

  std::unordered_map<std::string_view, std::size_t> emotion_index;
  for (std::size_t i = 0; i < emotions.size(); ++i) emotion_index.emplace(emotions[i], i);

  auto pain_bits = load_pain_bits(store);
  if (!pain_bits) return pain_bits.error();
  auto st = store.connection().prepare(event_select);
  if (!st) return st.error();
  const std::vector<std::int64_t>* only = request.only_events ? &*request.only_events : nullptr;
  // key: stage, then group values (value ids)
  std::map<std::vector<std::uint32_t>, Accumulator> acc;
  std::vector<std::uint32_t> key;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    const std::int64_t event_id = st->int64(4);
    if (only && !std::binary_search(only->begin(), only->end(), event_id)) continue;
    const std::uint32_t feedback = feedback_ids.id(st->text_view(1));
    if (feedback == facts.size())  // an event whose feedback row is gone (cannot happen with foreign keys)
      facts.push_back(FeedbackFacts{std::nullopt, std::nullopt,
                                    std::vector<std::uint32_t>(feedback_columns - 3, empty_value)});
    const FeedbackFacts& f = facts[feedback];
    key.assign(1, values.id(st->text_view(0)));
    for (const Source& src : sources)
      key.push_back(src.per_feedback ? f.groups[static_cast<std::size_t>(src.column - 3)]
                                     : values.id(st->text_view(src.column)));
    auto [it, fresh] = acc.try_emplace(key);
    Accumulator& a = it->second;
    if (fresh) a.emotions.assign(emotions.size(), 0);
    const Candidate candidate{st->real(2), feedback, static_cast<int>(st->int64(5)), event_id};
    const double c = candidate.compound;
    if (a.feedback.insert(feedback).second) {
      if (f.nps) a.nps_sum += *f.nps, ++a.nps_n;
      if (f.csat) a.csat_sum += *f.csat, ++a.csat_n;
    }
    ++a.n;
    a.sum += c;
    a.sum_sq += c * c;
    if (c <= -0.05) ++a.neg;
    else if (c >= 0.05) ++a.pos;
    else ++a.neu;
    if (auto e = emotion_index.find(st->text_view(3)); e != emotion_index.end()) ++a.emotions[e->second];
    if (auto p = pain_bits->find(event_id); p != pain_bits->end())
      for (std::size_t k = 0; k < a.pains.size(); ++k)
        if (p->second & (1u << k)) ++a.pains[k];
    if (more_extreme(candidate, a.most_negative, true, feedback_ids)) a.most_negative = candidate;
    if (more_extreme(candidate, a.most_positive, false, feedback_ids)) a.most_positive = candidate;
  }

  auto stage_rank = [&](const std::string& stage) {
    auto it = std::find(stage_order.begin(), stage_order.end(), stage);
    return static_cast<std::size_t>(it - stage_order.begin());
  };
  // Rows in journey order, then by stage name and group values as text.
  std::vector<std::pair<std::vector<std::string>, const Accumulator*>> ordered;
  ordered.reserve(acc.size());
  for (const auto& [ids, a] : acc) {
    std::vector<std::string> text;
    for (std::uint32_t id : ids) text.push_back(values.name(id));
    ordered.emplace_back(std::move(text), &a);
  }
  std::sort(ordered.begin(), ordered.end(), [&](const auto& a, const auto& b) {
    std::size_t ra = stage_rank(a.first[0]), rb = stage_rank(b.first[0]);
    if (ra != rb) return ra < rb;
    return a.first < b.first;
  });

  StageTable table;
  table.group_by = request.group_by;
  table.emotions = emotions;
  for (const auto& [text, acc_row] : ordered) {
    const Accumulator& a = *acc_row;
    StageRow r;
    r.stage = text[0];
    r.group.assign(text.begin() + 1, text.end());
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
    for (std::int64_t count : a.emotions) r.emotion_share.push_back(count / n);
    for (std::int64_t count : a.pains) r.pain_rate.push_back(count / n);
    if (a.nps_n) r.mean_nps = static_cast<double>(a.nps_sum) / a.nps_n;
    if (a.csat_n) r.mean_csat = static_cast<double>(a.csat_sum) / a.csat_n;
    auto neg = quote_of(store, a.most_negative, feedback_ids);
    if (!neg) return neg.error();
    auto pos = quote_of(store, a.most_positive, feedback_ids);
    if (!pos) return pos.error();
    r.most_negative = std::move(*neg);
    r.most_positive = std::move(*pos);
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
  for (const char* c : {"top_pains", "mean_nps", "mean_csat", "most_negative_quote", "most_negative_id",
                        "most_positive_quote", "most_positive_id"})
    columns.push_back(c);
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
    cells.emplace_back(top_pains_text(r));
    cells.push_back(r.mean_nps ? Cell::number(*r.mean_nps, 2) : Cell());
    cells.push_back(r.mean_csat ? Cell::number(*r.mean_csat, 2) : Cell());
    for (const auto* q : {&r.most_negative, &r.most_positive}) {
      cells.push_back(*q ? Cell((*q)->sentence) : Cell());
      cells.push_back(*q ? Cell((*q)->feedback_id + "#" + std::to_string((*q)->ordinal)) : Cell());
    }
    writer->row(cells);
  }
  writer->finish();
}

}  // namespace cxmap
