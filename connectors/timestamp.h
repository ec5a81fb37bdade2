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

}  // namespace cxmap
