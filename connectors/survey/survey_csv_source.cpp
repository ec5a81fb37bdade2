// Survey CSV connector: one RawFeedback per data row of a generic,
// Qualtrics or SurveyMonkey export (survey_export.h), in any encoding
// csv_encoding.h reads. Columns are mapped by CsvColumns: configured names
// (a column's name, or for multi-row headers its question text), else
// guessed. Locator "path:LINE" (the line where the row starts). Broken rows
// (quoting, wrong field count) are rejected with "path:LINE: reason"; bad
// scores or dates are kept as metadata notes, not rejects, because the rest
// of the row is still good feedback.
//
// Each non-empty free-text answer is one Turn (the pipeline sees one text
// per answer). Metadata, in this order:
//   exports (qualtrics, surveymonkey):
//     survey_format        "qualtrics" | "surveymonkey"
//     source_encoding      when the row was converted, e.g. "UTF-16LE
//                          (byte-order mark)", "windows-1252 (not valid UTF-8)"
//     date_note            unparsed date, or an unknown declared time zone
//     nps_category         promoter (9-10) | passive (7-8) | detractor (0-6)
//     nps_note, csat_note, ces_note   a value left empty: "not a number: 'x'",
//                          "out of range 0-10: 11"
//     question:<column>    the question text, one per Turn, in Turn order
//     <column>             every other non-empty mapped column
//   generic (unchanged, so existing stores and tests stay as they were):
//     date_note, *_note, every mapped metadata column (even empty), then
//     source_encoding when the row was converted.
#include <cctype>
#include <map>
#include <optional>

#include "connectors/email/mime_message.h"
#include "connectors/source_kinds.h"
#include "connectors/survey/survey_csv.h"
#include "connectors/survey/survey_csv_input.h"
#include "connectors/survey/survey_dates.h"
#include "connectors/survey/survey_export.h"

namespace cxmap {

namespace survey {

namespace {

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "Response ID" -> "responseid".
std::string key_of(const std::string& name) {
  std::string k;
  for (unsigned char c : name)
    if (std::isalnum(c)) k += static_cast<char>(std::tolower(c));
  return k;
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

}  // namespace

bool columns_empty(const CsvColumns& c) {
  return c.id.empty() && c.date.empty() && c.customer.empty() && c.nps.empty() && c.csat.empty() &&
         c.ces.empty() && c.text.empty() && c.metadata.empty();
}

CsvColumns guess_csv_columns(const std::vector<std::string>& header) {
  CsvColumns c;
  for (const auto& raw : header) {
    std::string name = trim(raw);
    std::string k = key_of(name);
    if (k.empty()) continue;
    auto take = [&](std::string& slot) {
      if (slot.empty()) {
        slot = name;
        return true;
      }
      return false;
    };
    bool used = false;
    if (k == "id" || k == "responseid" || k == "response" || k == "respondentid" || k == "surveyid" ||
        k == "submissionid" || k == "recordid")
      used = take(c.id);
    else if (k == "nps" || contains(k, "recommend") || k == "npsscore" || k == "likelihood")
      used = take(c.nps);
    else if (k == "csat" || contains(k, "satisf") || k == "csatscore")
      used = take(c.csat);
    else if (k == "ces" || contains(k, "effort") || k == "cesscore")
      used = take(c.ces);
    else if (k == "date" || k == "submitted" || k == "submittedat" || k == "timestamp" || k == "enddate" ||
             k == "created" || k == "createdat" || k == "submissiondate" || k == "datetime" ||
             k == "recordeddate" || k == "completed" || k == "completedat" || k == "time")
      used = take(c.date);
    else if (k == "email" || k == "customer" || k == "customeremail" || k == "emailaddress" ||
             k == "customerid" || k == "user" || k == "useremail" || k == "respondentemail" || k == "mail")
      used = take(c.customer);
    else if (contains(k, "comment") || contains(k, "feedback") || k == "text" || contains(k, "answer") ||
             contains(k, "tellusmore") || contains(k, "verbatim") || contains(k, "why") ||
             contains(k, "reason") || contains(k, "suggest") || contains(k, "improve") || k == "remarks" ||
             k == "notes" || k == "opentext" || k == "response_text" || k == "responsetext" ||
             contains(k, "anythingelse")) {
      c.text.push_back(name);
      used = true;
    }
    if (!used) c.metadata.push_back(name);
  }
  return c;
}

Result<std::vector<std::string>> read_csv_header(const std::string& path) {
  auto in = SurveyCsvInput::open(path, SurveySettings{});
  if (!in) return in.error();
  if (!(*in)->has_header()) return make_error(ErrorKind::input, path + ": empty file, no header");
  std::vector<std::string> names;
  for (const auto& col : (*in)->columns()) names.push_back(col.name);
  return names;
}

Result<CsvColumns> detect_csv_columns(const std::string& path) {
  auto in = SurveyCsvInput::open(path, SurveySettings{});
  if (!in) return in.error();
  if (!(*in)->has_header()) return make_error(ErrorKind::input, path + ": empty file, no header");
  return guess_export_columns((*in)->format(), (*in)->columns());
}

namespace {

// Which field holds what, for one file.
struct Layout {
  ExportFormat format = ExportFormat::generic;
  std::optional<std::size_t> id, date, customer, nps, csat, ces;
  std::vector<std::pair<std::string, std::size_t>> text, meta;
  std::vector<std::string> questions;  // per field
  std::string date_zone;               // zone for zone-less dates ("" = UTC)
  std::string zone_note;               // set when a declared zone is unknown
};

const char* nps_category(int nps) { return nps >= 9 ? "promoter" : nps >= 7 ? "passive" : "detractor"; }

class SurveyCsvSource : public Source {
 public:
  explicit SurveyCsvSource(SourceSpec spec) : spec_(std::move(spec)) {}
  const SourceSpec& spec() const override { return spec_; }

  Status pull(RecordSink& sink, const std::string& /*cursor*/) override {
    auto settings = parse_survey_settings(spec_.settings, spec_.name);
    if (!settings) return settings.error();
    auto opened = SurveyCsvInput::open(spec_.path, *settings);
    if (!opened) return opened.error();
    SurveyCsvInput& in = **opened;
    if (!in.has_header()) return ok_status();  // empty file: nothing to read
    auto layout = make_layout(in, *settings);
    if (!layout) return layout.error();
    const std::size_t width = in.columns().size();
    CsvRecord rec;
    std::string encoding_note;
    while (in.next(rec, encoding_note)) {
      std::string locator = spec_.path + ":" + std::to_string(rec.line);
      if (!rec.ok) {
        reject(sink, locator, rec.error, rec.raw);
        continue;
      }
      if (rec.fields.size() != width) {
        reject(sink, locator,
               "expected " + std::to_string(width) + " fields, got " + std::to_string(rec.fields.size()), rec.raw);
        continue;
      }
      sink.feedback(to_feedback(rec, locator, *layout, encoding_note));
    }
    if (in.read_failed()) return make_error(ErrorKind::input, "read error in " + spec_.path);
    return ok_status();
  }

 private:
  Result<Layout> make_layout(const SurveyCsvInput& in, const SurveySettings& settings) const {
    Layout l;
    l.format = in.format();
    const auto& columns = in.columns();
    CsvColumns cols = columns_empty(spec_.columns) ? guess_export_columns(l.format, columns) : spec_.columns;
    // Configured names match a column's name, else (multi-row headers) its question.
    std::map<std::string, std::size_t> by_name, by_question;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      by_name.emplace(columns[i].name, i);
      if (l.format != ExportFormat::generic) by_question.emplace(columns[i].question, i);
      l.questions.push_back(columns[i].question);
    }
    auto column = [&](const std::string& name, std::optional<std::size_t>& out) -> Status {
      if (name.empty()) return ok_status();
      const std::string key = trim(name);
      if (auto it = by_name.find(key); it != by_name.end()) out = it->second;
      else if (auto q = by_question.find(key); q != by_question.end()) out = q->second;
      else
        return make_error(ErrorKind::config,
                          "source '" + spec_.name + "': column '" + name + "' is not in the header of " + spec_.path);
      return ok_status();
    };
    for (auto [name, slot] : {std::pair{&cols.id, &l.id}, {&cols.date, &l.date}, {&cols.customer, &l.customer},
                              {&cols.nps, &l.nps}, {&cols.csat, &l.csat}, {&cols.ces, &l.ces}}) {
      if (auto st = column(*name, *slot); !st) return st.error();
    }
    for (const auto* list : {&cols.text, &cols.metadata}) {
      for (const auto& name : *list) {
        std::optional<std::size_t> at;
        if (auto st = column(name, at); !st) return st.error();
        (list == &cols.text ? l.text : l.meta).emplace_back(l.format == ExportFormat::generic ? trim(name)
                                                                                               : columns[*at].name,
                                                            *at);
      }
    }
    l.date_zone = settings.timezone;
    if (l.date) {
      const std::string& declared = columns[*l.date].time_zone;
      if (!declared.empty() && known_time_zone(declared)) l.date_zone = declared;
      else if (!declared.empty()) l.zone_note = "unknown time zone '" + declared + "' in the header; read as " +
                                                (l.date_zone.empty() ? std::string("UTC") : l.date_zone);
    }
    return l;
  }

  void reject(RecordSink& sink, const std::string& locator, const std::string& reason, const std::string& raw) {
    sink.reject(Quarantined{spec_.name, locator, locator + ": " + reason, raw.substr(0, email::kMaxQuarantineBytes)});
  }

  // A score in lo..hi: "9", "+9", "9.0", or a labelled choice "10 -
  // Extremely likely". Anything else is left empty with a note; never guessed.
  static void score(const std::string& raw, int lo, int hi, const char* name, std::optional<int>& out,
                    std::vector<std::pair<std::string, std::string>>& notes) {
    std::string v = trim(raw);
    if (v.empty()) return;
    std::size_t i = v[0] == '-' || v[0] == '+' ? 1 : 0;
    const std::size_t digits = i;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
    const std::string rest = v.substr(i);
    const bool labelled = rest.size() > 3 && rest.compare(0, 3, " - ") == 0 && v[0] != '-';
    if (i == digits || !(rest.empty() || rest == ".0" || labelled)) {
      notes.emplace_back(std::string(name) + "_note", "not a number: '" + v + "'");
      return;
    }
    // More than 4 digits is out of any range; stoi would overflow on some.
    const int n = i - digits > 4 ? hi + 1 : std::stoi(v.substr(0, i));
    if (n < lo || n > hi) {
      notes.emplace_back(std::string(name) + "_note",
                         "out of range " + std::to_string(lo) + "-" + std::to_string(hi) + ": " + v);
      return;
    }
    out = n;
  }

  RawFeedback to_feedback(const CsvRecord& rec, const std::string& locator, const Layout& l,
                          const std::string& encoding_note) const {
    const bool exported = l.format != ExportFormat::generic;
    RawFeedback fb;
    fb.source = spec_.name;
    fb.channel = "survey";
    fb.locator = locator;
    const auto& f = rec.fields;
    if (l.id) fb.external_id = trim(f[*l.id]);
    if (fb.external_id.empty()) {
      std::string joined;
      for (const auto& x : f) joined += x + '\x1f';
      fb.external_id = content_hash(joined);
    }
    if (l.customer) fb.customer_key = lower(trim(f[*l.customer]));
    std::vector<std::pair<std::string, std::string>> notes;
    if (l.date) {
      std::string d = trim(f[*l.date]);
      if (auto iso = survey_date_to_utc(d, l.date_zone)) fb.received_at = *iso;
      else if (!d.empty()) notes.emplace_back("date_note", "unparsed date: '" + d + "'");
      if (!fb.received_at.empty() && !l.zone_note.empty()) notes.emplace_back("date_note", l.zone_note);
    }
    if (l.nps) score(f[*l.nps], 0, 10, "nps", fb.nps, notes);
    if (exported && fb.nps) notes.emplace_back("nps_category", nps_category(*fb.nps));
    if (l.csat) score(f[*l.csat], 1, 5, "csat", fb.csat, notes);
    if (l.ces) score(f[*l.ces], 1, 7, "ces", fb.ces, notes);
    std::vector<std::pair<std::string, std::string>> questions;
    for (const auto& [name, at] : l.text) {
      std::string t = trim(f[at]);
      if (t.empty()) continue;
      Turn turn;
      turn.speaker = Speaker::customer;
      turn.time = fb.received_at;
      turn.text = std::move(t);
      fb.turns.push_back(std::move(turn));
      if (exported) questions.emplace_back("question:" + name, l.questions[at]);
    }
    auto& md = fb.metadata;
    if (exported) {
      md.emplace_back("survey_format", format_name(l.format));
      if (!encoding_note.empty()) md.emplace_back("source_encoding", encoding_note);
    }
    for (auto& n : notes) md.push_back(std::move(n));
    for (auto& q : questions) md.push_back(std::move(q));
    for (const auto& [name, at] : l.meta) {
      if (!exported) md.emplace_back(name, f[at]);
      else if (std::string v = trim(f[at]); !v.empty()) md.emplace_back(name, std::move(v));
    }
    if (!exported && !encoding_note.empty()) md.emplace_back("source_encoding", encoding_note);
    return fb;
  }

  SourceSpec spec_;
};

}  // namespace

}  // namespace survey

std::unique_ptr<Source> make_survey_csv_source(const SourceSpec& spec) {
  return std::make_unique<survey::SurveyCsvSource>(spec);
}

}  // namespace cxmap
