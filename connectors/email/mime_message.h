// One RFC 822 / MIME message (its bytes) -> RawFeedback, or the reason it
// cannot or should not be one. Knows nothing of mbox, Maildir or files.
//
// The steps, each in its own file:
//  1. mail_headers: the top-level header block (unfolded; RFC 2047 words in
//     Subject and From decoded with ICU; raw 8-bit tolerated).
//  2. auto_reply: auto-replies, bounces and receipts are skipped with a
//     reason ("auto-reply (Auto-Submitted: auto-replied)", "bounce
//     (multipart/report; report-type=delivery-status)", ...), before the body
//     is looked at.
//  3. mime_parts: the MIME structure in one pass (nesting, boundaries,
//     message/rfc822), with a depth and a part limit.
//  4. mime_body: the customer's text (best alternative, HTML to text,
//     format=flowed, charsets), attachments and forwarded messages.
//  5. reply_strip: quoted replies and signatures removed.
// The MIME code is our own rather than Poco::Net::MailMessage: Poco 1.11
// hands nested multiparts over undecoded, rejects a body whose boundary is
// missing, appends a stray byte when the closing delimiter is absent, drops a
// whole part on one bad base64 character, knows neither RFC 2231 nor
// message/rfc822, and reads every part whole (a 50 MB part was stored whole).
//
// Metadata keys a record may carry (only when they apply, in this order):
//   date_unparsed  the Date header when it could not be read
//   body_from      where the text came from when not only the message's own
//                  text/plain: "html" (some of it from an HTML part),
//                  "forwarded" or "forwarded html" (a forward without comment)
//   attachments    "invoice.pdf (application/pdf, 48213 bytes); ..." (at most
//                  kMaxListed named, then "and N more")
//   forwarded      subjects of attached messages, "; "-separated
//   truncated      what was cut: body text beyond kMaxTextBytes (1 MiB),
//                  a subject beyond kMaxSubjectBytes
//   mime_defects   "; "-separated notes on tolerated damage (missing closing
//                  boundary, invalid base64, unknown charset, NUL bytes, ...)
//
// Quarantine reasons (Quarantined::reason), so a run's counts reconcile:
//   header     "empty message", "no header fields before the body",
//              "malformed header line N: '...'", "more than 10000 header fields"
//   skipped    "auto-reply (...)", "automated message (...)", "bounce (...)",
//              "read receipt (...)", "automated report (...)" (auto_reply.h)
//   structure  "MIME structure: parts nested deeper than 50 levels",
//              "MIME structure: more than 1000 parts", "MIME structure:
//              multipart/mixed without a boundary parameter", ...
//   content    "no text/plain or text/html part", "encrypted message
//              (multipart/encrypted): no readable text", "empty body",
//              "empty body after removing quoted reply and signature"
// Limits: nesting kMaxMimeDepth (50), parts kMaxMimeParts (1000), header
// fields kMaxHeaderFields (10,000 per block), text kMaxTextBytes (1 MiB),
// subject kMaxSubjectBytes (1 KiB), quarantined bytes kMaxQuarantineBytes
// (64 KiB). A message of any size is read in time linear in its size.
// Exceptions never leave this module: deliver_message() turns any failure
// into a quarantined record ("parser failure: ...", a bug if ever seen).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "connectors/email/mail_headers.h"
#include "connectors/source.h"
#include "pipeline/record.h"
#include "pipeline/result.h"

namespace cxmap::email {

// Quarantined::raw keeps at most this many bytes of the offending message.
inline constexpr std::size_t kMaxQuarantineBytes = 64 * 1024;
// RawFeedback::subject keeps at most this many bytes (UTF-8, whole characters).
inline constexpr std::size_t kMaxSubjectBytes = 1024;

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
