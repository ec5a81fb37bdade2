// Survey dates -> ISO-8601 UTC, on top of connectors/timestamp.h.
//
// Adds what survey exports need and to_iso_utc() does not do:
//  - a 12-hour clock: SurveyMonkey writes "09/03/2026 10:02:00 PM"; Poco
//    would silently ignore the "PM", so the hour is converted here first;
//  - a time zone for times written without one: Qualtrics names it per
//    column in its third header row ({"ImportId":"recordedDate",
//    "timeZone":"America/Denver"}), and a source can configure "timezone".
//    Local wall time is converted with ICU's calendar (DST included). A time
//    that carries its own zone or offset keeps it.
// Never guesses: text that does not parse gives nullopt and the caller
// records it. ICU's UErrorCode stays in survey_dates.cpp.
#pragma once

#include <optional>
#include <string>

namespace cxmap::survey {

// True for an IANA zone ICU knows ("Europe/Paris"), and for "UTC", "Z", "GMT".
bool known_time_zone(const std::string& zone);

// `text` as ISO-8601 UTC; a zone-less time is read in `zone` (empty or
// "UTC" = UTC; zone must be known_time_zone()). nullopt when it does not parse.
std::optional<std::string> survey_date_to_utc(const std::string& text, const std::string& zone);

}  // namespace cxmap::survey
