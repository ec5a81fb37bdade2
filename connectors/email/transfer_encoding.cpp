// Transfer decoding; see transfer_encoding.h.
#include "connectors/email/transfer_encoding.h"

#include <algorithm>

#include "connectors/email/ascii.h"

namespace cxmap::email {

namespace {

int b64val(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes base64 into `out` (nullptr: count only); returns the decoded size.
std::size_t base64(std::string_view in, std::string* out, std::size_t max_out, Decoded& d) {
  unsigned buf = 0;
  int bits = 0, chars = 0;
  std::size_t n = 0;
  for (unsigned char c : in) {
    int v = b64val(c);
    if (v < 0) {
      if (c == '=') {
        if (chars % 4 == 1) d.invalid = true;  // a lone 6-bit group
        buf = 0;
        bits = 0;
        chars = 0;
      } else if (!ascii::is_space(static_cast<char>(c))) {
        d.invalid = true;
      }
      continue;
    }
    buf = ((buf << 6) | static_cast<unsigned>(v)) & 0xFFFFFF;
    bits += 6;
    ++chars;
    if (bits >= 8) {
      bits -= 8;
      if (out) {
        if (n >= max_out) {
          d.truncated = true;
          return n;
        }
        out->push_back(static_cast<char>((buf >> bits) & 0xFF));
      }
      ++n;
    }
  }
  if (chars % 4 == 1) d.invalid = true;
  return n;
}

std::size_t quoted_printable(std::string_view in, std::string* out, std::size_t max_out, bool keep_trailing,
                             Decoded& d) {
  std::size_t n = 0;
  auto put = [&](char c) {
    if (out) {
      if (n >= max_out) {
        d.truncated = true;
        return false;
      }
      out->push_back(c);
    }
    ++n;
    return true;
  };
  std::size_t pos = 0;
  while (pos < in.size()) {
    std::size_t nl = in.find('\n', pos);
    bool has_nl = nl != std::string_view::npos;
    std::string_view line = in.substr(pos, (has_nl ? nl : in.size()) - pos);
    pos = has_nl ? nl + 1 : in.size();
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view content = line;
    while (!content.empty() && (content.back() == ' ' || content.back() == '\t')) content.remove_suffix(1);
    bool soft = !content.empty() && content.back() == '=';
    if (soft)
      content.remove_suffix(1);
    else if (keep_trailing)
      content = line;
    for (std::size_t i = 0; i < content.size(); ++i) {
      char c = content[i];
      if (c == '=') {
        if (i + 2 < content.size() && hexval(content[i + 1]) >= 0 && hexval(content[i + 2]) >= 0) {
          if (!put(static_cast<char>(hexval(content[i + 1]) * 16 + hexval(content[i + 2])))) return n;
          i += 2;
          continue;
        }
        d.invalid = true;
      }
      if (!put(c)) return n;
    }
    if (has_nl && !soft && !put('\n')) return n;
  }
  return n;
}

}  // namespace

TransferEncoding transfer_encoding_of(std::string_view value) {
  std::string_view v = ascii::trim_view(value);
  if (ascii::iequals(v, "base64")) return TransferEncoding::base64;
  if (ascii::iequals(v, "quoted-printable")) return TransferEncoding::quoted_printable;
  return TransferEncoding::identity;
}

Decoded decode_transfer(TransferEncoding encoding, std::string_view body, std::size_t max_out,
                        bool keep_trailing_space) {
  Decoded d;
  switch (encoding) {
    case TransferEncoding::base64:
      d.bytes.reserve(std::min(max_out, body.size() / 4 * 3 + 3));
      base64(body, &d.bytes, max_out, d);
      break;
    case TransferEncoding::quoted_printable:
      d.bytes.reserve(std::min(max_out, body.size()));
      quoted_printable(body, &d.bytes, max_out, keep_trailing_space, d);
      break;
    case TransferEncoding::identity:
      d.truncated = body.size() > max_out;
      d.bytes.assign(body.substr(0, max_out));
      break;
  }
  return d;
}

std::size_t decoded_size(TransferEncoding encoding, std::string_view body) {
  Decoded d;
  switch (encoding) {
    case TransferEncoding::base64:
      return base64(body, nullptr, 0, d);
    case TransferEncoding::quoted_printable:
      return quoted_printable(body, nullptr, 0, false, d);
    case TransferEncoding::identity:
      break;
  }
  return body.size();
}

}  // namespace cxmap::email
