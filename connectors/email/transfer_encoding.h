// Content-Transfer-Encoding (RFC 2045 section 6): base64 and quoted-printable
// decoding for mail bodies, bounded and lenient.
//
// Mailers and gateways damage encodings; a damaged part should still give
// its readable bytes, so decoding never fails:
//  - base64: white space is skipped, other characters outside the alphabet
//    are skipped and flagged, '=' padding ends a quantum and decoding goes on
//    (concatenated base64 blocks), a dangling 6-bit group is dropped.
//  - quoted-printable: "=XX" (either case) is a byte, '=' at the end of a line
//    (trailing white space allowed) is a soft break, any other '=' is kept
//    literally and flagged; trailing white space of a hard line is removed
//    (RFC 2045: transport added it) unless the caller keeps it (format=flowed
//    text that was QP-encoded by a careless mailer). Line ends become "\n".
//  - 7bit, 8bit, binary and unknown encodings are copied as they are.
// Output stops after `max_out` bytes (`truncated` then tells); decoded_size()
// gives the full size without building the output. Both are linear.
#pragma once

#include <string>
#include <string_view>

namespace cxmap::email {

enum class TransferEncoding { identity, base64, quoted_printable };

// From a Content-Transfer-Encoding value (case-insensitive; unknown -> identity).
TransferEncoding transfer_encoding_of(std::string_view value);

struct Decoded {
  std::string bytes;
  bool truncated = false;  // stopped at max_out
  bool invalid = false;    // characters outside the encoding were skipped or kept
};

Decoded decode_transfer(TransferEncoding encoding, std::string_view body, std::size_t max_out,
                        bool keep_trailing_space = false);

std::size_t decoded_size(TransferEncoding encoding, std::string_view body);

}  // namespace cxmap::email
