// Event matches: filter-only queries on the columns, the rest through Xapian.
#include "search/event_matches.h"

#include <algorithm>
#include <array>
#include <functional>
#include <optional>

#include "db/fields.h"
#include "db/index.h"

namespace cxmap {

namespace {

// A filter-only query as column constraints: for each coded field the codes
// it allows (empty: any), the pain kinds of which an event needs one, and a
// date interval.
struct ColumnQuery {
  std::array<std::vector<bool>, kCodedFieldCount> allowed;
  bool pain_constrained = false;
  std::uint64_t pain_any = 0;
  bool date_constrained = false;
  std::uint32_t date_low = 0, date_high = 0xFFFFFFFF;

};

// A ColumnQuery prepared for scanning: only the constrained fields are
// tested, most of a scan's time otherwise.
class ColumnScan {
 public:
  explicit ColumnScan(const ColumnQuery& q) : q_(q) {
    for (std::size_t f = 0; f < kCodedFieldCount; ++f)
      if (!q.allowed[f].empty()) fields_.push_back(f);
  }
  bool matches(const EventColumns& c, Xapian::docid d) const {
    if (c.feedback[d] == 0) return false;  // no document
    for (std::size_t f : fields_)
      if (!q_.allowed[f][c.coded[f][d]]) return false;
    if (q_.pain_constrained && (c.pains[d] & q_.pain_any) == 0) return false;
    if (q_.date_constrained && (c.date[d] == 0 || c.date[d] < q_.date_low || c.date[d] > q_.date_high))
      return false;
    return true;
  }

 private:
  const ColumnQuery& q_;
  std::vector<std::size_t> fields_;
};

int coded_index(std::string_view field) {
  for (std::size_t f = 0; f < kCodedFieldCount; ++f)
    if (kCodedFieldNames[f] == field) return static_cast<int>(f);
  return -1;
}

// "YYYY-MM-DD" (checked by check_query) as the index's YYYYMMDD number.
std::uint32_t date_number(const std::string& iso) { return static_cast<std::uint32_t>(std::stoul(date_value(iso))); }

void allow(ColumnQuery& q, const EventColumns& c, int field, const std::string& value) {
  std::vector<bool>& allowed = q.allowed[static_cast<std::size_t>(field)];
  const ColumnDictionary& dict = c.dictionaries[static_cast<std::size_t>(field)];
  if (allowed.empty()) allowed.assign(dict.values.size(), false);
  // An unknown value matches nothing, as its absent term does in Xapian.
  if (const std::uint16_t code = dict.code_of(value); code != 0) allowed[code] = true;
}

// A query split in two: the filters the columns answer, and the rest as
// Xapian text (empty when nothing is left).
struct SplitQuery {
  ColumnQuery columns;
  std::string rest;
};

// Which fields the columns can answer in this query. A field goes wholly one
// way, so Xapian's grouping (values of one field ORed) is kept either side.
bool column_field(const std::string& field, const CheckedQuery& checked, const EventColumns& c) {
  if (field == "pain") return c.pain_kinds.size() < 64;  // kinds beyond 64 are not loaded
  if (field == "date") {
    int ranges = 0;  // two date ranges are ORed by Xapian: leave them to it
    for (const QueryToken& t : checked.tokens) ranges += t.kind == QueryTokenKind::range && t.field == "date";
    return ranges == 1 && c.dates_numeric;
  }
  const int f = coded_index(field);
  return f >= 0 && c.dictionaries[static_cast<std::size_t>(f)].values.size() < 0xFFFF;
}

// Splits a query whose top level is a plain conjunction (no AND/OR/NOT, no
// parentheses): unsigned filters and date ranges of column fields go to the
// columns, everything else stays text for Xapian. Filters restrict without
// ranking, so the rest ranks as the whole query did. nullopt: not splittable.
std::optional<SplitQuery> split_query(const CheckedQuery& checked, const EventColumns& c) {
  for (const QueryToken& t : checked.tokens)
    if (t.kind == QueryTokenKind::op || t.kind == QueryTokenKind::open || t.kind == QueryTokenKind::close)
      return std::nullopt;
  SplitQuery q;
  bool rest_has_positive = false;
  for (const QueryToken& t : checked.tokens) {
    // Quoted values and signs keep Xapian's reading.
    const bool plain = t.sign == 0 && t.text == t.field + ":" + t.value;
    const bool columnar = (t.kind == QueryTokenKind::filter || t.kind == QueryTokenKind::range) && plain &&
                          column_field(t.field, checked, c);
    if (!columnar) {
      if (!q.rest.empty()) q.rest += ' ';
      q.rest += t.text;
      rest_has_positive = rest_has_positive || t.sign != '-';
      continue;
    }
    if (t.kind == QueryTokenKind::range) {
      q.columns.date_constrained = true;
      if (!t.low.empty()) q.columns.date_low = date_number(t.low);
      if (!t.high.empty()) q.columns.date_high = date_number(t.high);
    } else if (t.field == "pain") {
      q.columns.pain_constrained = true;
      for (std::size_t bit = 0; bit < c.pain_kinds.size(); ++bit)
        if (c.pain_kinds[bit] == t.value) q.columns.pain_any |= std::uint64_t{1} << bit;
    } else {
      allow(q.columns, c, coded_index(t.field), t.value);
    }
  }
  // Xapian reads a lone "-word" as the word itself, but "-word stage:x" as
  // "stage:x without the word": a rest of only negations would change the
  // meaning, so such a query stays whole.
  if (!q.rest.empty() && !rest_has_positive) return std::nullopt;
  return q;
}

// Collects every match with its weight; Xapian calls it for each matching
// document when check_at_least covers the database. In a sharded index the
// spy is handed the shard's docid, not the combined one, so there the event
// id is read from the document's data (db/index.h: the data is the event id).
class MatchCollector : public Xapian::MatchSpy {
 public:
  MatchCollector(std::vector<EventMatch>& out, bool sharded) : out_(out), sharded_(sharded) {}
  void operator()(const Xapian::Document& doc, double weight) override {
    const Xapian::docid id = sharded_ ? static_cast<Xapian::docid>(std::stoul(doc.get_data())) : doc.get_docid();
    out_.push_back(EventMatch{id, weight});
  }

 private:
  std::vector<EventMatch>& out_;
  bool sharded_;
};

}  // namespace

bool names_speaker(const CheckedQuery& checked) {
  for (const QueryToken& t : checked.tokens)
    if (t.kind == QueryTokenKind::filter && t.field == "speaker") return true;
  return false;
}

EventMatches match_events(const Xapian::Database& db, const EventColumns& c, const std::string& text,
                          const CheckedQuery& checked, const std::function<Xapian::Query(const std::string&)>& parse) {
  EventMatches out;
  std::optional<SplitQuery> split = split_query(checked, c);
  ColumnQuery filter = split ? split->columns : ColumnQuery{};
  // No speaker in the query: no speaker filter went to the columns, and
  // customers are what search means.
  if (!names_speaker(checked)) allow(filter, c, static_cast<int>(CodedField::speaker), "customer");
  const ColumnScan scan(filter);

  if (split && split->rest.empty()) {
    for (Xapian::docid d = 1; d <= c.last; ++d)
      if (scan.matches(c, d)) out.matches.push_back(EventMatch{d, 0.0});
    return out;
  }

  Xapian::Query query = split ? parse(split->rest) : parse(text);
  if (query.empty()) query = Xapian::Query::MatchAll;
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  std::vector<EventMatch> all;
  MatchCollector collector(all, db.size() > 1);
  enquire.add_matchspy(&collector);
  try {
    // No items wanted: the spy sees every match, nothing is sorted or kept.
    enquire.get_mset(0, 0, db.get_doccount());
  } catch (const Xapian::UnimplementedError&) {
    // A remote shard (xapian-tcpsrv) runs only the match spies it knows:
    // ask for every match as items instead, slower but the same matches.
    all.clear();
    enquire.clear_matchspies();
    const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
    all.reserve(mset.size());
    for (auto it = mset.begin(); it != mset.end(); ++it) all.push_back(EventMatch{*it, it.get_weight()});
  }
  out.matches.reserve(all.size());
  for (const EventMatch& m : all)
    if (m.doc <= c.last && scan.matches(c, m.doc)) out.matches.push_back(m);
  // The spy sees documents in the matcher's order; document order is what
  // callers rely on.
  std::sort(out.matches.begin(), out.matches.end(),
            [](const EventMatch& a, const EventMatch& b) { return a.doc < b.doc; });
  return out;
}

}  // namespace cxmap
