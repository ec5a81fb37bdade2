// Search: query parsing, ranked and collapsed matching, facets and snippets.
#include "search/search.h"

#include <xapian.h>

#include <algorithm>
#include <functional>
#include <optional>

#include "db/fields.h"
#include "db/index.h"
#include "search/event_columns.h"
#include "search/event_matches.h"
#include "search/query_parser.h"
#include "search/query_syntax.h"
#include "search/result_cache.h"
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

// A usage error that quotes the query, points at the column, and says what
// was expected there.
Error query_error(const std::string& query, const QueryError& e) {
  return make_error(ErrorKind::usage, "cannot parse query \"" + query + "\" at column " + std::to_string(e.column) +
                                          ": " + e.message + "\n" + point_at(query, e));
}

// The checked query as Xapian reads it (`user`), and with the implicit
// customer filter (`full`, the query search describes). Runs inside
// xapian_guard; returns false with `error` set on a parse error.
bool build_query(const Xapian::Database& db, const std::string& text, CheckedQuery& checked, Xapian::Query& user,
                 Xapian::Query& full, std::optional<Error>& error) {
  checked = check_query(text);
  if (checked.error) {
    error = query_error(text, *checked.error);
    return false;
  }
  try {
    user = checked.tokens.empty() ? Xapian::Query::MatchAll : parse_query_text(db, text);
  } catch (const Xapian::QueryParserError& e) {
    error = query_error(text, QueryError{1, e.get_msg()});
    return false;
  }
  full = names_speaker(checked)
             ? user
             : Xapian::Query(Xapian::Query::OP_FILTER, user,
                             Xapian::Query(std::string(find_field("speaker")->term_prefix) + "customer"));
  return true;
}

// Runs fn, and again on the newest revision when a writer committed twice
// while fn read (Xapian then throws DatabaseModifiedError: the blocks of the
// revision being read were reused). Serving while ingesting meets this.
// Runs fn, reopening db and retrying when a writer moved it on under the
// read. `revision` (open_index_readonly's) follows the reopen: a single
// database's is read again; a sharded one's is unknown afterwards ("").
void retry_on_modified(Xapian::Database& db, std::string& revision, const std::function<void()>& fn) {
  for (int attempt = 1;; ++attempt) {
    try {
      fn();
      return;
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt == 5) throw;
      db.reopen();
      revision = single_revision(revision) ? std::to_string(db.get_revision()) : "";
    }
  }
}

// Xapian's order for each sort: the sort value, then relevance, then docid.
// Sort values compare as Xapian compares their serialised strings (dates
// "YYYYMMDD" with unknown first; sortable_serialise keeps numeric order).
struct ResultOrder {
  const EventColumns& c;
  SortOrder sort;
  bool operator()(const EventMatch& a, const EventMatch& b) const {
    if (sort == SortOrder::date && c.date[a.doc] != c.date[b.doc]) return c.date[a.doc] > c.date[b.doc];
    if (sort == SortOrder::sentiment && c.compound[a.doc] != c.compound[b.doc])
      return c.compound[a.doc] < c.compound[b.doc];
    if (a.weight != b.weight) return a.weight > b.weight;
    return a.doc < b.doc;
  }
};

struct Page {
  std::vector<std::pair<EventMatch, int>> hits;  // best event of a feedback, others of it matching
  std::int64_t feedback_total = 0;
};

// Collapses matches per feedback (each feedback shown once, by its first
// event in result order) and keeps the first `top` in that order.
Page collapse_top(const EventColumns& c, const std::vector<EventMatch>& matches, SortOrder sort, std::size_t top) {
  constexpr std::uint32_t none = 0xFFFFFFFF;
  const ResultOrder before{c, sort};
  std::vector<std::uint32_t> count(c.feedback_count + 1, 0), best(c.feedback_count + 1, none);
  for (std::uint32_t i = 0; i < matches.size(); ++i) {
    const std::uint32_t f = c.feedback[matches[i].doc];
    ++count[f];
    if (best[f] == none || before(matches[i], matches[best[f]])) best[f] = i;
  }
  std::vector<EventMatch> shown;
  for (std::uint32_t f = 1; f <= c.feedback_count; ++f)
    if (best[f] != none) shown.push_back(matches[best[f]]);
  Page page;
  page.feedback_total = static_cast<std::int64_t>(shown.size());
  const std::size_t to = std::min(shown.size(), top);
  std::partial_sort(shown.begin(), shown.begin() + static_cast<std::ptrdiff_t>(to), shown.end(), before);
  for (std::size_t i = 0; i < to; ++i)
    page.hits.emplace_back(shown[i], static_cast<int>(count[c.feedback[shown[i].doc]]) - 1);
  return page;
}

std::vector<FacetCount> sorted_counts(const std::vector<std::int64_t>& counts,
                                      const std::vector<std::string>& names, std::size_t skip) {
  std::vector<FacetCount> out;
  for (std::size_t i = skip; i < counts.size(); ++i)
    if (counts[i] > 0) out.push_back(FacetCount{names[i], counts[i]});
  std::sort(out.begin(), out.end(), [](const FacetCount& a, const FacetCount& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  return out;
}

// Facet counts over the matching events, by count then value. An event
// counts once under each of its pain points.
std::vector<std::pair<std::string, std::vector<FacetCount>>> facet_counts(const EventColumns& c,
                                                                         const std::vector<EventMatch>& matches) {
  static constexpr CodedField kCoded[] = {CodedField::stage, CodedField::touchpoint, CodedField::emotion,
                                          CodedField::channel};
  std::vector<std::vector<std::int64_t>> counts;
  for (CodedField f : kCoded) counts.emplace_back(c.dictionary(f).values.size(), 0);
  std::vector<std::int64_t> pains(c.pain_kinds.size(), 0);
  for (const EventMatch& m : matches) {
    for (std::size_t i = 0; i < std::size(kCoded); ++i) ++counts[i][c.code(kCoded[i], m.doc)];
    for (std::uint64_t bits = c.pains[m.doc]; bits != 0; bits &= bits - 1)
      ++pains[static_cast<std::size_t>(__builtin_ctzll(bits))];
  }
  std::vector<std::pair<std::string, std::vector<FacetCount>>> out;
  for (std::string_view facet : kFacetFields) {
    if (facet == "pain") {
      out.emplace_back("pain", sorted_counts(pains, c.pain_kinds, 0));
      continue;
    }
    for (std::size_t i = 0; i < std::size(kCoded); ++i)
      if (kCodedFieldNames[static_cast<unsigned>(kCoded[i])] == facet)
        out.emplace_back(std::string(facet), sorted_counts(counts[i], c.dictionary(kCoded[i]).values, 1));
  }
  return out;
}

// The snapshot `db` shows; `revision` is open_index_readonly's (not empty).
// Throws Xapian errors.
IndexSnapshot snapshot_of(const std::string& data_dir, const Xapian::Database& db, const std::string& revision) {
  const std::string forgets = db.get_metadata(kForgetsKey);
  return IndexSnapshot{index_path(data_dir), db.get_uuid() + "/" + (forgets.empty() ? "0" : forgets), revision};
}

// The answer's rows: each page hit's event from the store, its snippet
// highlighted with the query `mset` carries.
Status fill_hits(Store& store, const Xapian::MSet& mset, const std::vector<std::pair<EventMatch, int>>& page,
                 SearchResult& result) {
  Xapian::Stem stemmer("english");
  for (const auto& [match, others] : page) {
    const auto event_id = static_cast<std::int64_t>(match.doc);  // documents are stored under their event id
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
    hit.more_in_feedback = others;
    auto sn = xapian_guard("highlighting", [&] {
      hit.snippet = unescape_html(mset.snippet(r.sentence, 300, stemmer,
                                               Xapian::MSet::SNIPPET_EXHAUSTIVE, "**", "**", "..."));
    });
    if (!sn || hit.snippet.empty()) hit.snippet = r.sentence;
    result.hits.push_back(std::move(hit));
  }
  return ok_status();
}

// Answers requests that all ask `query` (in any sort and page), in their
// order: the matches, facets and spelling are computed once, and each
// sort's collapse once, down to its deepest page (the order is total, so a
// page cut from a deeper sort is the page itself).
Result<std::vector<SearchResult>> answer_query(Store& store, const std::string& data_dir, Xapian::Database& db,
                                               std::string& revision, const std::string& query,
                                               const std::vector<const SearchRequest*>& requests) {
  std::vector<SearchResult> results(requests.size());
  std::vector<std::vector<std::pair<EventMatch, int>>> pages(requests.size());
  Xapian::MSet mset;  // empty; it carries the query for highlighting
  std::optional<Error> parse_error;
  SearchResult shared;

  auto s = xapian_guard("searching", [&] {
    CheckedQuery checked;
    Xapian::Query user, full;
    if (!build_query(db, query, checked, user, full, parse_error)) return;
    shared.parsed = full.get_description();
    retry_on_modified(db, revision, [&] {
      const auto columns = event_columns(index_path(data_dir), db, revision);
      const EventMatches found =
          match_events(db, *columns, query, checked, [&](const std::string& t) { return parse_query_text(db, t); });
      shared.events = static_cast<std::int64_t>(found.matches.size());
      shared.facets = facet_counts(*columns, found.matches);
      for (SortOrder sort : {SortOrder::relevance, SortOrder::date, SortOrder::sentiment}) {
        std::optional<std::size_t> deepest;
        for (const SearchRequest* r : requests)
          if (r->sort == sort)
            deepest = std::max(deepest.value_or(0), static_cast<std::size_t>(std::max(0, r->offset)) +
                                                        static_cast<std::size_t>(std::max(0, r->limit)));
        if (!deepest) continue;
        const Page page = collapse_top(*columns, found.matches, sort, *deepest);
        shared.total = page.feedback_total;
        for (std::size_t i = 0; i < requests.size(); ++i) {
          if (requests[i]->sort != sort) continue;
          const auto from = std::min(page.hits.size(), static_cast<std::size_t>(std::max(0, requests[i]->offset)));
          const auto to = std::min(page.hits.size(), from + static_cast<std::size_t>(std::max(0, requests[i]->limit)));
          pages[i].assign(page.hits.begin() + static_cast<std::ptrdiff_t>(from),
                          page.hits.begin() + static_cast<std::ptrdiff_t>(to));
        }
      }
      Xapian::Enquire enquire(db);
      enquire.set_query(full);
      mset = enquire.get_mset(0, 0);
    });
  });
  if (parse_error) return *parse_error;
  if (!s) return s.error();
  if (shared.total == 0 || shared.events < 3) {
    auto sp = xapian_guard("suggesting a spelling", [&] { shared.suggestion = suggest_spelling(db, query); });
    if (!sp) return sp.error();
  }
  for (std::size_t i = 0; i < requests.size(); ++i) {
    results[i] = shared;
    if (auto f = fill_hits(store, mset, pages[i], results[i]); !f) return f.error();
  }
  return results;
}

}  // namespace

Result<SearchResult> search(Store& store, const std::string& data_dir, const SearchRequest& req) {
  std::string revision;
  auto opened = open_index_readonly(data_dir, revision);
  if (!opened) return opened.error();
  Xapian::Database& db = *opened;
  // Where the answer is kept; empty: nowhere. A forget changes the
  // snapshot's identity right after the store forgets, so a cached answer
  // never outlives it. An index with no revision to tell (a remote shard)
  // is never cached.
  std::string snapshot;
  if (req.use_cache && !revision.empty()) {
    auto k = xapian_guard("reading the index revision", [&] {
      snapshot = search_result_cache().serving_key(snapshot_of(data_dir, db, revision));
    });
    if (!k) return k.error();
    if (auto cached = search_result_cache().find(snapshot, req)) return std::move(*cached);
  }
  auto answered = answer_query(store, data_dir, db, revision, req.query, {&req});
  if (!answered) return answered.error();
  if (!snapshot.empty()) search_result_cache().put(snapshot, req, answered->front());
  return std::move(answered->front());
}

Result<std::optional<IndexSnapshot>> current_snapshot(const std::string& data_dir) {
  std::string revision;
  auto opened = open_index_readonly(data_dir, revision);
  if (!opened) return opened.error();
  std::optional<IndexSnapshot> out;
  if (revision.empty()) return out;
  auto k = xapian_guard("reading the index revision", [&] { out = snapshot_of(data_dir, *opened, revision); });
  if (!k) return k.error();
  return out;
}

Result<std::int64_t> warm_searches(Store& store, const std::string& data_dir, const std::vector<SearchRequest>& requests,
                                   const IndexSnapshot& into, const std::function<bool()>& keep_going) {
  // Grouped by query, in the order each query first comes.
  std::vector<std::pair<std::string, std::vector<const SearchRequest*>>> groups;
  for (const SearchRequest& r : requests) {
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == r.query; });
    if (it == groups.end()) it = groups.insert(groups.end(), {r.query, {}});
    it->second.push_back(&r);
  }
  std::int64_t warmed = 0;
  for (const auto& [query, asked] : groups) {
    if (!keep_going()) break;
    // Opened per query: a round outlasts many commits, and the newest
    // revision is the one whose columns are loaded.
    std::string revision;
    auto opened = open_index_readonly(data_dir, revision);
    if (!opened) return opened.error();
    auto answered = answer_query(store, data_dir, *opened, revision, query, asked);
    if (!answered) {
      if (answered.error().kind == ErrorKind::usage) continue;  // a bad query stays one
      return answered.error();
    }
    for (std::size_t i = 0; i < asked.size(); ++i) search_result_cache().put(into.key(), *asked[i], (*answered)[i]);
    warmed += static_cast<std::int64_t>(asked.size());
  }
  return warmed;
}

Result<std::vector<std::int64_t>> matching_event_ids(const std::string& data_dir, const std::string& text) {
  std::string revision;
  auto opened = open_index_readonly(data_dir, revision);
  if (!opened) return opened.error();
  Xapian::Database& db = *opened;
  std::vector<std::int64_t> ids;
  std::optional<Error> parse_error;
  auto s = xapian_guard("matching", [&] {
    CheckedQuery checked;
    Xapian::Query user, full;
    if (!build_query(db, text, checked, user, full, parse_error)) return;
    retry_on_modified(db, revision, [&] {
      const auto columns = event_columns(index_path(data_dir), db, revision);
      const EventMatches found =
          match_events(db, *columns, text, checked, [&](const std::string& t) { return parse_query_text(db, t); });
      ids.clear();
      ids.reserve(found.matches.size());
      for (const EventMatch& m : found.matches) ids.push_back(static_cast<std::int64_t>(m.doc));
    });
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
    CheckedQuery parsed;
    Xapian::Query user, full;
    if (!build_query(*opened, text, parsed, user, full, parse_error)) return;
    description = full.get_description();
    suggestion = suggest_spelling(*opened, text);
  });
  if (parse_error) return *parse_error;
  if (!s) return s.error();
  out += "\n3. Xapian query\n   " + description + "\n";
  out += "\n4. spelling\n   " + (suggestion.empty() ? std::string("every word is in the index") : "did you mean: " + suggestion) + "\n";
  return out;
}


}  // namespace cxmap
