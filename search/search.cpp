// Search: query parsing, ranked and collapsed matching, facets and snippets.
#include "search/search.h"

#include <xapian.h>

#include <algorithm>
#include <optional>

#include "db/fields.h"
#include "db/index.h"
#include "search/query_syntax.h"
#include "search/spelling.h"

namespace cxmap {

namespace {

// MSet::snippet escapes for HTML; our writers escape for their own formats.
std::string unescape_html(std::string s) {
  static const std::pair<const char*, const char*> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    std::string out;
    std::size_t pos = 0, hit;
    const std::size_t n = std::char_traits<char>::length(from);
    while ((hit = s.find(from, pos)) != std::string::npos) {
      out.append(s, pos, hit - pos);
      out += to;
      pos = hit + n;
    }
    out.append(s, pos);
    s = std::move(out);
  }
  return s;
}

bool names_speaker(const CheckedQuery& q) {
  for (const QueryToken& t : q.tokens)
    if (t.kind == QueryTokenKind::filter && t.field == "speaker") return true;
  return false;
}

Xapian::QueryParser make_parser(const Xapian::Database& db) {
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_default_op(Xapian::Query::OP_AND);
  for (const Field& f : kFilterFields)
    qp.add_boolean_prefix(std::string(f.name), std::string(f.term_prefix));
  qp.add_rangeprocessor(
      (new Xapian::DateRangeProcessor(slot_date, "date:", Xapian::RP_REPEATED))->release());
  qp.add_rangeprocessor((new Xapian::NumberRangeProcessor(slot_nps, "nps:", Xapian::RP_REPEATED))->release());
  qp.add_rangeprocessor((new Xapian::NumberRangeProcessor(slot_csat, "csat:", Xapian::RP_REPEATED))->release());
  qp.add_rangeprocessor(
      (new Xapian::NumberRangeProcessor(slot_compound, "score:", Xapian::RP_REPEATED))->release());
  return qp;
}

constexpr unsigned kParseFlags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                                 Xapian::QueryParser::FLAG_PURE_NOT;

// A usage error that quotes the query, points at the column, and says what
// was expected there.
Error query_error(const std::string& query, const QueryError& e) {
  return make_error(ErrorKind::usage, "cannot parse query \"" + query + "\" at column " + std::to_string(e.column) +
                                          ": " + e.message + "\n" + point_at(query, e));
}

// The checked query as a Xapian query, with the implicit customer filter.
// Runs inside xapian_guard; returns false with `error` set on a parse error.
bool build_query(const Xapian::Database& db, const std::string& text, Xapian::Query& query,
                 std::optional<Error>& error) {
  CheckedQuery checked = check_query(text);
  if (checked.error) {
    error = query_error(text, *checked.error);
    return false;
  }
  Xapian::QueryParser qp = make_parser(db);
  try {
    query = checked.tokens.empty() ? Xapian::Query::MatchAll : qp.parse_query(text, kParseFlags);
  } catch (const Xapian::QueryParserError& e) {
    error = query_error(text, QueryError{1, e.get_msg()});
    return false;
  }
  if (query.empty()) query = Xapian::Query::MatchAll;
  if (!names_speaker(checked))
    query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                          Xapian::Query(std::string(find_field("speaker")->term_prefix) + "customer"));
  return true;
}

}  // namespace

Result<SearchResult> search(Store& store, const std::string& data_dir, const SearchRequest& req) {
  auto opened = open_index_readonly(data_dir);
  if (!opened) return opened.error();
  Xapian::Database& db = *opened;
  SearchResult result;
  Xapian::MSet mset;
  std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
  Xapian::Query query;
  std::optional<Error> parse_error;

  auto s = xapian_guard("searching", [&] {
    if (!build_query(db, req.query, query, parse_error)) return;
    result.parsed = query.get_description();

    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_collapse_key(slot_feedback_id);
    switch (req.sort) {
      case SortOrder::relevance: break;
      case SortOrder::date: enquire.set_sort_by_value_then_relevance(slot_date, true); break;
      case SortOrder::sentiment: enquire.set_sort_by_value_then_relevance(slot_compound, false); break;
    }
    // Distinct feedback ids over all matches: the exact collapsed total
    // (get_matches_estimated() is only an estimate once results collapse).
    Xapian::ValueCountMatchSpy feedback_spy(slot_feedback_id);
    enquire.add_matchspy(&feedback_spy);
    for (std::string_view facet : kFacetFields) {
      spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(find_field(facet)->value_slot));
      enquire.add_matchspy(spies.back().get());
    }
    // Exact counts: every matching document is seen by the spies.
    mset = enquire.get_mset(static_cast<Xapian::doccount>(std::max(0, req.offset)),
                            static_cast<Xapian::doccount>(std::max(0, req.limit)), db.get_doccount());
    result.total = 0;
    for (auto it = feedback_spy.values_begin(); it != feedback_spy.values_end(); ++it) ++result.total;
    // The spies saw every matching document before collapsing (check_at_least
    // covers the whole database), so their total is the exact event count;
    // get_uncollapsed_matches_estimated() is only an estimate.

    for (std::size_t i = 0; i < spies.size(); ++i) {
      std::vector<FacetCount> counts;
      for (auto it = spies[i]->values_begin(); it != spies[i]->values_end(); ++it)
        counts.push_back(FacetCount{*it, static_cast<std::int64_t>(it.get_termfreq())});
      std::sort(counts.begin(), counts.end(), [](const FacetCount& a, const FacetCount& b) {
        return a.count != b.count ? a.count > b.count : a.value < b.value;
      });
      result.facets.emplace_back(std::string(kFacetFields[i]), std::move(counts));
    }
    result.events = spies.empty() ? 0 : static_cast<std::int64_t>(spies.front()->get_total());
  });
  if (parse_error) return *parse_error;
  if (!s) return s.error();
  if (result.total == 0 || result.events < 3) {
    auto sp = xapian_guard("suggesting a spelling", [&] { result.suggestion = suggest_spelling(db, req.query); });
    if (!sp) return sp.error();
  }

  Xapian::Stem stemmer("english");
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    std::int64_t event_id = 0;
    int collapsed = 0;
    auto g = xapian_guard("reading results", [&] {
      event_id = static_cast<std::int64_t>(*it);  // documents are stored under their event id
      collapsed = static_cast<int>(it.get_collapse_count());
    });
    if (!g) return g.error();
    auto row = store.event(event_id);
    if (!row) return row.error();
    if (!*row) continue;  // the index is ahead of this reader's snapshot
    const EventRow& r = **row;
    SearchHit hit;
    hit.event_id = r.event_id;
    hit.feedback_id = r.feedback_id;
    hit.ordinal = r.ordinal;
    hit.sentence = r.sentence;
    hit.stage = r.stage;
    hit.touchpoint = r.touchpoint;
    hit.emotion = r.emotion;
    hit.speaker = r.speaker;
    hit.channel = r.channel;
    hit.source = r.source;
    hit.customer = r.customer_key;
    hit.date = r.received_at;
    hit.compound = r.compound;
    hit.pains = r.pains;
    hit.more_in_feedback = collapsed;
    auto sn = xapian_guard("highlighting", [&] {
      hit.snippet = unescape_html(mset.snippet(r.sentence, 300, stemmer,
                                               Xapian::MSet::SNIPPET_EXHAUSTIVE, "**", "**", "..."));
    });
    if (!sn || hit.snippet.empty()) hit.snippet = r.sentence;
    result.hits.push_back(std::move(hit));
  }
  return result;
}

Result<std::vector<std::int64_t>> matching_event_ids(const std::string& data_dir, const std::string& text) {
  auto opened = open_index_readonly(data_dir);
  if (!opened) return opened.error();
  Xapian::Database& db = *opened;
  std::vector<std::int64_t> ids;
  std::optional<Error> parse_error;
  auto s = xapian_guard("matching", [&] {
    Xapian::Query query;
    if (!build_query(db, text, query, parse_error)) return;
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    // No ranking: boolean weights in docid order give the ids sorted, and
    // skip the cost of computing relevance for every match.
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    Xapian::MSet all = enquire.get_mset(0, db.get_doccount());
    ids.reserve(all.size());
    for (auto it = all.begin(); it != all.end(); ++it) ids.push_back(static_cast<std::int64_t>(*it));
  });
  if (parse_error) return *parse_error;
  if (!s) return s.error();
  return ids;
}

Result<std::string> explain_search(const std::string& data_dir, const std::string& text) {
  CheckedQuery checked = check_query(text);
  std::string out = "query: " + text + "\n\n1. tokens\n";
  if (checked.tokens.empty() && !checked.error) out += "   (none: every customer sentence matches)\n";
  for (const QueryToken& t : checked.tokens) {
    std::string line = "   col " + std::to_string(t.column);
    line.resize(11, ' ');
    std::string kind = token_kind_name(t.kind);
    kind.resize(10, ' ');
    line += kind;
    switch (t.kind) {
      case QueryTokenKind::filter: line += t.field + " = " + t.value; break;
      case QueryTokenKind::range:
        line += t.field + (t.low.empty() ? "" : " >= " + t.low) + (t.low.empty() || t.high.empty() ? "" : " and") +
                (t.high.empty() ? "" : " <= " + t.high);
        break;
      case QueryTokenKind::phrase: line += "\"" + t.value + "\" (words in this order)"; break;
      case QueryTokenKind::word:
        line += t.value;
        if (!t.value.empty() && t.value.back() == '*') line += " (any word starting " + t.value.substr(0, t.value.size() - 1) + ")";
        break;
      default: line += t.text; break;
    }
    if (t.sign == '+') line += " (required)";
    if (t.sign == '-') line += " (excluded)";
    out += line + "\n";
  }
  if (checked.error) {
    out += "\nerror at column " + std::to_string(checked.error->column) + ": " + checked.error->message + "\n" +
           point_at(text, *checked.error) + "\n";
    return out;
  }
  out += "\n2. rules\n";
  out += "   words: stemmed (English), all required unless OR/NOT say otherwise\n";
  out += "   filters: values of one field are ORed, different fields are ANDed, and they do not change ranking\n";
  if (!names_speaker(checked)) out += "   speaker = customer (implicit: the query names no speaker)\n";

  auto opened = open_index_readonly(data_dir);
  if (!opened) return opened.error();
  std::optional<Error> parse_error;
  std::string description, suggestion;
  auto s = xapian_guard("explaining", [&] {
    Xapian::Query query;
    if (!build_query(*opened, text, query, parse_error)) return;
    description = query.get_description();
    suggestion = suggest_spelling(*opened, text);
  });
  if (parse_error) return *parse_error;
  if (!s) return s.error();
  out += "\n3. Xapian query\n   " + description + "\n";
  out += "\n4. spelling\n   " + (suggestion.empty() ? std::string("every word is in the index") : "did you mean: " + suggestion) + "\n";
  return out;
}

}  // namespace cxmap
