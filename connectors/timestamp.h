// Timestamps as sources write them -> ISO-8601 UTC ("2026-09-03T10:02:00Z").
//
// Accepts RFC 822/1123 mail dates (with numeric or named zones and trailing
// comments), ISO-8601 with or without zone, "YYYY-MM-DD HH:MM[:SS]",
// "YYYY-MM-DD", "MM/DD/YYYY HH:MM[:SS]" and "MM/DD/YYYY". A time without a
// zone is taken as UTC. Poco exceptions stay in timestamp.cpp.
#pragma once

#include <optional>
#include <string>

namespace cxmap {

std::optional<std::string> to_iso_utc(const std::string& text);

// to_iso_utc() with Poco's parser for every input. to_iso_utc() reads the
// two shapes nearly every source writes (RFC 5322 dates with a numeric zone,
// ISO-8601 with seconds) itself, about fifty times faster, and must give
// exactly these answers; this is the reference the differential test holds
// it to.
std::optional<std::string> to_iso_utc_poco(const std::string& text);

}  // namespace cxmap
