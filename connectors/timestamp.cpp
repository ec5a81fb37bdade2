// Timestamp normalisation with Poco::DateTimeParser; see timestamp.h.
#include "connectors/timestamp.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>

#include <cctype>

namespace cxmap {

namespace {

std::optional<std::string> format_utc(Poco::DateTime dt, int tzd) {
  if (dt.year() < 1970 || dt.year() > 2200) return std::nullopt;
  dt.makeUTC(tzd);
  return Poco::DateTimeFormatter::format(dt, "%Y-%m-%dT%H:%M:%SZ");
}

}  // namespace

std::optional<std::string> to_iso_utc(const std::string& raw) {
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
