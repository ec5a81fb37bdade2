// POP3 connector (kind "pop3"): the messages of one POP3 maildrop, read with
// Poco::Net::POP3ClientSession over a plain, implicit-TLS or STLS connection
// (settings: mail_server.h). Each message (RETR) goes through the shared MIME
// code (mime_message.h), so it dedupes with the same mail read from an mbox,
// a Maildir or IMAP. Locator: "pop3://user@host:port/;UIDL=<uidl>".
//
// Cursor: {"uidl":["<uidl>", ...]}, the unique ids (RFC 1939 UIDL) of the
// messages already handed to the sink, ingested or quarantined, pruned to
// those still on the server, in server order.
//
// Invariants:
//  1. A message is handed to the sink, then a cursor naming its UIDL is
//     checkpointed; a message whose UIDL is in the cursor is not fetched again
//     (so a quarantined message is not retried either).
//  2. "delete_after": true deletes only the messages whose UIDL was in the
//     cursor pull() was given. The ingest job gives the cursor it committed
//     in the same transaction as the records it covers, so a message is
//     deleted by the run after the one that stored it, never by the run that
//     fetched it. DELE takes effect at QUIT: a run that loses its connection
//     deletes nothing.
//  3. stop_requested() is checked before each message; the run then ends
//     with every message handed over already checkpointed.
//
// The session does the one-line commands (USER, PASS, DELE, QUIT). The two
// multi-line answers are read through a second DialogSocket on the same
// connection: UIDL, for which the session has no call, and RETR, whose data
// the session would cut short at a 0xFF byte (see retrieve()). POP3 is
// strict command/answer, so neither reader ever holds bytes of the other's
// answer. The greeting and STLS are read before the session exists, and
// USER/PASS go through sendCommand(), because POP3ClientSession::login()
// waits for a greeting, which no server repeats after STLS.
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/DialogSocket.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/POP3ClientSession.h>
#include <Poco/URI.h>

#include <set>
#include <sstream>
#include <string_view>

#include "connectors/email/mail_server.h"
#include "connectors/email/mime_message.h"
#include "connectors/source_kinds.h"

namespace cxmap {

namespace {

struct ServerMessage {
  int number = 0;    // message number in this session
  std::string uidl;  // unique id, stable across sessions
};

// The UIDLs of a cursor; an empty cursor is the start.
Result<std::set<std::string>> read_cursor(const std::string& cursor, const std::string& who) {
  std::set<std::string> out;
  if (cursor.empty()) return out;
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var root = parser.parse(cursor);
    if (root.type() == typeid(Poco::JSON::Object::Ptr)) {
      auto obj = root.extract<Poco::JSON::Object::Ptr>();
      if (Poco::JSON::Array::Ptr list = obj->getArray("uidl")) {
        for (std::size_t i = 0; i < list->size(); ++i)
          out.insert(list->get(static_cast<unsigned>(i)).convert<std::string>());
        return out;
      }
    }
  } catch (const Poco::Exception&) {
  }
  return make_error(ErrorKind::input, who + ": the saved cursor is not a POP3 cursor ({\"uidl\": [...]}): " +
                                          cursor.substr(0, 200));
}

// The cursor text for `items`: the JSON-quoted UIDLs, comma-separated.
std::string cursor_text(const std::string& items) {
  return "{\"uidl\":[" + items + "]}";
}

void add_item(std::string& items, const std::string& uidl) {
  if (!items.empty()) items += ',';
  items += email::json_quote(uidl);
}

class Pop3Source : public Source {
 public:
  explicit Pop3Source(SourceSpec spec) : spec_(std::move(spec)) {}
  const SourceSpec& spec() const override { return spec_; }

  Status pull(RecordSink& sink, const std::string& cursor) override {
    const std::string who = "source '" + spec_.name + "'";
    auto settings = email::read_mail_settings(spec_, 110, 995);
    if (!settings) return settings.error();
    const email::MailServerSettings& s = *settings;
    auto committed = read_cursor(cursor, who);
    if (!committed) return committed.error();
    const std::string server = "POP3 server " + s.where();
    const std::string locator_base =
        "pop3://" + encode(s.user) + "@" + s.host + ":" + std::to_string(s.port) + "/;UIDL=";

    std::string step = "cannot connect to " + server;
    try {
      Poco::Net::StreamSocket socket = email::connect_mail_server(s);
      std::string line;
      {
        Poco::Net::DialogSocket greeting(socket);
        if (!greeting.receiveMessage(line) || !positive(line))
          return make_error(ErrorKind::input, who + ": " + server + " did not greet: " + line);
        if (s.starttls) {
          step = "cannot start TLS with " + server;
          greeting.sendMessage("STLS");
          if (!greeting.receiveMessage(line) || !positive(line))
            return make_error(ErrorKind::input, who + ": " + server + " refused STLS: " + line);
          socket = email::start_tls(socket, s);
        }
      }
      Poco::Net::POP3ClientSession session(socket);
      session.setTimeout(Poco::Timespan(s.timeout_seconds, 0));
      step = "cannot log in to " + server;
      if (!session.sendCommand("USER", s.user, line) || !session.sendCommand("PASS", s.password, line))
        return make_error(ErrorKind::config, who + ": " + server + " refused the login of user '" + s.user +
                                                 "' (password from $" + s.password_env + "): " + line);

      step = "failed reading from " + server;
      Poco::Net::DialogSocket side(socket);
      auto listed = list_uidls(side, who, server);
      if (!listed) return listed.error();

      // Invariant 1: what the cursor names is done; prune what has left the server.
      std::string items;
      std::size_t kept = 0;
      std::vector<const ServerMessage*> fresh;
      for (const ServerMessage& m : *listed) {
        if (committed->count(m.uidl)) {
          add_item(items, m.uidl);
          ++kept;
          // Invariant 2: only messages committed by an earlier run.
          if (s.delete_after) session.deleteMessage(m.number);
        } else {
          fresh.push_back(&m);
        }
      }
      if (kept != committed->size()) sink.checkpoint(cursor_text(items));

      for (const ServerMessage* m : fresh) {
        if (sink.stop_requested()) break;  // invariant 3
        email::deliver_message(retrieve(side, m->number), spec_.name, locator_base + m->uidl, sink);
        add_item(items, m->uidl);
        sink.checkpoint(cursor_text(items));
      }
      step = "cannot close the session with " + server;
      session.close();  // QUIT: the server applies the DELEs now
    } catch (const Poco::Exception& e) {
      return make_error(ErrorKind::input, who + ": " + step + ": " + email::network_error_text(e));
    }
    return ok_status();
  }

 private:
  static bool positive(const std::string& line) { return !line.empty() && line[0] == '+'; }

  static std::string encode(const std::string& part) {
    std::string out;
    Poco::URI::encode(part, "@:/;?#%", out);
    return out;
  }

  // UIDL without an argument: "+OK", then "<number> <uidl>" lines up to ".".
  static Result<std::vector<ServerMessage>> list_uidls(Poco::Net::DialogSocket& side, const std::string& who,
                                                       const std::string& server) {
    std::vector<ServerMessage> out;
    std::string line;
    side.sendMessage("UIDL");
    if (!side.receiveMessage(line) || !positive(line))
      return make_error(ErrorKind::input, who + ": " + server + " does not list unique ids (UIDL): " + line);
    while (true) {
      if (!side.receiveMessage(line))
        return make_error(ErrorKind::input, who + ": " + server + " closed the connection during UIDL");
      if (line == ".") break;
      std::istringstream fields(line);
      ServerMessage m;
      if (!(fields >> m.number >> m.uidl) || m.number <= 0)
        return make_error(ErrorKind::input, who + ": " + server + " sent a malformed UIDL line: " + line);
      out.push_back(std::move(m));
    }
    return out;
  }

  // RETR: the message with the dot-stuffing undone and LF line ends (so it
  // hashes like the same message in an mbox). Read raw, because Poco 1.11's
  // DialogSocket::get() returns a 0xFF byte as EOF, which makes
  // POP3ClientSession::retrieveMessage() cut a message short at the first
  // 0xFF (a Latin-1 'ÿ', any 8-bit binary part) without an error.
  static std::string retrieve(Poco::Net::DialogSocket& side, int number) {
    side.sendMessage("RETR", std::to_string(number));
    std::string line;
    if (!side.receiveMessage(line) || !positive(line))
      throw Poco::Net::POP3Exception("RETR " + std::to_string(number) + " refused", line);
    std::string pending, message;
    char chunk[65536];
    while (true) {
      std::size_t start = 0, lf = 0;
      while ((lf = pending.find('\n', start)) != std::string::npos) {
        std::size_t end = lf > start && pending[lf - 1] == '\r' ? lf - 1 : lf;
        std::string_view text(pending.data() + start, end - start);
        start = lf + 1;
        if (text == ".") {
          if (start != pending.size()) throw Poco::ProtocolException("data after the end of a POP3 message");
          return message;
        }
        if (!text.empty() && text[0] == '.') text.remove_prefix(1);
        message.append(text);
        message += '\n';
      }
      pending.erase(0, start);
      int n = side.receiveRawBytes(chunk, static_cast<int>(sizeof chunk));
      if (n <= 0) throw Poco::Net::NetException("connection closed during RETR");
      pending.append(chunk, static_cast<std::size_t>(n));
    }
  }

  SourceSpec spec_;
};

}  // namespace

std::unique_ptr<Source> make_pop3_source(const SourceSpec& spec) {
  return std::make_unique<Pop3Source>(spec);
}

}  // namespace cxmap
