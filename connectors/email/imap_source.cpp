// IMAP connector (kind "imap"): new messages of one or more folders of an
// IMAP4rev1 server (RFC 3501), over a plain, implicit-TLS or STARTTLS
// connection (settings: mail_server.h, plus "folders", default ["INBOX"],
// folder names in UTF-8 as a mail client shows them). Each message goes
// through the shared MIME code (mime_message.h), so its external id is the
// Message-ID (or, without one, the content hash of the message with LF line
// ends) and the same mail read over POP3, IMAP, mbox or Maildir dedupes.
// Locator: "imap://user@host:port/<folder>;UIDVALIDITY=<v>/;UID=<uid>".
//
// Why a small client over Poco sockets and not libcurl: Debian 12's libcurl
// (7.88) fetches with "UID FETCH n BODY[]" after SELECT, which marks every
// message it reads \Seen in a mailbox people also work from; its custom
// commands drop literals, so "BODY.PEEK[]" cannot be sent instead; and it
// does not report UIDVALIDITY. What cxmap needs is five commands (LOGIN,
// EXAMINE, UID SEARCH, UID FETCH BODY.PEEK[], LOGOUT), one at a time, which
// this file speaks directly, with the same TLS stack as the POP3 connector.
// EXAMINE opens folders read-only: the connector never changes a flag.
//
// Cursor: {"folders":{"<folder>":{"uidvalidity":V,"uid":U},...}} for the
// configured folders: U is the highest UID already handed to the sink
// (ingested or quarantined) while the folder's UIDVALIDITY was V.
//
// Invariants:
//  1. Only messages with UID > U are fetched, in UID order; after each one
//     is handed to the sink, the cursor naming its UID is checkpointed.
//  2. When the folder's UIDVALIDITY is not V, its UIDs mean nothing any more:
//     the folder restarts from UID 0 and the store's dedupe by external id
//     keeps the rerun idempotent.
//  3. stop_requested() is checked before each message; the run then ends
//     with every message handed over already checkpointed.
//  4. A folder that does not exist is reported (config error naming it)
//     after the other folders have been read.
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/NetException.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <sstream>

#include "connectors/email/mail_server.h"
#include "connectors/email/mime_message.h"
#include "connectors/source_kinds.h"

namespace cxmap {

namespace {

constexpr std::size_t kMaxLine = 64u << 20;    // a UID SEARCH answer of millions of UIDs fits
constexpr std::size_t kMaxLiteral = 1u << 30;  // a message larger than 1 GiB is refused

// ---- IMAP strings -----------------------------------------------------------

// UTF-8 -> modified UTF-7 (RFC 3501 5.1.3), the encoding of mailbox names.
Result<std::string> mailbox_name(const std::string& utf8) {
  static const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
  std::string out;
  std::vector<unsigned char> pending;  // UTF-16BE bytes waiting for base64
  auto flush = [&] {
    if (pending.empty()) return;
    out += '&';
    std::uint32_t bits = 0;
    int nbits = 0;
    for (unsigned char b : pending) {
      bits = (bits << 8) | b;
      nbits += 8;
      while (nbits >= 6) {
        out += kB64[(bits >> (nbits - 6)) & 0x3f];
        nbits -= 6;
      }
    }
    if (nbits > 0) out += kB64[(bits << (6 - nbits)) & 0x3f];
    out += '-';
    pending.clear();
  };
  auto unit = [&](std::uint32_t u) {
    pending.push_back(static_cast<unsigned char>(u >> 8));
    pending.push_back(static_cast<unsigned char>(u & 0xff));
  };
  for (std::size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    std::uint32_t cp = 0;
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (len == 0 || i + len > utf8.size()) return make_error(ErrorKind::config, "not UTF-8");
    cp = len == 1 ? c : c & (0x7f >> len);
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(utf8[i + k]);
      if ((cc >> 6) != 0x2) return make_error(ErrorKind::config, "not UTF-8");
      cp = (cp << 6) | (cc & 0x3f);
    }
    i += len;
    if (cp >= 0x20 && cp <= 0x7e) {
      flush();
      out += cp == '&' ? std::string("&-") : std::string(1, static_cast<char>(cp));
    } else if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xd800 + (cp >> 10));
      unit(0xdc00 + (cp & 0x3ff));
    } else {
      unit(cp);
    }
  }
  flush();
  return out;
}

// A command being built: pieces[i+1] is sent after the server's "+" answer
// to pieces[i], which then ends with a literal's "{n}".
struct Command {
  std::vector<std::string> pieces{""};
  Command& raw(const std::string& s) {
    pieces.back() += s;
    return *this;
  }
  // An IMAP string: quoted when it is printable ASCII, else a literal.
  Command& str(const std::string& s) {
    bool quotable = std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
    if (quotable) {
      std::string q = "\"";
      for (char c : s) {
        if (c == '"' || c == '\\') q += '\\';
        q += c;
      }
      q += '"';
      pieces.back() += q;
    } else {
      pieces.back().append("{").append(std::to_string(s.size())).append("}");
      pieces.push_back(s);
    }
    return *this;
  }
};

// One server response: its line(s), and the literals it carried. Each
// literal's `at` is the offset in `text` just after its "{n}" marker.
struct Response {
  std::string text;
  struct Literal {
    std::size_t at;
    std::string bytes;
  };
  std::vector<Literal> literals;
};

bool starts_with_ci(const std::string& s, std::size_t at, const std::string& word) {
  if (s.size() < at + word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(s[at + i])) != word[i]) return false;
  return true;
}

std::size_t find_ci(const std::string& s, const std::string& word, std::size_t from = 0) {
  for (std::size_t i = from; i + word.size() <= s.size(); ++i)
    if (starts_with_ci(s, i, word)) return i;
  return std::string::npos;
}

// The number after `word` ("UIDVALIDITY 123", "UID 7"), 0 if none.
std::uint64_t number_after(const std::string& s, const std::string& word) {
  std::size_t at = find_ci(s, word);
  if (at == std::string::npos) return 0;
  at += word.size();
  std::uint64_t n = 0;
  while (at < s.size() && std::isdigit(static_cast<unsigned char>(s[at])))
    n = n * 10 + static_cast<std::uint64_t>(s[at++] - '0');
  return n;
}

// ---- the conversation -------------------------------------------------------

// One command at a time over a connected socket. Network failures and
// protocol violations throw Poco exceptions (converted once, in pull()).
class ImapConnection {
 public:
  explicit ImapConnection(Poco::Net::StreamSocket socket) : socket_(std::move(socket)) {}

  const Poco::Net::StreamSocket& socket() const { return socket_; }

  // After STARTTLS: a server that sent bytes after its OK is trying to
  // inject responses into the encrypted session.
  void replace_socket(Poco::Net::StreamSocket socket) {
    if (!buffer_.empty()) throw Poco::ProtocolException("data after the STARTTLS answer");
    socket_ = std::move(socket);
  }

  Response read_response() {
    Response r;
    r.text = read_line();
    while (true) {
      // A literal: the line ends with "{n}" (or "{n+}"), then n bytes follow.
      if (r.text.empty() || r.text.back() != '}') break;
      std::size_t open = r.text.rfind('{');
      if (open == std::string::npos) break;
      std::string digits = r.text.substr(open + 1, r.text.size() - open - 2);
      if (!digits.empty() && digits.back() == '+') digits.pop_back();
      if (digits.empty() || digits.size() > 12 || !std::all_of(digits.begin(), digits.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
          }))
        break;
      std::size_t n = std::stoull(digits);
      if (n > kMaxLiteral) throw Poco::ProtocolException("literal of " + digits + " bytes");
      r.literals.push_back({r.text.size(), read_bytes(n)});
      r.text += read_line();
    }
    return r;
  }

  // Sends `command` under a fresh tag and reads up to the tagged answer,
  // handing every untagged response to `untagged`. Returns the tagged
  // answer without its tag ("OK ...", "NO ...", "BAD ...").
  std::string run(const Command& command, const std::function<void(Response&)>& untagged = {}) {
    const std::string tag = std::string("c").append(std::to_string(++tags_));
    for (std::size_t i = 0; i < command.pieces.size(); ++i) {
      std::string line;
      if (i == 0) line.append(tag).append(" ");
      line.append(command.pieces[i]).append("\r\n");
      send(line);
      if (i + 1 == command.pieces.size()) break;
      // Wait for the server's go-ahead for the literal.
      while (true) {
        Response r = read_response();
        if (r.text.compare(0, 1, "+") == 0) break;
        if (r.text.compare(0, tag.size() + 1, tag + " ") == 0) return r.text.substr(tag.size() + 1);
        handle(r, untagged);
      }
    }
    while (true) {
      Response r = read_response();
      if (r.text.compare(0, tag.size() + 1, tag + " ") == 0) return r.text.substr(tag.size() + 1);
      handle(r, untagged);
    }
  }

  // LOGOUT, best effort: the server's goodbye is not waited for long.
  void logout() {
    try {
      send(std::string("c").append(std::to_string(++tags_)).append(" LOGOUT\r\n"));
    } catch (const Poco::Exception&) {
    }
  }

 private:
  void handle(Response& r, const std::function<void(Response&)>& untagged) {
    if (starts_with_ci(r.text, 0, "* BYE")) throw Poco::Net::NetException("server said " + r.text);
    if (untagged) untagged(r);
  }

  void send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      int n = socket_.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
      if (n <= 0) throw Poco::Net::NetException("connection closed while sending");
      sent += static_cast<std::size_t>(n);
    }
  }

  void fill() {
    char chunk[65536];
    int n = socket_.receiveBytes(chunk, sizeof chunk);
    if (n <= 0) throw Poco::Net::NetException("connection closed by the server");
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }

  // One line without its CRLF (a bare LF is accepted).
  std::string read_line() {
    std::size_t scanned = 0;
    while (true) {
      std::size_t lf = buffer_.find('\n', scanned);
      if (lf != std::string::npos) {
        std::size_t end = lf > 0 && buffer_[lf - 1] == '\r' ? lf - 1 : lf;
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, lf + 1);
        return line;
      }
      if (buffer_.size() > kMaxLine) throw Poco::ProtocolException("server line longer than 64 MiB");
      scanned = buffer_.size();
      fill();
    }
  }

  std::string read_bytes(std::size_t n) {
    while (buffer_.size() < n) fill();
    std::string out = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return out;
  }

  Poco::Net::StreamSocket socket_;
  std::string buffer_;
  unsigned tags_ = 0;
};

// ---- cursor -----------------------------------------------------------------

struct FolderState {
  std::uint64_t uidvalidity = 0;
  std::uint64_t uid = 0;
};

Result<std::map<std::string, FolderState>> read_cursor(const std::string& cursor, const std::string& who) {
  std::map<std::string, FolderState> out;
  if (cursor.empty()) return out;
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var root = parser.parse(cursor);
    if (root.type() == typeid(Poco::JSON::Object::Ptr)) {
      auto obj = root.extract<Poco::JSON::Object::Ptr>();
      if (auto folders = obj->getObject("folders")) {
        for (const auto& [name, value] : *folders) {
          auto f = value.extract<Poco::JSON::Object::Ptr>();
          out[name] =
              FolderState{f->getValue<std::uint64_t>("uidvalidity"), f->getValue<std::uint64_t>("uid")};
        }
        return out;
      }
    }
  } catch (const Poco::Exception&) {
  } catch (const std::exception&) {
  }
  return make_error(
      ErrorKind::input,
      who + ": the saved cursor is not an IMAP cursor ({\"folders\": {...}}): " + cursor.substr(0, 200));
}

std::string cursor_text(const std::vector<std::string>& folders,
                        const std::map<std::string, FolderState>& state) {
  std::string out = "{\"folders\":{";
  bool first = true;
  for (const std::string& f : folders) {
    auto it = state.find(f);
    if (it == state.end()) continue;
    if (!first) out += ',';
    first = false;
    out += email::json_quote(f) + ":{\"uidvalidity\":" + std::to_string(it->second.uidvalidity) +
           ",\"uid\":" + std::to_string(it->second.uid) + "}";
  }
  return out + "}}";
}

// ---- the source -------------------------------------------------------------

class ImapSource : public Source {
 public:
  explicit ImapSource(SourceSpec spec) : spec_(std::move(spec)) {}
  const SourceSpec& spec() const override { return spec_; }

  Status pull(RecordSink& sink, const std::string& cursor) override {
    const std::string who = "source '" + spec_.name + "'";
    auto settings = email::read_mail_settings(spec_, 143, 993);
    if (!settings) return settings.error();
    const email::MailServerSettings& s = *settings;
    std::vector<std::string> encoded;
    for (const std::string& f : s.folders) {
      auto name = mailbox_name(f);
      if (!name) return make_error(ErrorKind::config, who + ": folder name is not UTF-8: " + f);
      encoded.push_back(*name);
    }
    auto loaded = read_cursor(cursor, who);
    if (!loaded) return loaded.error();
    // Folders no longer configured drop out of the cursor.
    std::map<std::string, FolderState> state;
    for (const std::string& f : s.folders)
      if (auto it = loaded->find(f); it != loaded->end()) state[f] = it->second;

    const std::string server = "IMAP server " + s.where();
    std::string step = "cannot connect to " + server;
    std::vector<std::string> missing;
    try {
      ImapConnection imap(email::connect_mail_server(s));
      Response greeting = imap.read_response();
      const bool preauth = starts_with_ci(greeting.text, 0, "* PREAUTH");
      if (!preauth && !starts_with_ci(greeting.text, 0, "* OK"))
        return make_error(ErrorKind::input, who + ": " + server + " did not greet: " + greeting.text);
      if (s.starttls) {
        step = "cannot start TLS with " + server;
        if (preauth)
          return make_error(ErrorKind::input, who + ": " + server +
                                                  " pre-authenticated the connection, so "
                                                  "STARTTLS is impossible");
        std::string answer = imap.run(Command().raw("STARTTLS"));
        if (!starts_with_ci(answer, 0, "OK"))
          return make_error(ErrorKind::input, who + ": " + server + " refused STARTTLS: " + answer);
        imap.replace_socket(email::start_tls(imap.socket(), s));
      }
      if (!preauth) {
        step = "cannot log in to " + server;
        std::string answer = imap.run(Command().raw("LOGIN ").str(s.user).raw(" ").str(s.password));
        if (!starts_with_ci(answer, 0, "OK"))
          return make_error(ErrorKind::config, who + ": " + server + " refused the login of user '" + s.user +
                                                   "' (password from $" + s.password_env + "): " + answer);
      }
      for (std::size_t i = 0; i < s.folders.size(); ++i) {
        step = "failed reading folder '" + s.folders[i] + "' from " + server;
        bool stopped = false;
        if (!read_folder(imap, s, s.folders[i], encoded[i], state, sink, missing, stopped)) continue;
        if (stopped) break;
      }
      imap.logout();
    } catch (const Poco::Exception& e) {
      return make_error(ErrorKind::input, who + ": " + step + ": " + email::network_error_text(e));
    }
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : "; ") + m;
      return make_error(ErrorKind::config, who + ": " + server + " has no such folder: " + list);
    }
    return ok_status();
  }

 private:
  // Reads one folder (invariants 1-3). Returns false when the folder does
  // not exist (noted in `missing`); sets `stopped` on a stop request.
  bool read_folder(ImapConnection& imap, const email::MailServerSettings& s, const std::string& folder,
                   const std::string& encoded, std::map<std::string, FolderState>& state, RecordSink& sink,
                   std::vector<std::string>& missing, bool& stopped) {
    std::uint64_t uidvalidity = 0, exists = 0;
    std::string answer = imap.run(Command().raw("EXAMINE ").str(encoded), [&](Response& r) {
      if (auto v = number_after(r.text, "[UIDVALIDITY "); v) uidvalidity = v;
      std::size_t at = find_ci(r.text, " EXISTS");
      if (at != std::string::npos && at + 7 == r.text.size())
        exists = std::strtoull(r.text.c_str() + 2, nullptr, 10);
    });
    if (!starts_with_ci(answer, 0, "OK")) {
      missing.push_back("'" + folder + "' (" + answer + ")");
      return false;
    }
    if (uidvalidity == 0) throw Poco::ProtocolException("EXAMINE " + encoded + " gave no UIDVALIDITY");

    FolderState& st = state[folder];
    if (st.uidvalidity != uidvalidity) {  // invariant 2 (or a folder read for the first time)
      st = FolderState{uidvalidity, 0};
      sink.checkpoint(cursor_text(s.folders, state));
    }
    if (exists == 0) return true;

    std::vector<std::uint64_t> uids;
    answer = imap.run(Command().raw("UID SEARCH UID " + std::to_string(st.uid + 1) + ":*"), [&](Response& r) {
      if (!starts_with_ci(r.text, 0, "* SEARCH")) return;
      std::istringstream in(r.text.substr(8));
      std::uint64_t uid = 0;
      while (in >> uid)
        if (uid > st.uid) uids.push_back(uid);  // "n:*" always holds the last message
    });
    if (!starts_with_ci(answer, 0, "OK")) throw Poco::ProtocolException("UID SEARCH failed: " + answer);
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());

    std::string base = "imap://" + encode(s.user) + "@" + s.host + ":" + std::to_string(s.port) + "/" +
                       encode(folder) + ";UIDVALIDITY=" + std::to_string(uidvalidity) + "/;UID=";
    for (std::uint64_t uid : uids) {
      if (sink.stop_requested()) {  // invariant 3
        stopped = true;
        return true;
      }
      std::string bytes;
      bool found = false;
      answer =
          imap.run(Command().raw("UID FETCH " + std::to_string(uid) + " (BODY.PEEK[])"), [&](Response& r) {
            if (find_ci(r.text, " FETCH ") == std::string::npos || number_after(r.text, "UID ") != uid)
              return;
            std::size_t body = find_ci(r.text, "BODY[] ");
            if (body == std::string::npos) return;
            for (auto& lit : r.literals)
              if (lit.at > body) {
                bytes = std::move(lit.bytes);
                found = true;
                break;
              }
          });
      if (!starts_with_ci(answer, 0, "OK")) throw Poco::ProtocolException("UID FETCH failed: " + answer);
      // Not found: expunged since the search; nothing to read, move past it.
      if (found)
        email::deliver_message(email::crlf_to_lf(bytes), spec_.name, base + std::to_string(uid), sink);
      st.uid = uid;
      sink.checkpoint(cursor_text(s.folders, state));  // invariant 1
    }
    return true;
  }

  static std::string encode(const std::string& part) {
    std::string out;
    Poco::URI::encode(part, "@:/;?#%", out);
    return out;
  }

  SourceSpec spec_;
};

}  // namespace

std::unique_ptr<Source> make_imap_source(const SourceSpec& spec) {
  return std::make_unique<ImapSource>(spec);
}

}  // namespace cxmap
