// Auto-reply and bounce recognition; see auto_reply.h.
#include "connectors/email/auto_reply.h"

#include <initializer_list>

#include "connectors/email/ascii.h"
#include "connectors/email/charset.h"
#include "connectors/email/header_params.h"

namespace cxmap::email {

namespace {

// Shown values are cut so a hostile header cannot make a huge reason.
std::string shown(std::string_view value, std::size_t max = 80) {
  std::string s = ascii::trim(value);
  if (s.size() > max) {
    std::size_t e = max;
    while (e > 0 && (static_cast<unsigned char>(s[e]) & 0xC0) == 0x80) --e;
    s.resize(e);
    s += "...";
  }
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return s;
}

// The first word of a header value, lowercased ("auto-generated (failure)" -> "auto-generated").
std::string first_token(std::string_view value) {
  std::string_view v = ascii::trim_view(value);
  std::size_t e = 0;
  while (e < v.size() && !ascii::is_space(v[e]) && v[e] != ';' && v[e] != '(') ++e;
  return ascii::lower(v.substr(0, e));
}

bool contains_any(const std::string& low, std::initializer_list<const char*> needles) {
  for (const char* n : needles)
    if (low.find(n) != std::string::npos) return true;
  return false;
}

bool is_bounce_subject(const std::string& subject) {
  std::string low = ascii::lower(subject);
  return contains_any(
      low, {"undeliverable", "undelivered mail", "delivery status notification", "delivery failure",
            "delivery notification", "failure notice", "returned mail", "mail delivery failed",
            "delivery has failed", "non-delivery", "could not be delivered", "nondeliverable", "unzustellbar",
            "nicht zustellbar", "non remis", "non distribuibile"});
}

// The local part of the From address and the display name, lowercased.
void from_parts(std::string_view from, std::string& local, std::string& display) {
  std::string v = ascii::lower(from);
  std::size_t lt = v.rfind('<');
  std::string addr;
  if (lt != std::string::npos) {
    std::size_t gt = v.find('>', lt);
    addr = ascii::trim(
        std::string_view(v).substr(lt + 1, gt == std::string::npos ? std::string::npos : gt - lt - 1));
    display = ascii::trim(std::string_view(v).substr(0, lt));
  } else {
    // "user@host (Name)" or a bare word.
    std::size_t paren = v.find('(');
    addr = ascii::trim(std::string_view(v).substr(0, paren));
  }
  if (!display.empty() && display.front() == '"' && display.back() == '"' && display.size() >= 2)
    display = display.substr(1, display.size() - 2);
  std::size_t at = addr.find('@');
  local = addr.substr(0, at);
}

}  // namespace

bool is_out_of_office_subject(std::string_view subject) {
  std::string low = ascii::lower(subject);
  return contains_any(low, {"out of office",
                            "out of the office",
                            "out-of-office",
                            "automatic reply",
                            "automatic response",
                            "auto reply",
                            "auto-reply",
                            "autoreply",
                            "auto response",
                            "auto-response",
                            "autoresponse",
                            "away from the office",
                            "away from my desk",
                            "on vacation",
                            "on holiday",
                            "vacation reply",
                            "abwesenheit",
                            "automatische antwort",
                            "r\xc3\xa9ponse automatique",
                            "absence du bureau",
                            "respuesta autom\xc3\xa1tica",
                            "fuera de la oficina",
                            "risposta automatica",
                            "fuori ufficio",
                            "automatisch antwoord",
                            "afwezig",
                            "resposta autom\xc3\xa1tica",
                            "fora do escrit\xc3\xb3rio",
                            "automatiskt svar",
                            "fr\xc3\xa5nvaro"});
}

std::string automatic_message_reason(const std::vector<HeaderField>& fields) {
  // 1. Reports. Without a known report-type, a mailer-daemon sender (rule 2)
  // names it better, so the generic reason waits until after rule 2.
  std::string report;
  if (const std::string* ct = find_header(fields, "Content-Type")) {
    ContentType type = parse_content_type(*ct);
    if (type.is("multipart", "report")) {
      const std::string* rt = type.params.get("report-type");
      std::string kind = rt ? ascii::lower(ascii::trim_view(*rt)) : std::string();
      std::string what =
          "multipart/report" + (kind.empty() ? std::string() : "; report-type=" + shown(kind, 40));
      if (kind == "delivery-status") return "bounce (" + what + ")";
      if (kind == "disposition-notification") return "read receipt (" + what + ")";
      report = "automated report (" + what + ")";
    } else if (type.is("message", "delivery-status")) {
      return "bounce (message/delivery-status)";
    }
  }
  // 2. Mailer daemons and postmasters.
  std::string subject;
  if (const std::string* s = find_header(fields, "Subject")) subject = decode_header_words(*s);
  if (const std::string* from = find_header(fields, "From")) {
    std::string decoded = decode_header_words(*from);
    std::string local, display;
    from_parts(decoded, local, display);
    if (local == "mailer-daemon" ||
        ((local.empty()) && (display == "mailer daemon" || display == "mailer-daemon")))
      return "bounce (From: " + shown(decoded) + ")";
    if (local == "postmaster") {
      const std::string* rp = find_header(fields, "Return-Path");
      bool null_sender = rp && ascii::trim(*rp) == "<>";
      if (null_sender || is_bounce_subject(subject) || !report.empty())
        return "bounce (From: " + shown(decoded) + ")";
    }
  }
  if (!report.empty()) return report;
  // 3. RFC 3834.
  if (const std::string* as = find_header(fields, "Auto-Submitted")) {
    std::string token = first_token(*as);
    if (!token.empty() && token != "no") {
      const char* kind = token == "auto-replied" ? "auto-reply" : "automated message";
      return std::string(kind) + " (Auto-Submitted: " + shown(*as) + ")";
    }
  }
  // 4. Vendor marks.
  for (const char* name : {"X-Autoreply", "X-Autorespond"}) {
    if (const std::string* v = find_header(fields, name)) {
      std::string token = first_token(*v);
      if (token != "no" && token != "false" && token != "0")
        return "auto-reply (" + std::string(name) + ": " + shown(*v) + ")";
    }
  }
  // 5. Precedence with an out-of-office subject.
  if (const std::string* p = find_header(fields, "Precedence")) {
    std::string token = first_token(*p);
    if ((token == "bulk" || token == "junk" || token == "auto_reply" || token == "auto-reply") &&
        is_out_of_office_subject(subject))
      return "auto-reply (Precedence: " + shown(*p, 20) + "; Subject: " + shown(subject) + ")";
  }
  return "";
}

}  // namespace cxmap::email
