// One-pass MIME structure parser; see mime_parts.h for the rules.
#include "connectors/email/mime_parts.h"

#include <algorithm>
#include <cstring>

#include "connectors/email/ascii.h"
#include "connectors/email/charset.h"
#include "connectors/email/transfer_encoding.h"

namespace cxmap::email {

namespace {

// A structure error or a limit: the parse stops and the message is rejected.
struct StructureError {
  std::string reason;
};

// Longest boundary guessed from a body (RFC 2046 allows 70). A declared
// boundary may be of any length: a line is compared with it only when the
// lengths agree, so matching stays linear.
constexpr std::size_t kMaxBoundary = 200;
constexpr std::size_t kMaxDefects = 16;

// Boundary guesses per message: each rescans part of the body, so a bounded
// number keeps a message of nested guesses linear.
constexpr int kMaxSniffs = 4;

struct Shared {
  MimeTree& tree;
  std::size_t parts = 0;
  int sniffs_left = kMaxSniffs;
  void defect(std::string note) {
    auto& d = tree.defects;
    if (d.size() < kMaxDefects && std::find(d.begin(), d.end(), note) == d.end())
      d.push_back(std::move(note));
  }
};

std::string_view line_at(std::string_view buf, std::size_t pos, std::size_t& next) {
  const char* nl = static_cast<const char*>(std::memchr(buf.data() + pos, '\n', buf.size() - pos));
  std::size_t end = nl ? static_cast<std::size_t>(nl - buf.data()) : buf.size();
  next = nl ? end + 1 : buf.size();
  std::string_view line = buf.substr(pos, end - pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string_view strip_trailing_space(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

class Walker {
 public:
  Walker(Shared& shared, std::string_view buf) : s_(shared), buf_(buf) {}

  struct Hit {
    std::size_t line = 0;  // where the delimiter line starts
    std::size_t next = 0;  // where the line after it starts
    int level = -1;        // index in the boundary stack; -1 = end of bytes
    bool close = false;
    bool end() const { return level < 0; }
  };

  // A part: its header at pos, then its body.
  Hit entity(std::size_t pos, int depth, MimePart& part, std::string_view default_type, bool is_message) {
    if (++s_.parts > kMaxMimeParts)
      throw StructureError{"MIME structure: more than " + std::to_string(kMaxMimeParts) + " parts"};
    if (depth > kMaxMimeDepth)
      throw StructureError{"MIME structure: parts nested deeper than " + std::to_string(kMaxMimeDepth) +
                           " levels"};
    std::string ct, cte, cd, cid, subject;
    std::string* folding = nullptr;  // the kept field a continuation line extends
    std::size_t fields = 0;
    bool first = true;
    Hit hit;
    bool ended_by_delimiter = false;
    while (pos < buf_.size()) {
      std::size_t next = 0;
      std::string_view line = line_at(buf_, pos, next);
      if (line.empty()) {
        pos = next;
        break;
      }
      if (line.size() >= 2 && line[0] == '-' && line[1] == '-' && match(line.substr(2), hit)) {
        hit.line = pos;
        hit.next = next;
        ended_by_delimiter = true;
        break;
      }
      if (first && is_message && line.compare(0, 5, "From ") == 0 && !looks_like_field(line)) {
        first = false;  // an mbox envelope line kept in a forwarded message
        pos = next;
        continue;
      }
      first = false;
      if (line[0] == ' ' || line[0] == '\t') {
        if (folding) {
          std::string_view more = ascii::trim_view(line);
          if (!more.empty() && folding->size() < (1u << 20)) {
            *folding += ' ';
            folding->append(more);
          }
        }
        pos = next;
        continue;
      }
      if (!looks_like_field(line)) {
        s_.defect("part header without a blank line before the body");
        break;  // the body starts at this line
      }
      if (++fields > kMaxHeaderFields)
        throw StructureError{"MIME structure: more than " + std::to_string(kMaxHeaderFields) +
                             " header fields in one part"};
      std::size_t colon = line.find(':');
      std::string_view name = ascii::trim_view(line.substr(0, colon));
      std::string_view value = ascii::trim_view(line.substr(colon + 1));
      folding = nullptr;
      if (ascii::iequals(name, "Content-Type"))
        folding = &ct;
      else if (ascii::iequals(name, "Content-Transfer-Encoding"))
        folding = &cte;
      else if (ascii::iequals(name, "Content-Disposition"))
        folding = &cd;
      else if (ascii::iequals(name, "Content-ID"))
        folding = &cid;
      else if (is_message && ascii::iequals(name, "Subject"))
        folding = &subject;
      if (folding) {
        if (!folding->empty()) {
          folding = nullptr;  // a repeated field: the first one counts
        } else {
          folding->assign(value);
        }
      }
      pos = next;
    }
    part.is_message = is_message;
    part.type = parse_content_type(ct, default_type);
    part.transfer_encoding = ascii::trim(cte);
    part.disposition = parse_content_disposition(cd);
    part.content_id = ascii::trim(cid);
    if (part.content_id.size() >= 2 && part.content_id.front() == '<' && part.content_id.back() == '>')
      part.content_id = part.content_id.substr(1, part.content_id.size() - 2);
    if (is_message) part.message_subject = ascii::trim(decode_header_words(subject));
    if (ended_by_delimiter) {
      part.body = std::string_view();
      return hit;
    }
    if (pos >= buf_.size()) {
      part.body = std::string_view();
      return Hit{buf_.size(), buf_.size(), -1, false};
    }
    return body(pos, depth, part);
  }

  // The body of `part` (header already read) from pos.
  Hit body(std::size_t pos, int depth, MimePart& part) {
    TransferEncoding te = transfer_encoding_of(part.transfer_encoding);
    bool message =
        part.type.type == "message" && (part.type.subtype == "rfc822" || part.type.subtype == "global");
    if (!part.multipart() && !message) return leaf(pos, part);
    if (part.multipart()) {
      const std::string* b = part.type.params.get("boundary");
      std::string boundary = b ? *b : std::string();
      if (boundary.empty()) {
        if (s_.sniffs_left > 0) {
          --s_.sniffs_left;
          boundary = sniff(pos);
        }
        if (boundary.empty()) {
          Hit end = scan(pos);
          std::string what = part.type.mime_type() + " without a boundary parameter";
          if (depth == 0) throw StructureError{"MIME structure: " + what};
          s_.defect(what);
          part.body = buf_.substr(pos, content_end(pos, end) - pos);
          return end;
        }
        s_.defect(part.type.mime_type() + " without a boundary parameter; used \"" + boundary +
                  "\" found in the body");
      }
      if (te != TransferEncoding::identity) return encoded_container(pos, depth, part, te, boundary);
      return multipart(pos, depth, part, boundary, true);
    }
    if (te != TransferEncoding::identity) return encoded_container(pos, depth, part, te, "");
    part.children.emplace_back();
    Hit hit = entity(pos, depth + 1, part.children.back(), "text/plain", true);
    part.body = buf_.substr(pos, content_end(pos, hit) - pos);
    return hit;
  }

 private:
  Hit leaf(std::size_t pos, MimePart& part) {
    Hit hit = scan(pos);
    part.body = buf_.substr(pos, content_end(pos, hit) - pos);
    return hit;
  }

  // Rule 4: a transfer-encoded multipart or message, decoded and parsed apart.
  Hit encoded_container(std::size_t pos, int depth, MimePart& part, TransferEncoding te,
                        const std::string& boundary) {
    Hit hit = scan(pos);
    std::string_view raw = buf_.substr(pos, content_end(pos, hit) - pos);
    part.body = raw;
    s_.defect(part.type.mime_type() + " with a transfer encoding");
    auto& buffer = s_.tree.buffers.emplace_back(
        std::make_unique<std::string>(decode_transfer(te, raw, raw.size()).bytes));
    Walker inner(s_, *buffer);
    if (part.multipart()) {
      inner.multipart(0, depth, part, boundary, true);
    } else {
      part.children.emplace_back();
      inner.entity(0, depth + 1, part.children.back(), "text/plain", true);
    }
    part.body = raw;
    return hit;
  }

  Hit multipart(std::size_t pos, int depth, MimePart& part, const std::string& boundary, bool may_sniff) {
    if (depth + 1 > kMaxMimeDepth)
      throw StructureError{"MIME structure: parts nested deeper than " + std::to_string(kMaxMimeDepth) +
                           " levels"};
    const std::string_view default_type = part.type.subtype == "digest" ? "message/rfc822" : "text/plain";
    stack_.push_back(boundary);
    const int level = static_cast<int>(stack_.size()) - 1;
    struct Pop {
      std::vector<std::string>& stack;
      std::size_t size;
      ~Pop() { stack.resize(size); }
    } pop{stack_, stack_.size() - 1};
    Hit hit = scan(pos);  // the preamble
    if (hit.level != level) {
      stack_.pop_back();
      std::size_t end = content_end(pos, hit);
      std::string found;
      if (may_sniff && s_.sniffs_left > 0) {
        --s_.sniffs_left;
        found = sniff(pos);
      }
      if (!found.empty() && found != boundary) {
        s_.defect("boundary \"" + boundary + "\" not found; used \"" + found + "\" found in the body");
        return multipart(pos, depth, part, found, false);
      }
      s_.defect("boundary \"" + boundary + "\" not found; body read as text/plain");
      part.type = parse_content_type("text/plain");
      part.body = buf_.substr(pos, end - pos);
      return hit;
    }
    while (hit.level == level && !hit.close) {
      part.children.emplace_back();
      hit = entity(hit.next, depth + 1, part.children.back(), default_type, false);
    }
    if (hit.level == level) {  // closed: skip the epilogue
      stack_.pop_back();
      Hit after = scan(hit.next);
      part.body = buf_.substr(pos, content_end(pos, after) - pos);
      return after;
    }
    s_.defect("missing closing boundary \"" + boundary + "\"");
    part.body = buf_.substr(pos, content_end(pos, hit) - pos);
    return hit;
  }

  // Is `rest` (a line after its leading "--") a delimiter in force?
  bool match(std::string_view rest, Hit& hit) const {
    rest = strip_trailing_space(rest);
    for (int i = static_cast<int>(stack_.size()) - 1; i >= 0; --i) {
      const std::string& b = stack_[static_cast<std::size_t>(i)];
      if (rest.size() == b.size() && rest == b) {
        hit.level = i;
        hit.close = false;
        return true;
      }
      if (rest.size() == b.size() + 2 && rest.compare(0, b.size(), b) == 0 && rest.substr(b.size()) == "--") {
        hit.level = i;
        hit.close = true;
        return true;
      }
    }
    return false;
  }

  // The first delimiter line at or after pos.
  Hit scan(std::size_t pos) const {
    Hit hit;
    if (stack_.empty()) {
      hit.line = hit.next = buf_.size();
      return hit;
    }
    while (pos < buf_.size()) {
      std::size_t next = 0;
      std::string_view line = line_at(buf_, pos, next);
      if (line.size() >= 2 && line[0] == '-' && line[1] == '-' && match(line.substr(2), hit)) {
        hit.line = pos;
        hit.next = next;
        return hit;
      }
      pos = next;
    }
    hit.level = -1;
    hit.line = hit.next = buf_.size();
    return hit;
  }

  // Where the content before `hit` ends: the line end before a delimiter
  // belongs to the delimiter (RFC 2046).
  std::size_t content_end(std::size_t start, const Hit& hit) const {
    if (hit.end()) return std::max(start, buf_.size());
    std::size_t e = hit.line;
    if (e > start && buf_[e - 1] == '\n') {
      --e;
      if (e > start && buf_[e - 1] == '\r') --e;
    }
    return std::max(e, start);
  }

  // A boundary written in the body: the first "--X" line before the next
  // delimiter in force that is followed by a header field or a blank line;
  // "" if none. Stops early, so a successful guess costs little.
  std::string sniff(std::size_t pos) const {
    while (pos < buf_.size()) {
      std::size_t next = 0;
      std::string_view line = line_at(buf_, pos, next);
      if (line.size() > 2 && line[0] == '-' && line[1] == '-') {
        Hit outer;
        if (match(line.substr(2), outer)) return "";
        std::string_view cand = strip_trailing_space(line.substr(2));
        bool closing = cand.size() >= 2 && cand.substr(cand.size() - 2) == "--";
        if (!cand.empty() && cand.size() <= kMaxBoundary && !closing && next < buf_.size()) {
          std::size_t after = 0;
          std::string_view following = line_at(buf_, next, after);
          if (following.empty() || looks_like_field(following)) return std::string(cand);
        }
      }
      pos = next;
    }
    return "";
  }

  Shared& s_;
  std::string_view buf_;
  std::vector<std::string> stack_;  // boundaries in force, outermost first
};

}  // namespace

Result<MimeTree> parse_mime(const std::vector<HeaderField>& fields, std::string_view body) {
  MimeTree tree;
  Shared shared{tree};
  MimePart& root = tree.root;
  const std::string* ct = find_header(fields, "Content-Type");
  const std::string* cte = find_header(fields, "Content-Transfer-Encoding");
  const std::string* cd = find_header(fields, "Content-Disposition");
  root.type = parse_content_type(ct ? *ct : std::string_view());
  root.transfer_encoding = cte ? ascii::trim(*cte) : std::string();
  root.disposition = parse_content_disposition(cd ? *cd : std::string_view());
  try {
    Walker walker(shared, body);
    walker.body(0, 0, root);
  } catch (const StructureError& e) {
    return make_error(ErrorKind::input, e.reason);
  }
  return tree;
}

}  // namespace cxmap::email
