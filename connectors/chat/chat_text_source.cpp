// Plain-text chat transcript connector (kind "chat_text"): one conversation
// per file; a folder is read as its .txt files in name order. The file is
// read line by line; it never tags, and never guesses a speaker.
//
//   Conversation: CH-77            <- optional header lines, "Key: value",
//   Date: 2026-09-03                  before the first turn
//   Customer: maria@example.com
//   Subject: Lost parcel
//
//   [10:02] Bot: Hi! How can I help?
//   [2026-09-03 10:02:30] Customer: My parcel is lost.
//   It was due Monday.             <- continuation: appended to the turn above
//   [10:05 AM] Agent: Sorry, let me check.
//
// Rules:
//  - A turn line is "[time] Name: text". The time is "H:MM", "HH:MM:SS"
//    (optionally with AM/PM) or a full date-time in any form to_iso_utc()
//    reads. Name is a speaker name (customer, agent, bot and the synonyms of
//    parse_speaker(), help-desk roles such as admin, or a "Tom (agent)" form)
//    or a raw value mapped by the entry's "fields": {"speakers": {...}}.
//  - Any other line after the first turn continues the turn above it (joined
//    with "\n"; trailing blank lines dropped). Before the first turn, a
//    "Key: value" line is a header and other lines are kept in metadata as
//    "preamble".
//  - Headers: Conversation / Conversation ID / ID / Chat ID / Ticket -> the
//    external id (else the file name without extension); Date / Started ->
//    the date; Customer / Email -> the customer key; Subject / Topic -> the
//    subject; any other header -> metadata (key lowercased).
//  - The date of a time-only turn is the date of the latest full date seen
//    above it in the file (a Date header or a dated turn), else the date of
//    the file's modification time in UTC (then metadata "date_from" = "mtime").
//    When a time-only turn is earlier in the day than the turn before it, the
//    conversation crossed midnight and the date moves on by one day. Times
//    without a zone are UTC, as everywhere in cxmap.
//  - received_at is the Date header when it carries a time, else the first
//    turn's time.
//  - Rejects: a turn with an unknown speaker (locator "path:line"), a file
//    with no turn line (locator "path"). The run goes on with the next file.
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

#include "connectors/chat/chat_fields.h"
#include "connectors/email/mime_message.h"
#include "connectors/source_kinds.h"
#include "connectors/timestamp.h"

namespace cxmap {

namespace {

namespace fs = std::filesystem;

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void rtrim(std::string& s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
}

// "9:05", "09:05:30", "9:05 pm" -> seconds since midnight.
std::optional<int> time_of_day(const std::string& text) {
  std::string t = lower(trim(text));
  int meridiem = 0;  // 1 am, 2 pm
  for (const char* suffix : {"am", "pm", "a.m.", "p.m."}) {
    std::string s(suffix);
    if (t.size() > s.size() && t.compare(t.size() - s.size(), s.size(), s) == 0) {
      meridiem = s[0] == 'a' ? 1 : 2;
      t = trim(t.substr(0, t.size() - s.size()));
      break;
    }
  }
  int parts[3] = {0, 0, 0};
  int count = 0;
  std::size_t i = 0;
  while (count < 3) {
    std::size_t start = i;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
    std::size_t len = i - start;
    if (len == 0 || len > 2 || (count > 0 && len != 2)) return std::nullopt;
    parts[count++] = std::stoi(t.substr(start, len));
    if (i == t.size()) break;
    if (t[i] != ':') return std::nullopt;
    ++i;
  }
  if (i != t.size() || count < 2) return std::nullopt;
  int h = parts[0], m = parts[1], s = parts[2];
  if (m > 59 || s > 59) return std::nullopt;
  if (meridiem) {
    if (h < 1 || h > 12) return std::nullopt;
    h = h % 12 + (meridiem == 2 ? 12 : 0);
  } else if (h > 23) {
    return std::nullopt;
  }
  return h * 3600 + m * 60 + s;
}

std::optional<std::chrono::year_month_day> date_of(const std::string& iso) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (iso.size() < 10 || std::sscanf(iso.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

std::string iso_of(std::chrono::year_month_day date, int seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), seconds / 3600,
                seconds / 60 % 60, seconds % 60);
  return buf;
}

int seconds_of(const std::string& iso) {
  int h = 0, m = 0, s = 0;
  if (iso.size() >= 19 && std::sscanf(iso.c_str() + 11, "%2d:%2d:%2d", &h, &m, &s) == 3)
    return h * 3600 + m * 60 + s;
  return 0;
}

std::optional<std::chrono::year_month_day> mtime_date(const std::string& path) {
  std::error_code ec;
  auto ftime = fs::last_write_time(path, ec);
  if (ec) return std::nullopt;
  auto sys = std::chrono::file_clock::to_sys(ftime);
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(sys)};
}

// A "[time] Name: text" line, split; nullopt when the line is not one.
struct TurnLine {
  std::string time;  // the bracket's content
  std::string name;
  std::string text;
};

std::optional<TurnLine> split_turn_line(const std::string& line) {
  std::size_t b = line.find_first_not_of(" \t");
  if (b == std::string::npos || line[b] != '[') return std::nullopt;
  std::size_t close = line.find(']', b + 1);
  if (close == std::string::npos || close - b - 1 > 40) return std::nullopt;
  std::size_t colon = line.find(':', close + 1);
  if (colon == std::string::npos) return std::nullopt;
  TurnLine t;
  t.time = line.substr(b + 1, close - b - 1);
  t.name = trim(std::string_view(line).substr(close + 1, colon - close - 1));
  if (t.name.empty() || t.name.size() > 64 || t.name.find('[') != std::string::npos) return std::nullopt;
  t.text = trim(std::string_view(line).substr(colon + 1));
  return t;
}

// "Key: value" before the first turn.
bool split_header(const std::string& line, std::string& key, std::string& value) {
  std::size_t colon = line.find(':');
  if (colon == std::string::npos || colon == 0 || colon > 32) return false;
  std::string k = trim(std::string_view(line).substr(0, colon));
  if (k.empty()) return false;
  for (char c : k)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != ' ' && c != '-' && c != '_') return false;
  key = lower(k);
  value = trim(std::string_view(line).substr(colon + 1));
  return true;
}

class ChatTextSource : public Source {
 public:
  explicit ChatTextSource(SourceSpec spec) : spec_(std::move(spec)) {}
  const SourceSpec& spec() const override { return spec_; }

  Status pull(RecordSink& sink, const std::string& /*cursor*/) override {
    auto fields = chat::read_field_map(spec_);
    if (!fields) return fields.error();
    fields_ = std::move(fields).value();
    auto listed = file_or_folder_files(spec_.path, ".txt");
    if (!listed) return listed.error();
    for (const auto& path : keep_inside_root(spec_, std::move(*listed), sink)) {
      if (sink.stop_requested()) break;
      read_one_file(path, sink);
    }
    return ok_status();
  }

 private:
  void reject(RecordSink& sink, const std::string& locator, const std::string& reason,
              const std::string& raw) {
    sink.reject(
        Quarantined{spec_.name, locator, locator + ": " + reason, raw.substr(0, email::kMaxQuarantineBytes)});
  }

  std::optional<Speaker> speaker_of(const std::string& name) const {
    if (auto s = chat::map_speaker(fields_, name)) return s;
    // "Tom (Agent)": the role in parentheses.
    std::size_t open = name.rfind('(');
    if (open != std::string::npos && name.back() == ')')
      return chat::map_speaker(fields_, name.substr(open + 1, name.size() - open - 2));
    return std::nullopt;
  }

  void read_one_file(const std::string& path, RecordSink& sink) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      reject(sink, path, "cannot open the file", "");
      return;
    }
    RawFeedback fb;
    fb.source = spec_.name;
    fb.channel = "chat";
    fb.locator = path;
    std::optional<std::chrono::year_month_day> date;  // running date for time-only turns
    std::string header_time;                          // Date header with a time, as ISO
    std::string preamble;
    std::string raw;  // what was read, for a reject
    bool used_mtime = false;
    int previous_seconds = -1;
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (number == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (raw.size() < email::kMaxQuarantineBytes) raw += line + "\n";
      auto turn_line = split_turn_line(line);
      std::optional<int> day_seconds;
      std::optional<std::string> full;
      if (turn_line) {
        day_seconds = time_of_day(turn_line->time);
        if (!day_seconds) full = to_iso_utc(turn_line->time);
        if (!day_seconds && !full) turn_line.reset();  // "[link] see: ..." is text
      }
      if (!turn_line) {
        if (!fb.turns.empty()) {
          std::string& text = fb.turns.back().text;
          std::string more = line;
          rtrim(more);
          text += "\n" + more;
        } else if (std::string key, value; split_header(line, key, value)) {
          header(fb, key, value, date, header_time);
        } else if (!trim(line).empty()) {
          preamble += (preamble.empty() ? "" : "\n") + trim(line);
        }
        continue;
      }
      auto speaker = speaker_of(turn_line->name);
      if (!speaker) {
        reject(sink, path + ":" + std::to_string(number),
               "unknown speaker '" + turn_line->name + "' (map it in \"fields\": {\"speakers\": {...}})",
               raw);
        return;
      }
      Turn turn;
      turn.speaker = *speaker;
      turn.text = turn_line->text;
      if (full) {
        turn.time = *full;
        date = date_of(*full);
        previous_seconds = seconds_of(*full);
      } else {
        if (!date) {
          date = mtime_date(path);
          used_mtime = date.has_value();
        }
        if (date && previous_seconds >= 0 && *day_seconds < previous_seconds)
          date = std::chrono::year_month_day{std::chrono::sys_days(*date) + std::chrono::days{1}};
        if (date) turn.time = iso_of(*date, *day_seconds);
        previous_seconds = *day_seconds;
      }
      fb.turns.push_back(std::move(turn));
    }
    if (in.bad()) {
      reject(sink, path, "read error after line " + std::to_string(number), raw);
      return;
    }
    if (fb.turns.empty()) {
      reject(sink, path, "no \"[time] Speaker: text\" line found", raw);
      return;
    }
    for (Turn& t : fb.turns)
      while (!t.text.empty() && (t.text.back() == '\n' || t.text.back() == ' ')) t.text.pop_back();
    if (fb.external_id.empty()) fb.external_id = fs::path(path).stem().string();
    fb.received_at = !header_time.empty() ? header_time : fb.turns.front().time;
    if (!preamble.empty()) fb.metadata.emplace_back("preamble", preamble);
    if (used_mtime) fb.metadata.emplace_back("date_from", "mtime");
    sink.feedback(std::move(fb));
  }

  static void header(RawFeedback& fb, const std::string& key, const std::string& value,
                     std::optional<std::chrono::year_month_day>& date, std::string& header_time) {
    if (key == "conversation" || key == "conversation id" || key == "conversation_id" || key == "id" ||
        key == "chat id" || key == "ticket") {
      fb.external_id = value;
    } else if (key == "date" || key == "started" || key == "started at") {
      auto iso = to_iso_utc(value);
      if (!iso) {
        fb.metadata.emplace_back("date_unparsed", value);
        return;
      }
      date = date_of(*iso);
      if (value.find(':') != std::string::npos) header_time = *iso;
    } else if (key == "customer" || key == "email" || key == "customer email") {
      fb.customer_key = lower(value);
    } else if (key == "subject" || key == "topic") {
      fb.subject = value;
    } else {
      fb.metadata.emplace_back(key, value);
    }
  }

  SourceSpec spec_;
  chat::FieldMap fields_;
};

}  // namespace

bool looks_like_chat_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  for (int n = 0; n < 200 && std::getline(in, line); ++n) {
    if (n == 0 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    if (auto t = split_turn_line(line); t && (time_of_day(t->time) || to_iso_utc(t->time))) return true;
  }
  return false;
}

std::unique_ptr<Source> make_chat_text_source(const SourceSpec& spec) {
  return std::make_unique<ChatTextSource>(spec);
}

}  // namespace cxmap
