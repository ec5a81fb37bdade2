// bench/index_settings: what each part of an event document costs Xapian.
//
// Indexing is the largest share of an ingest (`cxmap ingest --timings`), so
// the document's contents were chosen by measurement. This reads N events
// from a cxmap store, then indexes them into fresh Xapian databases:
//   - "Index::add": the real indexer (db/index.cpp), for reference;
//   - "all parts": a document built here with every part Index::add writes
//     (text with positions, the id term, eleven boolean field terms, ten
//     values, the data), which should cost about the same;
//   - the same document without one part at a time, and text alone;
//   - the event id as four bytes of data, or no data (glass compresses each
//     document's data over 4 bytes, and its termlist, with zlib);
//   - no termlist table (Xapian::DB_NO_TERMLIST: what the per-document
//     termlist and its compression cost; such a database cannot delete or
//     replace a document, which forget, replaced feedback and the journey
//     links' re-index need);
//   - one document per feedback, its sentences kGap positions apart (what
//     fewer, larger documents would save).
// Prints events/s per variant, run in rotation (--runs R, median;
// --variants picks some). Commits come every 10,000 documents as in
// sync_index() (--commit-every N changes it; Xapian also flushes on its own
// every XAPIAN_FLUSH_THRESHOLD documents, 10,000 by default, so raise both).
// Figures only.
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "db/cached_stem.h"
#include "db/fields.h"
#include "db/index.h"
#include "db/store.h"

using namespace cxmap;
namespace fs = std::filesystem;

namespace {

struct Parts {
  const char* name;
  bool positions = true, id_term = true, field_terms = true, facet_values = true, other_values = true;
  // The event id as data: 'd' decimal text (as before), 'b' four bytes (not
  // compressed by glass, which compresses docdata tags over 4 bytes), 'n' none.
  char data = 'd';
  // No termlist table (Xapian::DB_NO_TERMLIST): glass then writes and
  // compresses no per-document term list, but cannot delete or replace.
  bool termlist = true;
  // One document per feedback: its events' sentences at positions kGap
  // apart, their terms together (a value slot keeps the last event's value).
  bool per_feedback = false;
};

// Positions between two sentences of one feedback document: wider than any
// sentence, so a phrase or NEAR never spans two.
constexpr Xapian::termpos kGap = 1000;

std::string term(std::string_view field, const std::string& v) {
  return std::string(find_field(field)->term_prefix).append(v);
}

// Adds one event's chosen parts to the document `tg` is indexing, its words
// from tg's current position.
void add_event(Xapian::Document& doc, const EventRow& r, const Parts& p, Xapian::TermGenerator& tg) {
  if (p.positions) tg.index_text(r.sentence);
  else tg.index_text_without_positions(r.sentence);
  if (p.id_term) doc.add_boolean_term(std::string(kIdTermPrefix).append(std::to_string(r.event_id)));
  if (p.field_terms) {
    for (auto [field, value] : {std::pair<const char*, const std::string*>{"stage", &r.stage},
                                {"touchpoint", &r.touchpoint},
                                {"emotion", &r.emotion},
                                {"channel", &r.channel},
                                {"speaker", &r.speaker},
                                {"source", &r.source},
                                {"lang", &r.language},
                                {"feedback", &r.feedback_id}})
      doc.add_boolean_term(term(field, *value));
    doc.add_boolean_term(term("sentiment", r.compound >= 0.05 ? "positive" : r.compound <= -0.05 ? "negative" : "neutral"));
    if (!r.customer_key.empty()) doc.add_boolean_term(term("customer", r.customer_key));
    for (const PainPoint& pain : r.pains) doc.add_boolean_term(term("pain", pain.kind));
  }
  if (p.other_values) {
    doc.add_value(slot_feedback_id, r.feedback_id);
    doc.add_value(slot_date, r.received_at.substr(0, 4) + r.received_at.substr(5, 2) + r.received_at.substr(8, 2));
    doc.add_value(slot_compound, Xapian::sortable_serialise(r.compound));
    if (r.nps) doc.add_value(slot_nps, Xapian::sortable_serialise(*r.nps));
    if (r.csat) doc.add_value(slot_csat, Xapian::sortable_serialise(*r.csat));
  }
  if (p.facet_values) {
    doc.add_value(slot_stage, r.stage);
    doc.add_value(slot_touchpoint, r.touchpoint);
    doc.add_value(slot_emotion, r.emotion);
    doc.add_value(slot_channel, r.channel);
    if (!r.pains.empty()) doc.add_value(slot_pain, r.pains.front().kind);
  }
  if (p.data == 'd') {
    doc.set_data(std::to_string(r.event_id));
  } else if (p.data == 'b') {
    const auto id = static_cast<std::uint32_t>(r.event_id);
    const char bytes[4] = {char(id >> 24), char(id >> 16), char(id >> 8), char(id)};
    doc.set_data(std::string(bytes, 4));
  }
}


double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::size_t commit_every = 10000;  // as sync_index; --commit-every

double run_real(const std::vector<EventRow>& rows, const std::string& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto index = Index::open_writable(dir);
  if (!index) throw std::runtime_error(index.error().message);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!index->add(rows[i])) throw std::runtime_error("Index::add failed");
    if ((i + 1) % commit_every == 0 || i + 1 == rows.size())
      if (!index->commit(rows[i].event_id)) throw std::runtime_error("commit failed");
  }
  return since(start);
}

// Events rows[first, end) as one document with the chosen parts: one event,
// or the events of one feedback (consecutive in event-id order), built as an
// indexer would, each sentence's words from a position kGap past the
// previous sentence's start.
Xapian::Document build(const std::vector<EventRow>& rows, std::size_t first, std::size_t end, const Parts& p,
                       Xapian::TermGenerator& tg) {
  Xapian::Document doc;
  tg.set_document(doc);
  for (std::size_t i = first; i < end; ++i) {
    tg.set_termpos(static_cast<Xapian::termpos>((i - first) * kGap));
    add_event(doc, rows[i], p, tg);
  }
  return doc;
}

// Returns seconds; `docs` gets the number of documents written.
double run_variant(const std::vector<EventRow>& rows, const Parts& p, const std::string& dir, std::size_t& docs) {
  fs::remove_all(dir);
  fs::create_directories(fs::path(dir).parent_path());
  Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE | (p.termlist ? 0 : Xapian::DB_NO_TERMLIST));
  Xapian::TermGenerator tg;
  tg.set_stemmer(CachedStem::make("english"));  // as Index::add
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  docs = 0;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < rows.size();) {
    std::size_t end = i + 1;
    if (p.per_feedback)
      while (end < rows.size() && rows[end].feedback_id == rows[i].feedback_id) ++end;
    db.replace_document(static_cast<Xapian::docid>(++docs), build(rows, i, end, p, tg));
    const std::size_t before = i;
    i = end;
    if (i / commit_every != before / commit_every || i == rows.size()) db.commit();
  }
  return since(start);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"What each part of an event document costs Xapian: documents/s per variant"};
  std::string data;
  std::size_t events = 30000;
  int runs = 1;
  std::string only;
  std::string work = "/tmp/cxmap-index-settings";
  app.add_option("--data", data, "A cxmap data dir to read events from")->required();
  app.add_option("--events", events, "Events to index per variant");
  app.add_option("--runs", runs, "Runs per variant, in rotation (median)")->check(CLI::Range(1, 50));
  app.add_option("--commit-every", commit_every, "Documents per commit (sync_index commits every 10,000)")
      ->check(CLI::PositiveNumber);
  app.add_option("--variants", only, "Comma-separated variant names to run (default: all)");
  app.add_option("--dir", work, "Scratch dir for the databases (removed at the end)");
  CLI11_PARSE(app, argc, argv);

  auto store = Store::open(data, OpenMode::read_only);
  if (!store) {
    std::fprintf(stderr, "index_settings: %s\n", store.error().message.c_str());
    return 2;
  }
  std::vector<EventRow> rows;
  std::size_t bytes = 0;
  struct Enough {};
  try {
    auto s = store->for_each_event_after(0, [&](const EventRow& r) -> Status {
      rows.push_back(r);
      bytes += r.sentence.size();
      if (rows.size() >= events) throw Enough{};
      return ok_status();
    });
    if (!s) {
      std::fprintf(stderr, "index_settings: %s\n", s.error().message.c_str());
      return 2;
    }
  } catch (const Enough&) {
  }
  std::printf("%zu events from %s, %.0f bytes of text each on average; commit every %zu\n", rows.size(), data.c_str(),
              rows.empty() ? 0.0 : double(bytes) / rows.size(), commit_every);

  const std::vector<Parts> variants = {
      {"all parts"},
      {"no positions", false},
      {"no id term", true, false},
      {"no field terms", true, true, false},
      {"no facet values", true, true, true, false},
      {"no values at all", true, true, true, false, false},
      {"text alone", true, false, false, false, false},
      {"4-byte data", true, true, true, true, true, 'b'},
      {"no data", true, true, true, true, true, 'n'},
      {"no termlist", true, true, true, true, true, 'd', false},
      {"per feedback", true, true, true, true, true, 'd', true, true},
  };
  std::map<std::string, std::vector<double>> rate;  // events per second
  std::map<std::string, std::size_t> doc_count;
  std::vector<std::string> order = {"Index::add"};
  for (const Parts& p : variants) order.push_back(p.name);
  if (!only.empty()) {
    const std::string list = "," + only + ",";
    order.erase(std::remove_if(order.begin(), order.end(),
                               [&](const std::string& n) { return list.find("," + n + ",") == std::string::npos; }),
                order.end());
  }
  for (int r = 0; r < runs; ++r)
    for (std::size_t k = 0; k < order.size(); ++k) {
      const std::string& name = order[(k + r) % order.size()];
      const std::string dir = work + "/db";
      double seconds;
      std::size_t docs = rows.size();
      if (name == "Index::add") {
        seconds = run_real(rows, work + "/real");
      } else {
        const Parts& p = *std::find_if(variants.begin(), variants.end(), [&](const Parts& v) { return name == v.name; });
        seconds = run_variant(rows, p, dir, docs);
      }
      rate[name].push_back(rows.size() / seconds);
      doc_count[name] = docs;
    }
  fs::remove_all(work);
  const double base = rate.count("all parts") ? median(rate["all parts"]) : median(rate[order.front()]);
  std::printf("%-18s %12s %10s %10s\n", "variant", "events/s", "vs all", "documents");
  for (const std::string& name : order)
    std::printf("%-18s %12.0f %9.2fx %10zu\n", name.c_str(), median(rate[name]), median(rate[name]) / base,
                doc_count[name]);
  return 0;
}
