// One RFC 822 / MIME message (its bytes) -> RawFeedback, or the reason it
// cannot be one. Knows nothing of mbox, Maildir or files.
//
// Headers are read here (unfolded, RFC 2047 words decoded with ICU, raw 8-bit
// tolerated); the body goes through Poco::Net::MailMessage with a
// PartHandler that recurses into nested multiparts and keeps text/plain and
// text/html parts with their charset. Only the MIME headers are handed to
// Poco, so long or odd unrelated headers (References, Received) cannot make
// Poco reject a good message. The body is text/plain if present, else the
// HTML converted to text; then quoted replies and signatures are removed.
// Poco exceptions never leave mime_message.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "connectors/source.h"
#include "pipeline/record.h"
#include "pipeline/result.h"

namespace cxmap::email {

// Quarantined::raw keeps at most this many bytes of the offending message.
inline constexpr std::size_t kMaxQuarantineBytes = 64 * 1024;

struct HeaderField {
  std::string name;   // as written
  std::string value;  // unfolded, not decoded
};

// Parses the header block at the start of `message`. On success `body_offset`
// is where the body starts. Errors name the malformed line.
Result<std::vector<HeaderField>> parse_headers(std::string_view message, std::size_t& body_offset);

// "Maria Lopez <Maria.Lopez@Example.com>" -> "maria.lopez@example.com"; "" if none.
std::string address_of(std::string_view from_value);

// Parses one message. The error's message is the quarantine reason.
Result<RawFeedback> parse_message(const std::string& bytes, const std::string& source,
                                  const std::string& locator);

// parse_message, then sink.feedback() or sink.reject() (raw truncated to
// kMaxQuarantineBytes). Never throws.
void deliver_message(const std::string& bytes, const std::string& source, const std::string& locator,
                     RecordSink& sink);

}  // namespace cxmap::email
