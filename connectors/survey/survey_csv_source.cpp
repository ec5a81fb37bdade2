// Survey CSV connector: one RawFeedback per data row, columns mapped by
// CsvColumns (header names). Locator "path:LINE" (the line where the row
// starts). Broken rows (quoting, wrong field count) are rejected with
// "path:LINE: reason"; bad scores or dates are kept as metadata notes, not
// rejects, because the rest of the row is still good feedback.
#include <cctype>
#include <fstream>
#include <map>

#include "connectors/email/mime_message.h"
#include "connectors/source_kinds.h"
#include "connectors/survey/csv_reader.h"
#include "connectors/survey/survey_csv.h"
#include "connectors/timestamp.h"

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

bool is_blank_record(const CsvRecord& r) { return r.fields.size() == 1 && trim(r.fields[0]).empty(); }

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
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorKind::input, "cannot open " + path);
  CsvReader reader(in);
  CsvRecord rec;
  if (!reader.next(rec)) return make_error(ErrorKind::input, path + ": empty file, no header");
  if (!rec.ok) return make_error(ErrorKind::input, path + ":" + std::to_string(rec.line) + ": header: " + rec.error);
  for (auto& f : rec.fields) f = trim(f);
  return rec.fields;
}

namespace {

class SurveyCsvSource : public Source {
 public:
  explicit SurveyCsvSource(SourceSpec spec) : spec_(std::move(spec)) {}
  const SourceSpec& spec() const override { return spec_; }

  Status pull(RecordSink& sink, const std::string& /*cursor*/) override {
    std::ifstream in(spec_.path, std::ios::binary);
    if (!in) return make_error(ErrorKind::input, "cannot open survey CSV " + spec_.path);
    CsvReader reader(in);
    CsvRecord rec;
    // Header: the first non-blank record.
    bool have_header = false;
    while (reader.next(rec)) {
      if (is_blank_record(rec)) continue;
      if (!rec.ok)
        return make_error(ErrorKind::input, spec_.path + ":" + std::to_string(rec.line) + ": header: " + rec.error);
      have_header = true;
      break;
    }
    if (!have_header) return ok_status();  // empty file: nothing to read
    std::vector<std::string> header;
    for (auto& f : rec.fields) header.push_back(trim(f));
    CsvColumns cols = columns_empty(spec_.columns) ? guess_csv_columns(header) : spec_.columns;
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < header.size(); ++i) index.emplace(header[i], i);
    auto column = [&](const std::string& name, std::optional<std::size_t>& out) -> Status {
      if (name.empty()) return ok_status();
      auto it = index.find(trim(name));
      if (it == index.end())
        return make_error(ErrorKind::config,
                          "source '" + spec_.name + "': column '" + name + "' is not in the header of " + spec_.path);
      out = it->second;
      return ok_status();
    };
    std::optional<std::size_t> id, date, customer, nps, csat, ces;
    for (auto [name, slot] : {std::pair{&cols.id, &id}, {&cols.date, &date}, {&cols.customer, &customer},
                              {&cols.nps, &nps}, {&cols.csat, &csat}, {&cols.ces, &ces}}) {
      if (auto st = column(*name, *slot); !st) return st;
    }
    std::vector<std::pair<std::string, std::size_t>> text, meta;
    for (const auto* list : {&cols.text, &cols.metadata}) {
      for (const auto& name : *list) {
        std::optional<std::size_t> at;
        if (auto st = column(name, at); !st) return st;
        (list == &cols.text ? text : meta).emplace_back(trim(name), *at);
      }
    }
    while (reader.next(rec)) {
      if (is_blank_record(rec)) continue;
      std::string locator = spec_.path + ":" + std::to_string(rec.line);
      if (!rec.ok) {
        reject(sink, locator, rec.error, rec.raw);
        continue;
      }
      if (rec.fields.size() != header.size()) {
        reject(sink, locator,
               "expected " + std::to_string(header.size()) + " fields, got " + std::to_string(rec.fields.size()),
               rec.raw);
        continue;
      }
      sink.feedback(to_feedback(rec, locator, id, date, customer, nps, csat, ces, text, meta));
    }
    if (in.bad()) return make_error(ErrorKind::input, "read error in " + spec_.path);
    return ok_status();
  }

 private:
  void reject(RecordSink& sink, const std::string& locator, const std::string& reason, const std::string& raw) {
    sink.reject(Quarantined{spec_.name, locator, locator + ": " + reason, raw.substr(0, email::kMaxQuarantineBytes)});
  }

  static void score(const std::string& raw, int lo, int hi, const char* name, std::optional<int>& out,
                    RawFeedback& fb) {
    std::string v = trim(raw);
    if (v.empty()) return;
    std::size_t used = 0;
    int n = 0;
    bool numeric = false;
    try {
      n = std::stoi(v, &used);
      numeric = used == v.size() || (v.compare(used, std::string::npos, ".0") == 0);
    } catch (...) {
    }
    if (!numeric) {
      fb.metadata.emplace_back(std::string(name) + "_note", "not a number: '" + v + "'");
      return;
    }
    if (n < lo || n > hi) {
      fb.metadata.emplace_back(std::string(name) + "_note",
                               "out of range " + std::to_string(lo) + "-" + std::to_string(hi) + ": " + v);
      return;
    }
    out = n;
  }

  RawFeedback to_feedback(const CsvRecord& rec, const std::string& locator, std::optional<std::size_t> id,
                          std::optional<std::size_t> date, std::optional<std::size_t> customer,
                          std::optional<std::size_t> nps, std::optional<std::size_t> csat,
                          std::optional<std::size_t> ces, const std::vector<std::pair<std::string, std::size_t>>& text,
                          const std::vector<std::pair<std::string, std::size_t>>& meta) const {
    RawFeedback fb;
    fb.source = spec_.name;
    fb.channel = "survey";
    fb.locator = locator;
    const auto& f = rec.fields;
    if (id) fb.external_id = trim(f[*id]);
    if (fb.external_id.empty()) {
      std::string joined;
      for (const auto& x : f) joined += x + '\x1f';
      fb.external_id = content_hash(joined);
    }
    if (customer) fb.customer_key = lower(trim(f[*customer]));
    if (date) {
      std::string d = trim(f[*date]);
      if (auto iso = to_iso_utc(d)) fb.received_at = *iso;
      else if (!d.empty()) fb.metadata.emplace_back("date_note", "unparsed date: '" + d + "'");
    }
    if (nps) score(f[*nps], 0, 10, "nps", fb.nps, fb);
    if (csat) score(f[*csat], 1, 5, "csat", fb.csat, fb);
    if (ces) score(f[*ces], 1, 7, "ces", fb.ces, fb);
    for (const auto& [name, at] : text) {
      std::string t = trim(f[at]);
      if (t.empty()) continue;
      Turn turn;
      turn.speaker = Speaker::customer;
      turn.time = fb.received_at;
      turn.text = std::move(t);
      fb.turns.push_back(std::move(turn));
    }
    for (const auto& [name, at] : meta) fb.metadata.emplace_back(name, f[at]);
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
