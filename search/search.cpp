// Search: query parsing, ranked and collapsed matching, facets and snippets.
#include "search/search.h"

#include <xapian.h>

#include <algorithm>

#include "db/fields.h"
#include "db/index.h"

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

}  // namespace

Result<SearchResult> search(Store& store, const std::string& data_dir, const SearchRequest& req) {
  auto opened = open_index_readonly(data_dir);
  if (!opened) return opened.error();
  Xapian::Database& db = *opened;
  SearchResult result;
  Xapian::MSet mset;
  std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
  Xapian::Query query;
  std::string parse_error;

  auto s = xapian_guard("searching", [&] {
    Xapian::QueryParser qp = make_parser(db);
    try {
      query = req.query.find_first_not_of(" \t") == std::string::npos
                  ? Xapian::Query::MatchAll
                  : qp.parse_query(req.query, kParseFlags);
    } catch (const Xapian::QueryParserError& e) {
      parse_error = e.get_msg();
      return;
    }
    if (query.empty()) query = Xapian::Query::MatchAll;
    if (req.query.find("speaker:") == std::string::npos)
      query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                            Xapian::Query(std::string(find_field("speaker")->term_prefix) + "customer"));
    result.parsed = query.get_description();

    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_collapse_key(slot_feedback_id);
    switch (req.sort) {
      case SortOrder::relevance: break;
      case SortOrder::date: enquire.set_sort_by_value_then_relevance(slot_date, true); break;
      case SortOrder::sentiment: enquire.set_sort_by_value_then_relevance(slot_compound, false); break;
    }
    for (std::string_view facet : kFacetFields) {
      spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(find_field(facet)->value_slot));
      enquire.add_matchspy(spies.back().get());
    }
    // Exact counts: every matching document is seen by the spies.
    mset = enquire.get_mset(static_cast<Xapian::doccount>(std::max(0, req.offset)),
                            static_cast<Xapian::doccount>(std::max(0, req.limit)), db.get_doccount());
    result.total = mset.get_matches_estimated();
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
  if (!parse_error.empty())
    return make_error(ErrorKind::usage, "cannot parse query \"" + req.query + "\": " + parse_error);
  if (!s) return s.error();

  Xapian::Stem stemmer("english");
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    std::int64_t event_id = 0;
    int collapsed = 0;
    auto g = xapian_guard("reading results", [&] {
      event_id = std::stoll(it.get_document().get_data());
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

}  // namespace cxmap
