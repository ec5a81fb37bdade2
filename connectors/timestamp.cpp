// Timestamp normalisation with Poco::DateTimeParser; see timestamp.h.
#include "connectors/timestamp.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <string_view>

namespace cxmap {

namespace {

std::optional<std::string> format_utc(Poco::DateTime dt, int tzd) {
  if (dt.year() < 1970 || dt.year() > 2200) return std::nullopt;
  dt.makeUTC(tzd);
  return Poco::DateTimeFormatter::format(dt, "%Y-%m-%dT%H:%M:%SZ");
}

// Reads exactly n digits at s[at], advancing at.
bool digits(std::string_view s, std::size_t& at, int n, int& out) {
  if (at + static_cast<std::size_t>(n) > s.size()) return false;
  out = 0;
  for (int k = 0; k < n; ++k) {
    const char c = s[at++];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian), after H. Hinnant's
// civil-date algorithm.
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

struct LocalTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int zone_minutes = 0;  // east of UTC
};

// The UTC time as ISO-8601, or nothing when a field is out of range (the
// caller then asks Poco, which decides what such input means).
std::optional<std::string> iso_of(const LocalTime& t) {
  if (t.year < 1970 || t.year > 2200 || t.month < 1 || t.month > 12 || t.day < 1 ||
      t.day > days_in_month(t.year, t.month) || t.hour > 23 || t.minute > 59 || t.second > 59)
    return std::nullopt;
  std::int64_t s = days_from_civil(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.minute * 60 + t.second -
                   t.zone_minutes * 60;
  std::int64_t days = s / 86400, rem = s % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // civil_from_days, the inverse of days_from_civil.
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  char buf[80];  // room for any int, as the compiler asks; 20 bytes are used
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, static_cast<int>(rem / 3600),
                static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
  return std::string(buf);
}

// "+HHMM" / "-HHMM" (colon optional when colon_ok) at s[at].
bool numeric_zone(std::string_view s, std::size_t& at, bool colon_ok, int& minutes) {
  if (at >= s.size() || (s[at] != '+' && s[at] != '-')) return false;
  const int sign = s[at++] == '-' ? -1 : 1;
  int h = 0, m = 0;
  if (!digits(s, at, 2, h)) return false;
  if (colon_ok && at < s.size() && s[at] == ':') ++at;
  if (!digits(s, at, 2, m) || h > 23 || m > 59) return false;
  minutes = sign * (h * 60 + m);
  return true;
}

// Reads the byte c at s[at], advancing at.
bool expect(std::string_view s, std::size_t& at, char c) {
  if (at >= s.size() || s[at] != c) return false;
  ++at;
  return true;
}

// n digits, then the byte after them.
bool field(std::string_view s, std::size_t& at, int n, int& out, char then) {
  return digits(s, at, n, out) && expect(s, at, then);
}

// RFC 5322: "[Www, ]D Mmm YYYY HH:MM:SS +HHMM", single spaces, numeric zone.
std::optional<std::string> rfc5322(std::string_view s) {
  static constexpr std::string_view kDays[] = {"Mon, ", "Tue, ", "Wed, ", "Thu, ", "Fri, ", "Sat, ", "Sun, "};
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::size_t at = 0;
  for (std::string_view d : kDays)
    if (s.substr(0, 5) == d) at = 5;
  LocalTime t;
  const int day_digits = at + 1 < s.size() && s[at + 1] >= '0' && s[at + 1] <= '9' ? 2 : 1;
  if (!field(s, at, day_digits, t.day, ' ')) return std::nullopt;
  for (int m = 0; m < 12; ++m)
    if (s.substr(at, 3) == kMonths[m]) t.month = m + 1;
  if (t.month == 0) return std::nullopt;
  at += 3;
  if (!expect(s, at, ' ') || !field(s, at, 4, t.year, ' ') || !field(s, at, 2, t.hour, ':') ||
      !field(s, at, 2, t.minute, ':') || !field(s, at, 2, t.second, ' ') ||
      !numeric_zone(s, at, false, t.zone_minutes) || at != s.size())
    return std::nullopt;
  return iso_of(t);
}

// ISO-8601: "YYYY-MM-DDTHH:MM:SS" then "Z", "+HH:MM", "+HHMM" or nothing.
std::optional<std::string> iso8601(std::string_view s) {
  LocalTime t;
  std::size_t at = 0;
  if (!field(s, at, 4, t.year, '-') || !field(s, at, 2, t.month, '-') || !field(s, at, 2, t.day, 'T') ||
      !field(s, at, 2, t.hour, ':') || !field(s, at, 2, t.minute, ':') || !digits(s, at, 2, t.second))
    return std::nullopt;
  if (at < s.size() && !expect(s, at, 'Z') && !numeric_zone(s, at, true, t.zone_minutes)) return std::nullopt;
  if (at != s.size()) return std::nullopt;
  return iso_of(t);
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> to_iso_utc(const std::string& raw) {
  // Poco guesses the format with a dozen regular expressions per call, the
  // largest cost of reading a mail after MIME; these two shapes are read
  // directly, and anything else (named zones, comments, other layouts, out
  // of range fields) goes to Poco.
  const std::string_view s = trimmed(raw);
  if (!s.empty() && s.front() >= '0' && s.front() <= '9' && s.size() >= 19 && s[4] == '-') {
    if (auto iso = iso8601(s)) return iso;
  } else if (auto rfc = rfc5322(s)) {
    return rfc;
  }
  return to_iso_utc_poco(raw);
}

std::optional<std::string> to_iso_utc_poco(const std::string& raw) {
  std::string text = raw;
  // Drop a trailing comment such as "(CEST)" and surrounding space.
  if (auto paren = text.find('('); paren != std::string::npos) text.resize(paren);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  std::size_t b = 0;
  while (b < text.size() && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
  text.erase(0, b);
  if (text.empty()) return std::nullopt;
  // Most specific formats first: Poco 1.11 does not reject trailing text.
  static const char* const kFormats[] = {
      "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%s%z", "%Y-%m-%dT%H:%M%z",  "%Y-%m-%d %H:%M:%S%z",
      "%Y-%m-%d %H:%M%z",    "%m/%d/%Y %H:%M:%S",   "%m/%d/%Y %H:%M",    "%w, %e %b %Y %H:%M:%S %Z",
      "%e %b %Y %H:%M:%S %Z", "%w, %e %b %Y %H:%M %Z", "%e %b %Y %H:%M %Z", "%Y-%m-%d", "%m/%d/%Y"};
  auto has_time = text.find(':') != std::string::npos;
  try {
    Poco::DateTime dt;
    int tzd = 0;
    if (Poco::DateTimeParser::tryParse(text, dt, tzd)) {
      // Guessing succeeded; for date-only input make sure a time was not lost.
      if (auto iso = format_utc(dt, tzd)) return iso;
    }
    for (const char* fmt : kFormats) {
      std::string f(fmt);
      bool fmt_time = f.find("%H") != std::string::npos;
      if (fmt_time != has_time) continue;
      tzd = 0;
      if (Poco::DateTimeParser::tryParse(f, text, dt, tzd))
        if (auto iso = format_utc(dt, tzd)) return iso;
    }
  } catch (...) {
    // Poco throws on some malformed input despite tryParse; treat as unparseable.
  }
  return std::nullopt;
}

}  // namespace cxmap
