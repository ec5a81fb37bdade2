// Body text, attachments and forwarded messages from a MIME tree; see mime_body.h.
#include "connectors/email/mime_body.h"

#include <deque>
#include <utility>

#include "connectors/email/ascii.h"
#include "connectors/email/charset.h"
#include "connectors/email/flowed.h"
#include "connectors/email/html_text.h"
#include "connectors/email/transfer_encoding.h"

namespace cxmap::email {

namespace {

constexpr std::size_t kMaxNameBytes = 200;

struct Piece {
  std::string text;
  bool html = false;
};

// What one subtree gives.
struct Extract {
  std::vector<Piece> pieces;  // non-blank texts in order
  std::vector<std::string> attachments;
  std::vector<const MimePart*> forwarded;  // embedded messages (is_message nodes)
  std::size_t used = 0;                    // decoded bytes taken from the budget
  bool text_part = false;
  bool encrypted = false;

  bool has_text() const { return !pieces.empty(); }
  bool all_plain() const {
    for (const auto& p : pieces)
      if (p.html) return false;
    return !pieces.empty();
  }
  void absorb(Extract&& o) {
    for (auto& p : o.pieces) pieces.push_back(std::move(p));
    for (auto& a : o.attachments) attachments.push_back(std::move(a));
    forwarded.insert(forwarded.end(), o.forwarded.begin(), o.forwarded.end());
    used += o.used;
    text_part = text_part || o.text_part;
    encrypted = encrypted || o.encrypted;
  }
};

// Cuts a UTF-8 string to at most n bytes without splitting a character.
void cut_utf8(std::string& s, std::size_t n) {
  if (s.size() <= n) return;
  std::size_t e = n;
  while (e > 0 && (static_cast<unsigned char>(s[e]) & 0xC0) == 0x80) --e;
  s.resize(e);
}

// NUL bytes out, line ends to "\n".
std::string clean_text(std::string_view in, bool& had_nul) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '\0') {
      had_nul = true;
    } else if (c == '\r') {
      out += '\n';
      if (i + 1 < in.size() && in[i + 1] == '\n') ++i;
    } else {
      out += c;
    }
  }
  return out;
}

std::string_view trim_lines(std::string_view s) {
  while (!s.empty() && (s.front() == '\n' || s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && ascii::is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string join(const std::vector<Piece>& pieces) {
  std::string out;
  for (const auto& p : pieces) {
    std::string_view t = trim_lines(p.text);
    if (t.empty()) continue;
    if (!out.empty()) out += "\n\n";
    out.append(t);
  }
  return out;
}

bool any_html(const std::vector<Piece>& pieces) {
  for (const auto& p : pieces)
    if (p.html) return true;
  return false;
}

bool is_body_text(const MimePart& p) {
  return p.type.type == "text" && (p.type.subtype == "plain" || p.type.subtype == "html") &&
         p.disposition.kind != "attachment";
}

bool is_signature(const MimePart& p) {
  return p.type.type == "application" &&
         (p.type.subtype == "pgp-signature" || p.type.subtype == "pkcs7-signature" ||
          p.type.subtype == "x-pkcs7-signature");
}

std::string describe(const MimePart& p) {
  const std::string* name = p.disposition.params.get("filename");
  if (!name || name->empty()) name = p.type.params.get("name");
  std::string shown = name ? ascii::trim(*name) : std::string();
  for (char& c : shown)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  cut_utf8(shown, kMaxNameBytes);
  if (shown.empty()) shown = "(unnamed)";
  std::size_t size = decoded_size(transfer_encoding_of(p.transfer_encoding), p.body);
  return shown + " (" + p.type.mime_type() + ", " + std::to_string(size) + " bytes)";
}

class Extractor {
 public:
  explicit Extractor(BodyText& out) : out_(out) {}

  Extract walk(const MimePart& p) {
    Extract e;
    if (p.embeds_message()) {
      e.forwarded.push_back(&p.children.front());
      return e;
    }
    if (p.multipart()) {
      if (p.children.empty()) return e;  // unreadable structure, noted by the parser
      const std::string& sub = p.type.subtype;
      if (sub == "alternative") return alternative(p);
      if (sub == "encrypted") {
        e.encrypted = true;
        return e;
      }
      if (sub == "related" || sub == "signed") {
        std::size_t root = 0;
        if (sub == "related") {
          if (const std::string* start = p.type.params.get("start")) {
            std::string id = ascii::trim(*start);
            if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
            for (std::size_t i = 0; i < p.children.size(); ++i)
              if (!id.empty() && p.children[i].content_id == id) root = i;
          }
        }
        e = walk(p.children[root]);
        for (std::size_t i = 0; i < p.children.size(); ++i) {
          if (i == root) continue;
          const MimePart& c = p.children[i];
          if (!c.multipart() && !c.embeds_message()) {
            if (!is_signature(c)) e.attachments.push_back(describe(c));
            continue;
          }
          Extract other = walk(c);
          refund(other);
          for (auto& a : other.attachments) e.attachments.push_back(std::move(a));
        }
        return e;
      }
      for (const MimePart& c : p.children) e.absorb(walk(c));
      return e;
    }
    if (is_body_text(p)) {
      e.text_part = true;
      Piece piece = decode(p, e.used);
      if (!ascii::is_blank(piece.text)) e.pieces.push_back(std::move(piece));
      return e;
    }
    if (!is_signature(p)) e.attachments.push_back(describe(p));
    return e;
  }

  void note(std::string n) {
    for (const auto& have : out_.notes)
      if (have == n) return;
    if (out_.notes.size() < 16) out_.notes.push_back(std::move(n));
  }

 private:
  void refund(const Extract& e) { budget_ += e.used; }

  Extract alternative(const MimePart& p) {
    Extract fallback;
    bool have_fallback = false, text_part = false, encrypted = false;
    for (const MimePart& c : p.children) {
      Extract x = walk(c);
      text_part = text_part || x.text_part;
      encrypted = encrypted || x.encrypted;
      if (x.all_plain()) {
        if (have_fallback) refund(fallback);
        x.text_part = true;
        return x;
      }
      if (x.has_text() && !have_fallback) {
        fallback = std::move(x);
        have_fallback = true;
        continue;
      }
      refund(x);
    }
    fallback.text_part = fallback.text_part || text_part;
    fallback.encrypted = fallback.encrypted || encrypted;
    return fallback;
  }

  Piece decode(const MimePart& p, std::size_t& used) {
    Piece piece;
    piece.html = p.type.subtype == "html";
    TransferEncoding te = transfer_encoding_of(p.transfer_encoding);
    const std::string* format = p.type.params.get("format");
    const std::string* delsp = p.type.params.get("delsp");
    bool flowed = !piece.html && format && ascii::iequals(ascii::trim_view(*format), "flowed");
    Decoded d = decode_transfer(te, p.body, budget_, flowed);
    if (d.invalid) note(te == TransferEncoding::base64 ? "invalid base64" : "invalid quoted-printable");
    if (d.truncated && out_.truncated.empty())
      out_.truncated = "text cut at " + std::to_string(kMaxTextBytes) + " bytes (a " + p.type.mime_type() +
                       " part had " + std::to_string(decoded_size(te, p.body)) + ")";
    used += d.bytes.size();
    budget_ -= std::min(budget_, d.bytes.size());
    std::string charset;
    if (const std::string* cs = p.type.params.get("charset")) charset = ascii::trim(*cs);
    if (charset.empty() && piece.html) charset = html_charset(d.bytes);
    bool known = true;
    std::string utf8 = to_utf8(d.bytes, charset, known);
    if (!known) note("unknown charset \"" + charset.substr(0, 40) + "\" read as UTF-8 or windows-1252");
    bool had_nul = false;
    std::string text = clean_text(utf8, had_nul);
    if (had_nul) note("NUL bytes removed");
    if (flowed) text = unflow(text, delsp && ascii::iequals(ascii::trim_view(*delsp), "yes"));
    if (piece.html) text = html_to_text(text);
    piece.text = std::move(text);
    return piece;
  }

  BodyText& out_;
  std::size_t budget_ = kMaxTextBytes;
};

}  // namespace

BodyText extract_body(const MimeTree& tree) {
  BodyText out;
  Extractor x(out);
  Extract root = x.walk(tree.root);
  out.text = join(root.pieces);
  out.source = any_html(root.pieces) ? "html" : "";
  out.has_text_part = root.text_part;
  out.encrypted = root.encrypted;
  if (ascii::is_blank(out.text)) {
    // A forward without comment: the first forwarded message with text, breadth first.
    std::deque<const MimePart*> queue(root.forwarded.begin(), root.forwarded.end());
    std::size_t visited = 0;
    while (!queue.empty() && visited++ < kMaxMimeParts) {
      const MimePart* m = queue.front();
      queue.pop_front();
      Extract f = x.walk(*m);
      out.has_text_part = out.has_text_part || f.text_part;
      if (f.has_text()) {
        out.text = join(f.pieces);
        out.source = any_html(f.pieces) ? "forwarded html" : "forwarded";
        break;
      }
      queue.insert(queue.end(), f.forwarded.begin(), f.forwarded.end());
    }
  }
  for (auto& a : root.attachments) {
    if (out.attachments.size() < kMaxListed)
      out.attachments.push_back(std::move(a));
    else
      ++out.more_attachments;
  }
  for (const MimePart* m : root.forwarded) {
    if (out.forwarded.size() >= kMaxListed) break;
    std::string subject = m->message_subject;
    cut_utf8(subject, kMaxNameBytes);
    out.forwarded.push_back(subject.empty() ? "(no subject)" : subject);
  }
  if (out.text.size() > kMaxTextBytes) {
    std::size_t full = out.text.size();
    cut_utf8(out.text, kMaxTextBytes);
    if (out.truncated.empty())
      out.truncated =
          "text cut at " + std::to_string(kMaxTextBytes) + " bytes (it had " + std::to_string(full) + ")";
  }
  return out;
}

}  // namespace cxmap::email
