// Opening a survey CSV: settings, decoding, header rows; see survey_csv_input.h.
// Poco JSON (the settings) stays in this file.
#include "connectors/survey/survey_csv_input.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cctype>

#include "connectors/survey/survey_dates.h"

namespace cxmap::survey {

namespace {

bool is_blank(const CsvRecord& r) {
  if (!r.ok || r.fields.size() != 1) return false;
  for (unsigned char c : r.fields[0])
    if (!std::isspace(c)) return false;
  return true;
}

}  // namespace

Result<SurveySettings> parse_survey_settings(const std::string& json, const std::string& source_name) {
  const std::string who = "source '" + source_name + "': ";
  SurveySettings s;
  std::string format;
  try {
    Poco::JSON::Parser parser;
    auto var = parser.parse(json.empty() ? std::string("{}") : json);
    if (var.type() != typeid(Poco::JSON::Object::Ptr))
      return make_error(ErrorKind::config, who + "settings are not an object");
    auto obj = var.extract<Poco::JSON::Object::Ptr>();
    auto text = [&](const char* key, std::string& out) -> Status {
      if (!obj->has(key) || obj->isNull(key)) return ok_status();
      auto v = obj->get(key);
      if (!v.isString()) return make_error(ErrorKind::config, who + "\"" + key + "\" must be a string");
      out = v.extract<std::string>();
      return ok_status();
    };
    for (auto [key, out] :
         {std::pair{"format", &format}, {"encoding", &s.encoding}, {"timezone", &s.timezone}})
      if (auto st = text(key, *out); !st) return st.error();
  } catch (const std::exception& e) {
    return make_error(ErrorKind::config, who + "bad settings: " + e.what());
  }
  if (!format.empty() && format != "auto") {
    s.format = parse_format_name(format);
    if (!s.format)
      return make_error(ErrorKind::config, who + "unknown survey \"format\" '" + format +
                                               "' (expected auto, generic, qualtrics or surveymonkey)");
  }
  if (auto enc = choose_encoding(std::string_view(), s.encoding); !enc)
    return make_error(ErrorKind::config, who + enc.error().message);
  if (!known_time_zone(s.timezone))
    return make_error(ErrorKind::config, who + "unknown \"timezone\" '" + s.timezone +
                                             "' (expected an IANA zone such as Europe/Paris, or UTC)");
  return s;
}

Result<std::unique_ptr<SurveyCsvInput>> SurveyCsvInput::open(const std::string& path,
                                                             const SurveySettings& settings) {
  std::unique_ptr<SurveyCsvInput> in(new SurveyCsvInput());
  in->path_ = path;
  in->file_.open(path, std::ios::binary);
  if (!in->file_) return make_error(ErrorKind::input, "cannot open survey CSV " + path);
  char first[4] = {};
  in->file_.read(first, sizeof first);
  auto got = static_cast<std::size_t>(in->file_.gcount());
  in->file_.clear();
  in->file_.seekg(0);
  auto enc = choose_encoding(std::string_view(first, got), settings.encoding);
  if (!enc) return enc.error();
  in->encoding_ = *enc;
  if (!in->encoding_.stream_charset.empty()) {
    auto t = Utf8Transcoder::open(in->file_, in->encoding_.stream_charset,
                                  static_cast<std::streamoff>(in->encoding_.skip));
    if (!t) return make_error(t.error().kind, path + ": " + t.error().message);
    in->transcoder_ = std::move(*t);
    in->decoded_ = std::make_unique<std::istream>(in->transcoder_.get());
    in->reader_ = std::make_unique<CsvReader>(*in->decoded_);
  } else {
    in->reader_ = std::make_unique<CsvReader>(in->file_);
  }

  // Up to three records decide the format; a broken one ends the look-ahead.
  std::vector<Row> head;
  CsvRecord rec;
  std::string note;
  while (head.size() < 3 && in->read(rec, note)) {
    if (!rec.ok && head.empty())
      return make_error(ErrorKind::input, path + ":" + std::to_string(rec.line) + ": header: " + rec.error);
    in->pending_.emplace_back(rec, note);
    if (!rec.ok) break;
    head.push_back(rec.fields);
  }
  if (head.empty()) return in;  // empty file: no header, no records
  in->format_ = settings.format ? *settings.format : detect_export_format(head);
  const std::size_t rows = header_rows(in->format_);
  if (rows > head.size()) {
    // Only a configured format can ask for more header rows than are good.
    if (in->pending_.size() > head.size()) {
      const CsvRecord& bad = in->pending_[head.size()].first;
      return make_error(ErrorKind::input, path + ":" + std::to_string(bad.line) + ": header row " +
                                              std::to_string(head.size() + 1) + ": " + bad.error);
    }
    return make_error(ErrorKind::input, path + ": a " + std::string(format_name(in->format_)) +
                                            " export has " + std::to_string(rows) +
                                            " header rows, this file has " + std::to_string(head.size()));
  }
  head.resize(rows);
  for (std::size_t i = 0; i < rows; ++i) in->pending_.pop_front();
  in->columns_ = export_columns(in->format_, head);
  return in;
}

bool SurveyCsvInput::read(CsvRecord& rec, std::string& note) {
  while (reader_->next(rec)) {
    if (is_blank(rec)) continue;
    note = encoding_.stream_note;
    bool converted = false;
    for (auto& f : rec.fields) converted = decode_field(f, encoding_.fallback) || converted;
    if (converted && note.empty()) note = encoding_.fallback + " (not valid UTF-8)";
    return true;
  }
  return false;
}

bool SurveyCsvInput::next(CsvRecord& rec, std::string& note) {
  if (!pending_.empty()) {
    rec = std::move(pending_.front().first);
    note = std::move(pending_.front().second);
    pending_.pop_front();
    return true;
  }
  return read(rec, note);
}

bool SurveyCsvInput::read_failed() const {
  return transcoder_ ? transcoder_->failed() : file_.bad();
}

}  // namespace cxmap::survey
