// What a message's MIME tree says as text: the text the customer wrote, the
// attachments it carries and the messages it forwards. Decodes only the
// parts it uses.
//
// Which text counts (the body), part by part:
//  - text/plain and text/html leaves that are not Content-Disposition:
//    attachment; HTML goes through html_to_text(), format=flowed plain text
//    through unflow(); charsets through to_utf8() (an HTML part without a
//    charset parameter uses its <meta> charset).
//  - multipart/alternative: the first text/plain alternative with text, else
//    the first alternative with any text (HTML, or a multipart/related around
//    it); only the chosen alternative's attachments are listed.
//  - multipart/related: its root (the "start" parameter's Content-ID, else
//    the first part); the other parts (inline images) are attachments.
//  - multipart/signed: the first part; the signature is neither text nor an
//    attachment. multipart/encrypted: nothing readable.
//  - multipart/mixed, digest, report and any other multipart: the text of each
//    part in order, joined by a blank line (Apple Mail splits a body around
//    inline images this way).
//  - message/rfc822 (a forwarded or attached message) is NOT the customer's
//    text: its subject is listed in `forwarded`. Only when the message has
//    no text of its own (a forward without comment, or a message that is
//    only a message/rfc822) does the first forwarded message with text give
//    the body, and `source` says so.
//  - every other leaf is an attachment, listed with its file name (RFC 2231
//    and RFC 2047 names decoded), type and decoded size; PGP and S/MIME
//    signatures are not listed.
// Bounds: at most kMaxTextBytes of transfer-decoded text are read from the
// parts together, and the UTF-8 result is cut to kMaxTextBytes (on a
// character boundary); `truncated` then says by how much. NUL bytes are
// removed. At most kMaxListed attachments and forwarded subjects are named.
#pragma once

#include <string>
#include <vector>

#include "connectors/email/mime_parts.h"

namespace cxmap::email {

inline constexpr std::size_t kMaxTextBytes = 1024 * 1024;
inline constexpr std::size_t kMaxListed = 100;

struct BodyText {
  std::string text;                      // UTF-8, before reply stripping; may be blank
  // Where the text came from: "" (the message's own text/plain parts),
  // "html" (some of it from an HTML part), "forwarded", "forwarded html".
  std::string source;
  std::vector<std::string> attachments;  // "invoice.pdf (application/pdf, 48213 bytes)"
  std::size_t more_attachments = 0;      // beyond kMaxListed
  std::vector<std::string> forwarded;    // subjects of message/rfc822 parts ("(no subject)")
  std::string truncated;                 // "" or what was cut, for a person
  std::vector<std::string> notes;        // decoding defects (bad base64, unknown charset, NUL bytes)
  bool has_text_part = false;            // some text/plain or text/html part was found
  bool encrypted = false;                // a multipart/encrypted part was found
};

BodyText extract_body(const MimeTree& tree);

}  // namespace cxmap::email
