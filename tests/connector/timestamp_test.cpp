// Focus: to_iso_utc()'s own reader of RFC 5322 and ISO-8601 dates gives
// exactly Poco's answers, on seeded dates around every edge it handles
// (month ends, leap days, zones that cross midnight and year ends, out of
// range fields that must go to Poco, near misses of both shapes).
#include <catch2/catch.hpp>
#include <cstdio>
#include <random>
#include <string>

#include "connectors/timestamp.h"

using namespace cxmap;

namespace {

std::string two(int v) {
  char b[8];
  std::snprintf(b, sizeof b, "%02d", v);
  return b;
}

std::string zone(std::mt19937& rng, bool colon) {
  static const int kZones[] = {0, 60, 120, 330, 345, 600, 840, -60, -300, -480, -570, -720, -1439, 1439};
  const int z = kZones[rng() % (sizeof kZones / sizeof kZones[0])];
  const int a = z < 0 ? -z : z;
  return std::string(z < 0 ? "-" : "+") + two(a / 60) + (colon ? ":" : "") + two(a % 60);
}

}  // namespace

TEST_CASE("the date fast path gives Poco's answers", "[connector][timestamp]") {
  static const char* const kDays[] = {"Mon, ", "Tue, ", "Wed, ", "Thu, ", "Fri, ", "Sat, ", "Sun, ", "", "Xyz, "};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                        "Aug", "Sep", "Oct", "Nov", "Dec", "Foo"};
  static const int kYears[] = {1969, 1970, 1999, 2000, 2024, 2025, 2026, 2100, 2199, 2200, 2201};
  std::mt19937 rng(20261123);
  auto pick = [&](int lo, int hi) { return lo + static_cast<int>(rng() % static_cast<unsigned>(hi - lo + 1)); };
  int mismatches = 0, fast_shapes = 0;
  for (int i = 0; i < 20000; ++i) {
    const int year = kYears[rng() % 11];
    const int month = pick(1, 13);  // 13: out of range
    const int day = pick(0, 32), hour = pick(0, 24), minute = pick(0, 60), second = pick(0, 60);
    std::string text;
    switch (rng() % 6) {
      case 0:
      case 1:  // RFC 5322 with a numeric zone (the fast shape), one- or two-digit day
        text = std::string(kDays[rng() % 9]) + (rng() % 2 ? std::to_string(day) : two(day)) + " " +
               kMonths[(month - 1) % 13] + " " + std::to_string(year) + " " + two(hour) + ":" + two(minute) + ":" +
               two(second) + " " + zone(rng, false);
        break;
      case 2:  // ISO-8601 with Z, +HH:MM, +HHMM or no zone (the fast shape)
        text = std::to_string(year) + "-" + two(month) + "-" + two(day) + "T" + two(hour) + ":" + two(minute) +
               ":" + two(second);
        switch (rng() % 4) {
          case 0: text += "Z"; break;
          case 1: text += zone(rng, true); break;
          case 2: text += zone(rng, false); break;
          default: break;
        }
        break;
      case 3:  // near misses: named zones, comments, missing seconds, spaces
        text = two(day) + " " + kMonths[(month - 1) % 13] + " " + std::to_string(year) + " " + two(hour) + ":" +
               two(minute) + (rng() % 2 ? ":" + two(second) : "") + (rng() % 2 ? " EST" : " +0100 (CET)");
        break;
      case 4:
        text = std::to_string(year) + "-" + two(month) + "-" + two(day) + (rng() % 2 ? " " : "T") + two(hour) +
               ":" + two(minute) + (rng() % 2 ? ".5" : "") + (rng() % 2 ? "Z" : "");
        break;
      default:  // surrounding space and the fast shapes cut short
        text = "  " + std::to_string(year) + "-" + two(month) + "-" + two(day) + "T" + two(hour) + ":" +
               two(minute) + ":" + two(second) + "+01:00 ";
        if (rng() % 3 == 0) text = text.substr(0, rng() % text.size());
        break;
    }
    if (!text.empty() && rng() % 8 == 0) text.resize(rng() % text.size());  // any shape cut short
    const auto fast = to_iso_utc(text), poco = to_iso_utc_poco(text);
    if (fast != poco) {
      ++mismatches;
      if (mismatches <= 5)
        FAIL_CHECK("\"" << text << "\": fast " << fast.value_or("(none)") << ", Poco " << poco.value_or("(none)"));
    }
    if (poco) ++fast_shapes;
  }
  CHECK(mismatches == 0);
  CHECK(fast_shapes > 5000);  // the seeds reach valid dates, not only rejects
}

TEST_CASE("the date fast path handles zones across days and leap years", "[connector][timestamp]") {
  CHECK(to_iso_utc("Thu, 31 Dec 2026 23:30:00 -0100") == "2027-01-01T00:30:00Z");
  CHECK(to_iso_utc("1 Jan 2026 00:10:00 +0100") == "2025-12-31T23:10:00Z");
  CHECK(to_iso_utc("29 Feb 2024 12:00:00 +0000") == "2024-02-29T12:00:00Z");
  CHECK(to_iso_utc("2024-02-29T23:59:59-05:30") == "2024-03-01T05:29:59Z");
  CHECK(to_iso_utc("2026-03-01T00:00:00+0100") == "2026-02-28T23:00:00Z");
  // Cut short inside the month or the zone: no answer from either reader,
  // and no out-of-range read.
  CHECK(to_iso_utc("1 Ja") == to_iso_utc_poco("1 Ja"));
  CHECK(to_iso_utc("Mon, 1 Jan 2026 10:00:00 +01") == to_iso_utc_poco("Mon, 1 Jan 2026 10:00:00 +01"));
}
