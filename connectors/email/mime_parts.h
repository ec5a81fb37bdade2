// The MIME structure of one message (RFC 2045, RFC 2046): a tree of parts
// found in one pass over the bytes. Bodies are not decoded here; each part
// keeps a view of its raw (transfer-encoded) body.
//
// How the bytes are split:
//  1. A multipart keeps a stack of the boundaries in force. A line is a
//     delimiter when it is "--" + one of them (+ "--" to close), followed only
//     by white space; the innermost boundary is tried first, and an outer one
//     ends every part inside it, closed or not (RFC 2046 section 5.1.2).
//     Each line is looked at once, whatever the nesting.
//  2. A part's header ends at a blank line, at a delimiter, or at the first
//     line that is not a header field (a defect: the body starts there).
//  3. message/rfc822 (and message/global) parts are parsed as messages: a
//     header block, then a body, one level deeper.
//  4. A multipart or message part that is itself base64 or QP encoded (not
//     allowed, but written) is decoded into a buffer the tree owns and parsed
//     from there.
//  5. Malformed structure is tolerated and recorded in `defects`:
//     a missing closing delimiter ends the part at the enclosing delimiter or
//     at the end of the bytes; a part header without its blank line ends at
//     the first line that is no field; a multipart whose boundary never
//     occurs uses another "--X" line of its body that is followed by a field
//     or a blank line (a mistyped boundary), else it is read as text/plain
//     (list servers that strip parts leave such bodies); a multipart
//     without a boundary parameter uses such a line too, else it is an
//     error at the top level and an opaque part (no text) below it.
//  6. Limits, each an error whose message is the quarantine reason: nesting
//     deeper than kMaxMimeDepth (multiparts and embedded messages), more than
//     kMaxMimeParts parts, more than kMaxHeaderFields fields in one part.
// Time is linear in the message size for a fixed nesting depth; memory is the
// tree (at most kMaxMimeParts nodes) plus buffers for rule 4.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/email/header_params.h"
#include "connectors/email/mail_headers.h"
#include "pipeline/result.h"

namespace cxmap::email {

inline constexpr int kMaxMimeDepth = 50;
inline constexpr std::size_t kMaxMimeParts = 1000;

struct MimePart {
  ContentType type;
  std::string transfer_encoding;  // Content-Transfer-Encoding value, trimmed
  ContentDisposition disposition;
  std::string content_id;  // without the angle brackets
  std::string_view body;   // raw body (for a multipart: preamble to epilogue)
  // Multipart: its parts in order. message/rfc822: one child, the embedded
  // message (its `message_subject` set).
  std::vector<MimePart> children;
  bool is_message = false;      // this node is the top of an embedded message
  std::string message_subject;  // embedded message: Subject, RFC 2047-decoded
  bool multipart() const { return type.type == "multipart"; }
  bool embeds_message() const { return !children.empty() && children.front().is_message; }
};

struct MimeTree {
  MimePart root;                                      // the message body (its header is the message's)
  std::vector<std::string> defects;                   // distinct notes for people, in order found
  std::vector<std::unique_ptr<std::string>> buffers;  // decoded bytes of rule 4
};

// Parses the body of a message with header `fields`. `body` must outlive the
// tree. Errors are limit violations or an unusable top-level multipart.
Result<MimeTree> parse_mime(const std::vector<HeaderField>& fields, std::string_view body);

}  // namespace cxmap::email
