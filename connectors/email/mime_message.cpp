// One message -> RawFeedback or a reason; see mime_message.h.
#include "connectors/email/mime_message.h"

#include <sstream>

#include "connectors/email/ascii.h"
#include "connectors/email/auto_reply.h"
#include "connectors/email/charset.h"
#include "connectors/email/mime_body.h"
#include "connectors/email/mime_parts.h"
#include "connectors/email/reply_strip.h"
#include "connectors/timestamp.h"

namespace cxmap::email {

namespace {

std::string join(const std::vector<std::string>& items, const char* sep = "; ") {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// Header text for a person: decoded, control characters (NUL, line ends
// left by a broken fold) as spaces, trimmed.
std::string header_text(std::string_view raw) {
  std::string s = decode_header_words(raw);
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return ascii::trim(s);
}

}  // namespace

std::string address_of(std::string_view from) {
  std::string v(from);
  std::string addr;
  auto lt = v.rfind('<');
  auto gt = lt == std::string::npos ? std::string::npos : v.find('>', lt);
  if (lt != std::string::npos && gt != std::string::npos) {
    addr = ascii::trim(std::string_view(v).substr(lt + 1, gt - lt - 1));
  } else {
    // Drop (comments), then take the first word with an '@'.
    std::string plain;
    int depth = 0;
    for (char c : v) {
      if (c == '(')
        ++depth;
      else if (c == ')' && depth > 0)
        --depth;
      else if (depth == 0)
        plain += c;
    }
    std::istringstream words(plain);
    std::string w;
    while (words >> w)
      if (w.find('@') != std::string::npos) {
        addr = w;
        break;
      }
  }
  while (!addr.empty() && (addr.back() == ',' || addr.back() == ';')) addr.pop_back();
  if (addr.rfind("mailto:", 0) == 0) addr.erase(0, 7);
  if (addr.find('@') == std::string::npos) return "";
  return ascii::lower(addr);
}

Result<RawFeedback> parse_message(const std::string& bytes, const std::string& source,
                                  const std::string& locator) {
  std::size_t body_offset = 0;
  std::string header_defect;
  auto headers = parse_headers(bytes, body_offset, &header_defect);
  if (!headers) return headers.error();
  const auto& fields = *headers;

  std::string automatic = automatic_message_reason(fields);
  if (!automatic.empty()) return make_error(ErrorKind::input, automatic);

  std::string_view raw_body(bytes.data() + body_offset, bytes.size() - body_offset);
  auto tree = parse_mime(fields, raw_body);
  if (!tree) return tree.error();
  BodyText body = extract_body(*tree);
  if (!body.has_text_part && ascii::is_blank(body.text)) {
    if (body.encrypted)
      return make_error(ErrorKind::input, "encrypted message (multipart/encrypted): no readable text");
    return make_error(ErrorKind::input, "no text/plain or text/html part");
  }
  std::string cleaned = strip_reply(body.text);
  if (ascii::is_blank(cleaned))
    return make_error(ErrorKind::input, ascii::is_blank(body.text)
                                            ? "empty body"
                                            : "empty body after removing quoted reply and signature");

  RawFeedback fb;
  fb.source = source;
  fb.channel = "email";
  fb.locator = locator;
  if (const std::string* id = find_header(fields, "Message-ID")) {
    std::string v = ascii::trim(*id);
    if (auto lt = v.find('<'); lt != std::string::npos) {
      auto gt = v.find('>', lt);
      v = v.substr(lt + 1, gt == std::string::npos ? std::string::npos : gt - lt - 1);
    }
    fb.external_id = ascii::trim(v);
  }
  if (fb.external_id.empty()) fb.external_id = content_hash(bytes);
  if (const std::string* from = find_header(fields, "From"))
    fb.customer_key = address_of(decode_header_words(*from));
  std::vector<std::string> truncated;
  if (!body.truncated.empty()) truncated.push_back(body.truncated);
  if (const std::string* subject = find_header(fields, "Subject")) {
    fb.subject = header_text(*subject);
    if (fb.subject.size() > kMaxSubjectBytes) {
      std::size_t full = fb.subject.size(), e = kMaxSubjectBytes;
      while (e > 0 && (static_cast<unsigned char>(fb.subject[e]) & 0xC0) == 0x80) --e;
      fb.subject.resize(e);
      truncated.push_back("subject cut at " + std::to_string(kMaxSubjectBytes) + " bytes (it had " +
                          std::to_string(full) + ")");
    }
  }
  if (const std::string* date = find_header(fields, "Date")) {
    if (auto iso = to_iso_utc(*date))
      fb.received_at = *iso;
    else
      fb.metadata.emplace_back("date_unparsed", ascii::trim(*date).substr(0, 200));
  }
  if (!body.source.empty()) fb.metadata.emplace_back("body_from", body.source);
  if (!body.attachments.empty()) {
    std::string list = join(body.attachments);
    if (body.more_attachments > 0) list += "; and " + std::to_string(body.more_attachments) + " more";
    fb.metadata.emplace_back("attachments", std::move(list));
  }
  if (!body.forwarded.empty()) fb.metadata.emplace_back("forwarded", join(body.forwarded));
  if (!truncated.empty()) fb.metadata.emplace_back("truncated", join(truncated));
  std::vector<std::string> defects;
  if (!header_defect.empty()) defects.push_back(header_defect);
  for (const auto& d : tree->defects) defects.push_back(d);
  for (const auto& d : body.notes) defects.push_back(d);
  if (!defects.empty()) fb.metadata.emplace_back("mime_defects", join(defects));

  Turn turn;
  turn.speaker = Speaker::customer;
  turn.time = fb.received_at;
  turn.text = std::move(cleaned);
  fb.turns.push_back(std::move(turn));
  return fb;
}

void deliver_message(const std::string& bytes, const std::string& source, const std::string& locator,
                     RecordSink& sink) {
  Result<RawFeedback> parsed = make_error(ErrorKind::internal, "not parsed");
  try {
    parsed = parse_message(bytes, source, locator);
  } catch (const std::exception& e) {
    parsed = make_error(ErrorKind::internal, std::string("parser failure: ") + e.what());
  } catch (...) {
    parsed = make_error(ErrorKind::internal, "parser failure");
  }
  if (parsed) {
    sink.feedback(std::move(parsed).value());
    return;
  }
  Quarantined q;
  q.source = source;
  q.locator = locator;
  q.reason = parsed.error().message;
  if (q.reason.empty()) q.reason = "unreadable message";
  q.raw = bytes.substr(0, kMaxQuarantineBytes);
  sink.reject(std::move(q));
}

}  // namespace cxmap::email
