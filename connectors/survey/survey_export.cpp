// Survey export layouts (Qualtrics, SurveyMonkey, generic); see survey_export.h.
// Poco JSON (the Qualtrics ImportId cells) stays in this file.
#include "connectors/survey/survey_export.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cctype>
#include <map>

#include "connectors/survey/survey_csv.h"

namespace cxmap::survey {

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

// "Response ID" -> "responseid" (letters and digits only, as guess_csv_columns).
std::string key_of(const std::string& name) {
  std::string k;
  for (unsigned char c : name)
    if (std::isalnum(c)) k += static_cast<char>(std::tolower(c));
  return k;
}

bool contains(const std::string& s, const char* part) {
  return s.find(part) != std::string::npos;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// `word` in `s` with no letter on either side.
bool has_word(const std::string& s, const std::string& word) {
  for (std::size_t at = s.find(word); at != std::string::npos; at = s.find(word, at + 1)) {
    bool left = at == 0 || !std::isalpha(static_cast<unsigned char>(s[at - 1]));
    std::size_t end = at + word.size();
    bool right = end >= s.size() || !std::isalpha(static_cast<unsigned char>(s[end]));
    if (left && right) return true;
  }
  return false;
}

std::string cell(const Row& row, std::size_t i) {
  return i < row.size() ? trim(row[i]) : std::string();
}

bool is_import_id_cell(const std::string& v) {
  return !v.empty() && v.front() == '{' && contains(v, "\"ImportId\"");
}

// {"ImportId":"recordedDate","timeZone":"America/Denver"} -> both strings.
void parse_import_id(const std::string& v, std::string& import_id, std::string& time_zone) {
  if (!is_import_id_cell(v)) return;
  try {
    Poco::JSON::Parser parser;
    auto obj = parser.parse(v).extract<Poco::JSON::Object::Ptr>();
    if (obj->has("ImportId")) import_id = obj->getValue<std::string>("ImportId");
    if (obj->has("timeZone")) time_zone = obj->getValue<std::string>("timeZone");
  } catch (...) {
    // Not JSON after all: the column simply has no import id.
  }
}

// Personal data the survey tools add that cxmap has no use for.
bool dropped(const std::string& k) {
  return k == "ipaddress" || k == "locationlatitude" || k == "locationlongitude" ||
         k == "recipientfirstname" || k == "recipientlastname" || k == "firstname" || k == "lastname";
}

enum class Score { none, nps, csat, ces };

Score score_of(const std::string& key, const std::string& question, bool has_nps_group) {
  std::string q = lower(question);
  if (has_nps_group || key == "nps" || key == "npsscore" || contains(q, "recommend")) return Score::nps;
  if (key == "csat" || key == "csatscore" || contains(q, "satisf")) return Score::csat;
  if (key == "ces" || key == "cesscore" || contains(q, "effort") || has_word(q, "easy")) return Score::ces;
  return Score::none;
}

// Puts `name` in the score slot if it is free; false when taken.
bool take_score(CsvColumns& c, Score s, const std::string& name) {
  std::string* slot = s == Score::nps    ? &c.nps
                      : s == Score::csat ? &c.csat
                      : s == Score::ces  ? &c.ces
                                         : nullptr;
  if (!slot || !slot->empty()) return false;
  *slot = name;
  return true;
}

// The first column whose key is one of `keys`, in the order of `keys`.
std::string first_of(const std::vector<ExportColumn>& cols, std::initializer_list<const char*> keys,
                     bool (*eligible)(const ExportColumn&)) {
  for (const char* k : keys)
    for (const auto& col : cols)
      if (eligible(col) && key_of(col.name) == k) return col.name;
  return "";
}

CsvColumns guess_qualtrics(const std::vector<ExportColumn>& cols) {
  CsvColumns c;
  auto any = [](const ExportColumn&) { return true; };
  c.id = first_of(cols, {"responseid"}, any);
  c.date = first_of(cols, {"recordeddate", "enddate", "startdate"}, any);
  c.customer = first_of(cols, {"recipientemail", "externalreference"}, any);
  std::map<std::string, bool> names;
  for (const auto& col : cols) names[lower(col.name)] = true;
  for (const auto& col : cols) {
    const std::string& n = col.name;
    std::string k = key_of(n);
    if (k.empty() || n == c.id || n == c.date || n == c.customer || dropped(k) || ends_with(k, "npsgroup"))
      continue;
    if (ends_with(lower(col.import_id), "_text")) {
      c.text.push_back(n);
      continue;
    }
    bool group = names.count(lower(n) + "_nps_group") > 0;
    if (take_score(c, score_of(k, col.question, group), n)) continue;
    c.metadata.push_back(n);
  }
  return c;
}

CsvColumns guess_surveymonkey(const std::vector<ExportColumn>& cols) {
  CsvColumns c;
  // System columns have no sub-label.
  auto system = [](const ExportColumn& col) { return col.sub_label.empty(); };
  c.id = first_of(cols, {"respondentid"}, system);
  c.date = first_of(cols, {"enddate", "startdate"}, system);
  c.customer = first_of(cols, {"emailaddress"}, system);
  for (const auto& col : cols) {
    const std::string& n = col.name;
    std::string k = key_of(n);
    if (k.empty() || n == c.id || n == c.date || n == c.customer) continue;
    std::string sub = lower(col.sub_label);
    if (sub.empty() && dropped(k)) continue;
    if (sub == "open-ended response" || contains(sub, "please specify")) {
      c.text.push_back(n);
      continue;
    }
    if ((sub.empty() || sub == "response") && take_score(c, score_of(k, col.question, false), n)) continue;
    c.metadata.push_back(n);
  }
  return c;
}

}  // namespace

const char* format_name(ExportFormat f) {
  switch (f) {
    case ExportFormat::qualtrics:
      return "qualtrics";
    case ExportFormat::surveymonkey:
      return "surveymonkey";
    case ExportFormat::generic:
      break;
  }
  return "generic";
}

std::optional<ExportFormat> parse_format_name(const std::string& name) {
  std::string n = lower(trim(name));
  if (n == "generic") return ExportFormat::generic;
  if (n == "qualtrics") return ExportFormat::qualtrics;
  if (n == "surveymonkey") return ExportFormat::surveymonkey;
  return std::nullopt;
}

ExportFormat detect_export_format(const std::vector<Row>& head) {
  if (head.size() >= 3) {
    std::size_t filled = 0, imports = 0;
    for (const auto& raw : head[2]) {
      std::string v = trim(raw);
      if (v.empty()) continue;
      ++filled;
      if (is_import_id_cell(v)) ++imports;
    }
    if (imports >= 1 && imports * 2 >= filled) return ExportFormat::qualtrics;
  }
  if (head.size() >= 2) {
    for (std::size_t i = 0; i < head[0].size(); ++i) {
      if (key_of(head[0][i]) != "respondentid") continue;
      bool blank_under = cell(head[1], i).empty();
      bool any = false;
      for (const auto& v : head[1]) any = any || !trim(v).empty();
      if (blank_under && any) return ExportFormat::surveymonkey;
      break;
    }
  }
  return ExportFormat::generic;
}

std::size_t header_rows(ExportFormat f) {
  switch (f) {
    case ExportFormat::qualtrics:
      return 3;
    case ExportFormat::surveymonkey:
      return 2;
    case ExportFormat::generic:
      break;
  }
  return 1;
}

std::vector<ExportColumn> export_columns(ExportFormat f, const std::vector<Row>& head) {
  std::vector<ExportColumn> cols;
  if (head.empty()) return cols;
  const Row empty;
  const Row& r1 = head[0];
  const Row& r2 = head.size() > 1 ? head[1] : empty;
  const Row& r3 = head.size() > 2 ? head[2] : empty;
  std::string question;  // surveymonkey: carried over blank row-1 cells
  for (std::size_t i = 0; i < r1.size(); ++i) {
    ExportColumn col;
    switch (f) {
      case ExportFormat::qualtrics:
        col.name = cell(r1, i);
        col.question = cell(r2, i);
        parse_import_id(cell(r3, i), col.import_id, col.time_zone);
        break;
      case ExportFormat::surveymonkey: {
        if (!cell(r1, i).empty()) question = cell(r1, i);
        col.question = question;
        col.sub_label = cell(r2, i);
        std::string sub = lower(col.sub_label);
        if (question.empty())
          col.name = col.sub_label;
        else if (sub.empty() || sub == "response" || sub == "open-ended response")
          col.name = question;
        else
          col.name = question + " - " + col.sub_label;
        break;
      }
      case ExportFormat::generic:
        col.name = cell(r1, i);
        col.question = col.name;
        break;
    }
    cols.push_back(std::move(col));
  }
  // Unique names: the second "Comments" is "Comments #2".
  std::map<std::string, int> seen;
  for (auto& col : cols) {
    if (col.name.empty()) continue;
    int n = ++seen[col.name];
    if (n > 1) col.name += " #" + std::to_string(n);
  }
  return cols;
}

CsvColumns guess_export_columns(ExportFormat f, const std::vector<ExportColumn>& columns) {
  switch (f) {
    case ExportFormat::qualtrics:
      return guess_qualtrics(columns);
    case ExportFormat::surveymonkey:
      return guess_surveymonkey(columns);
    case ExportFormat::generic:
      break;
  }
  std::vector<std::string> names;
  for (const auto& col : columns) names.push_back(col.name);
  return guess_csv_columns(names);
}

}  // namespace cxmap::survey
