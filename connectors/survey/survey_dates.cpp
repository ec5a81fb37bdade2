// Survey date parsing with a 12-hour clock and ICU time zones; see survey_dates.h.
#include "connectors/survey/survey_dates.h"

#include <unicode/ucal.h>

#include <cctype>
#include <cstdio>
#include <memory>
#include <vector>

#include "connectors/timestamp.h"

namespace cxmap::survey {

namespace {

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

bool is_utc_name(const std::string& z) {
  return z.empty() || z == "Z" || z == "UTC" || z == "GMT" || z == "Etc/UTC" || z == "Etc/GMT";
}

std::vector<UChar> uchars(const std::string& ascii) {
  std::vector<UChar> u;
  for (unsigned char c : ascii) u.push_back(static_cast<UChar>(c));
  return u;
}

// "...10:02:00 PM" -> "...22:02:00"; false when the suffix is there but the
// hour is not 1-12. Text without AM/PM is left alone.
bool to_24_hour(std::string& t) {
  if (t.size() < 3) return true;
  char a = static_cast<char>(std::toupper(static_cast<unsigned char>(t[t.size() - 2])));
  char m = static_cast<char>(std::toupper(static_cast<unsigned char>(t[t.size() - 1])));
  if (m != 'M' || (a != 'A' && a != 'P')) return true;
  // "10:02 PM" or "10:02PM", not the end of a word ("Amsterdam").
  unsigned char before = static_cast<unsigned char>(t[t.size() - 3]);
  if (!std::isspace(before) && !std::isdigit(before)) return true;
  std::string rest = trim(t.substr(0, t.size() - 2));
  std::size_t colon = rest.find(':');
  if (colon == std::string::npos) return false;
  std::size_t hb = colon;
  while (hb > 0 && std::isdigit(static_cast<unsigned char>(rest[hb - 1]))) --hb;
  if (hb == colon || colon - hb > 2) return false;
  int hour = std::stoi(rest.substr(hb, colon - hb));
  if (hour < 1 || hour > 12) return false;
  if (a == 'A' && hour == 12) hour = 0;
  if (a == 'P' && hour != 12) hour += 12;
  char hh[3];
  std::snprintf(hh, sizeof hh, "%02d", hour);
  t = rest.substr(0, hb) + hh + rest.substr(colon);
  return true;
}

// True when something follows the time of day: "Z", "+02:00", " -0500",
// " GMT"... A date without a time has no zone.
bool has_zone(const std::string& t) {
  std::size_t colon = t.find(':');
  if (colon == std::string::npos) return false;
  std::size_t i = colon;
  while (i < t.size() &&
         (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == ':' || t[i] == '.' || t[i] == ','))
    ++i;
  return !trim(t.substr(i)).empty();
}

// Days since 1970-01-01 -> civil date (H. Hinnant's algorithm).
void civil_from_days(long long z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long yy = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

struct CalendarCloser {
  void operator()(UCalendar* c) const { ucal_close(c); }
};

// "YYYY-MM-DDTHH:MM:SSZ" read as wall time in `zone` -> the same in UTC.
std::optional<std::string> wall_time_to_utc(const std::string& iso, const std::string& zone) {
  int y, mo, d, h, mi, s;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &s) != 6)
    return std::nullopt;
  std::vector<UChar> id = uchars(zone);
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<UCalendar, CalendarCloser> cal(
      ucal_open(id.data(), static_cast<int32_t>(id.size()), "en_US_POSIX", UCAL_GREGORIAN, &st));
  if (U_FAILURE(st) || !cal) return std::nullopt;
  ucal_clear(cal.get());
  ucal_setDateTime(cal.get(), y, mo - 1, d, h, mi, s, &st);
  UDate ms = ucal_getMillis(cal.get(), &st);
  if (U_FAILURE(st)) return std::nullopt;
  long long secs = static_cast<long long>(ms / 1000.0);
  long long days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  long long rem = secs - days * 86400;
  int yy;
  unsigned mm, dd;
  civil_from_days(days, yy, mm, dd);
  const int hh = static_cast<int>(rem / 3600), mn = static_cast<int>(rem / 60 % 60),
            ss = static_cast<int>(rem % 60);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", yy, mm, dd, hh, mn, ss);
  return std::string(buf);
}

}  // namespace

bool known_time_zone(const std::string& zone) {
  if (is_utc_name(zone)) return true;
  std::vector<UChar> id = uchars(zone);
  UChar canonical[128];
  UBool system = false;
  UErrorCode st = U_ZERO_ERROR;
  ucal_getCanonicalTimeZoneID(id.data(), static_cast<int32_t>(id.size()), canonical, 128, &system, &st);
  return U_SUCCESS(st) && system;
}

std::optional<std::string> survey_date_to_utc(const std::string& raw, const std::string& zone) {
  std::string t = trim(raw);
  if (t.empty() || !to_24_hour(t)) return std::nullopt;
  auto iso = to_iso_utc(t);
  if (!iso || is_utc_name(zone) || has_zone(t)) return iso;
  return wall_time_to_utc(*iso, zone);
}

}  // namespace cxmap::survey
