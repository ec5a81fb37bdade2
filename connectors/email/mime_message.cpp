// Message parsing with Poco::Net::MailMessage; see mime_message.h.
#include "connectors/email/mime_message.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/Net/QuotedPrintableDecoder.h>
#include <Poco/StreamCopier.h>

#include <cctype>
#include <sstream>

#include "connectors/email/charset.h"
#include "connectors/email/html_text.h"
#include "connectors/email/reply_strip.h"
#include "connectors/timestamp.h"

namespace cxmap::email {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

const std::string* find_header(const std::vector<HeaderField>& fields, std::string_view name) {
  for (const auto& f : fields)
    if (f.name.size() == name.size() && lower(f.name) == lower(std::string(name))) return &f.value;
  return nullptr;
}

struct TextPart {
  bool html = false;
  std::string charset;
  std::string bytes;  // transfer-decoded, still in charset
};

constexpr int kMaxDepth = 8;

// Collects text parts; recurses into nested multiparts, which Poco 1.11
// hands over undecoded as one part.
class TextPartCollector : public Poco::Net::PartHandler {
 public:
  std::vector<TextPart> parts;

  void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
    handle(header, stream, 1);
  }

  void handle(const Poco::Net::MessageHeader& header, std::istream& stream, int depth) {
    Poco::Net::MediaType type(header.get("Content-Type", "text/plain"));
    std::string main = lower(type.getType());
    std::string sub = lower(type.getSubType());
    if (main == "multipart") {
      if (depth > kMaxDepth) throw Poco::DataFormatException("multipart nested too deeply");
      if (!type.hasParameter("boundary"))
        throw Poco::DataFormatException("nested multipart without boundary");
      Poco::Net::MultipartReader reader(stream, type.getParameter("boundary"));
      while (reader.hasNextPart()) {
        Poco::Net::MessageHeader part_header;
        reader.nextPart(part_header);
        std::string cte = lower(trim(part_header.get("Content-Transfer-Encoding", "")));
        if (cte == "quoted-printable") {
          Poco::Net::QuotedPrintableDecoder decoder(reader.stream());
          handle(part_header, decoder, depth + 1);
        } else if (cte == "base64") {
          Poco::Base64Decoder decoder(reader.stream());
          handle(part_header, decoder, depth + 1);
        } else {
          handle(part_header, reader.stream(), depth + 1);
        }
      }
      return;
    }
    std::string body;
    Poco::StreamCopier::copyToString(stream, body);
    std::string disposition = lower(header.get("Content-Disposition", ""));
    if (main != "text" || (sub != "plain" && sub != "html")) return;
    if (disposition.rfind("attachment", 0) == 0) return;
    TextPart part;
    part.html = sub == "html";
    part.charset = type.hasParameter("charset") ? type.getParameter("charset") : "";
    part.bytes = std::move(body);
    parts.push_back(std::move(part));
  }
};

bool is_blank(std::string_view s) {
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  return true;
}

// The chosen body as UTF-8 plain text (before reply stripping).
Result<std::string> extract_body(const std::vector<HeaderField>& fields, std::string_view body) {
  const std::string* ct = find_header(fields, "Content-Type");
  const std::string* cte = find_header(fields, "Content-Transfer-Encoding");
  std::string mime;
  mime += "Content-Type: " + (ct ? trim(*ct) : std::string("text/plain")) + "\r\n";
  if (cte) mime += "Content-Transfer-Encoding: " + trim(*cte) + "\r\n";
  mime += "\r\n";
  mime.append(body);
  TextPartCollector collector;
  Poco::Net::MailMessage message;
  try {
    std::istringstream in(mime);
    message.read(in, collector);
  } catch (const Poco::Exception& e) {
    return make_error(ErrorKind::input, "MIME structure: " + e.displayText());
  } catch (const std::exception& e) {
    return make_error(ErrorKind::input, std::string("MIME structure: ") + e.what());
  }
  if (!message.isMultipart()) {
    // Poco decodes a single-part body into the message content itself.
    Poco::Net::MediaType type("text/plain");
    try {
      type = Poco::Net::MediaType(message.getContentType());
    } catch (const Poco::Exception&) {
    }
    std::string main = lower(type.getType()), sub = lower(type.getSubType());
    if (main == "text" && (sub == "plain" || sub == "html")) {
      TextPart part;
      part.html = sub == "html";
      part.charset = type.hasParameter("charset") ? type.getParameter("charset") : "";
      part.bytes = message.getContent();
      collector.parts.push_back(std::move(part));
    }
  }
  if (collector.parts.empty()) return make_error(ErrorKind::input, "no text/plain or text/html part");
  const TextPart* chosen = nullptr;
  for (const auto& p : collector.parts)
    if (!p.html && !is_blank(p.bytes)) { chosen = &p; break; }
  if (!chosen)
    for (const auto& p : collector.parts)
      if (p.html && !is_blank(p.bytes)) { chosen = &p; break; }
  if (!chosen) return std::string();
  std::string text = to_utf8(chosen->bytes, chosen->charset);
  return chosen->html ? html_to_text(text) : text;
}

bool valid_field_name(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (c < 33 || c > 126) return false;
  return true;
}

}  // namespace

Result<std::vector<HeaderField>> parse_headers(std::string_view m, std::size_t& body_offset) {
  std::vector<HeaderField> fields;
  std::size_t pos = 0;
  int line_no = 0;
  // An mbox "From " envelope line left at the top of an .eml file.
  if (m.compare(0, 5, "From ") == 0) {
    std::size_t nl = m.find('\n');
    pos = nl == std::string_view::npos ? m.size() : nl + 1;
    ++line_no;
  }
  while (pos < m.size()) {
    std::size_t nl = m.find('\n', pos);
    std::size_t next = nl == std::string_view::npos ? m.size() : nl + 1;
    std::string_view line = m.substr(pos, (nl == std::string_view::npos ? m.size() : nl) - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_no;
    if (line.empty()) {
      body_offset = next;
      if (fields.empty()) return make_error(ErrorKind::input, "no header fields before the body");
      return fields;
    }
    if (line[0] == ' ' || line[0] == '\t') {
      if (fields.empty())
        return make_error(ErrorKind::input, "header line 1 starts with white space");
      fields.back().value += ' ';
      fields.back().value += trim(line);
    } else {
      std::size_t colon = line.find(':');
      std::string name = colon == std::string_view::npos ? std::string() : trim(line.substr(0, colon));
      if (colon == std::string_view::npos || !valid_field_name(name)) {
        std::string shown(line.substr(0, 60));
        return make_error(ErrorKind::input,
                          "malformed header line " + std::to_string(line_no) + ": '" + shown + "'");
      }
      fields.push_back(HeaderField{name, trim(line.substr(colon + 1))});
    }
    pos = next;
  }
  body_offset = m.size();
  if (fields.empty()) return make_error(ErrorKind::input, "empty message");
  return fields;
}

std::string address_of(std::string_view from) {
  std::string v(from);
  std::string addr;
  auto lt = v.rfind('<');
  auto gt = lt == std::string::npos ? std::string::npos : v.find('>', lt);
  if (lt != std::string::npos && gt != std::string::npos) {
    addr = trim(std::string_view(v).substr(lt + 1, gt - lt - 1));
  } else {
    // Drop (comments), then take the first word with an '@'.
    std::string plain;
    int depth = 0;
    for (char c : v) {
      if (c == '(') ++depth;
      else if (c == ')' && depth > 0) --depth;
      else if (depth == 0) plain += c;
    }
    std::istringstream words(plain);
    std::string w;
    while (words >> w)
      if (w.find('@') != std::string::npos) { addr = w; break; }
  }
  while (!addr.empty() && (addr.back() == ',' || addr.back() == ';')) addr.pop_back();
  if (addr.rfind("mailto:", 0) == 0) addr.erase(0, 7);
  if (addr.find('@') == std::string::npos) return "";
  return lower(addr);
}

Result<RawFeedback> parse_message(const std::string& bytes, const std::string& source,
                                  const std::string& locator) {
  std::size_t body_offset = 0;
  auto headers = parse_headers(bytes, body_offset);
  if (!headers) return headers.error();
  const auto& fields = *headers;
  std::string_view body(bytes.data() + body_offset, bytes.size() - body_offset);

  auto text = extract_body(fields, body);
  if (!text) return text.error();
  std::string cleaned = strip_reply(*text);
  if (is_blank(cleaned))
    return make_error(ErrorKind::input, text->empty() || is_blank(*text)
                                            ? "empty body"
                                            : "empty body after removing quoted reply and signature");

  RawFeedback fb;
  fb.source = source;
  fb.channel = "email";
  fb.locator = locator;
  if (const std::string* id = find_header(fields, "Message-ID")) {
    std::string v = trim(*id);
    if (auto lt = v.find('<'); lt != std::string::npos) {
      auto gt = v.find('>', lt);
      v = v.substr(lt + 1, gt == std::string::npos ? std::string::npos : gt - lt - 1);
    }
    fb.external_id = trim(v);
  }
  if (fb.external_id.empty()) fb.external_id = content_hash(bytes);
  if (const std::string* from = find_header(fields, "From"))
    fb.customer_key = address_of(decode_header_words(*from));
  if (const std::string* subject = find_header(fields, "Subject")) fb.subject = trim(decode_header_words(*subject));
  if (const std::string* date = find_header(fields, "Date")) {
    if (auto iso = to_iso_utc(*date)) fb.received_at = *iso;
    else fb.metadata.emplace_back("date_unparsed", trim(*date));
  }
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
  q.raw = bytes.substr(0, kMaxQuarantineBytes);
  sink.reject(std::move(q));
}

}  // namespace cxmap::email
