// Focus: the pop3 and imap connectors against a real Dovecot started by the
// test on 127.0.0.1 (tests/connector/dovecot.h): what a first pull reads, the
// cursor it checkpoints, incremental pulls, POP3 delete_after, IMAP folders
// and UIDVALIDITY, login and connection errors, quarantine, TLS. A missing
// Dovecot fails these tests (it is installed by scripts/setup).
#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>

#include "tests/connector/collect_sink.h"
#include "tests/connector/dovecot.h"

using namespace cxmap;
using namespace cxmap::test;

namespace {

// Keeps the records, every checkpointed cursor, and can ask for a stop.
struct RunSink : CollectSink {
  std::vector<std::string> cursors;
  int stop_after = -1;  // stop once this many records were handed over
  void checkpoint(const std::string& cursor) override { cursors.push_back(cursor); }
  bool stop_requested() const override {
    return stop_after >= 0 && static_cast<int>(good.size() + bad.size()) >= stop_after;
  }
  std::string cursor() const { return cursors.empty() ? std::string() : cursors.back(); }
  std::vector<std::string> subjects() const {
    std::vector<std::string> out;
    for (const auto& r : good) out.push_back(r.subject);
    return out;
  }
};

// One customer email; `id` empty leaves out the Message-ID.
std::string mail(int n, const std::string& id, const std::string& subject, const std::string& text) {
  std::string m = "From: Customer " + std::to_string(n) + " <customer" + std::to_string(n) +
                  "@example.com>\nTo: support@example.com\nSubject: " + subject +
                  "\nDate: Mon, 07 Sep 2026 10:0" + std::to_string(n % 10) + ":00 +0000\n";
  if (!id.empty()) m += "Message-ID: <" + id + ">\n";
  m += "Content-Type: text/plain; charset=utf-8\n\n" + text + "\n";
  return m;
}

const std::string kBroken =
    "From: broken@example.com\nSubject: Broken\nMessage-ID: <broken@example.com>\n"
    "Content-Type: multipart/mixed\n\ngarbage without any boundary\n";

// The config entry of a mail source, as load_sources_config would hand it over.
SourceSpec server_spec(const std::string& kind, int port, const std::string& extra = "") {
  SourceSpec s;
  s.name = "support-" + kind;
  s.kind = kind;
  s.settings = "{\"name\":\"" + s.name + "\",\"kind\":\"" + kind +
               "\",\"host\":\"127.0.0.1\",\"port\":" + std::to_string(port) + ",\"user\":\"" +
               Dovecot::kUser + "\",\"password_env\":\"" + Dovecot::kPasswordEnv +
               "\",\"timeout_seconds\":10" + (extra.empty() ? "" : "," + extra) + "}";
  return s;
}

Status pull_into(const SourceSpec& spec, RunSink& sink, const std::string& cursor) {
  auto src = open_source(spec);
  if (!src) return src.error();
  return (*src)->pull(sink, cursor);
}

RunSink pull_ok(const SourceSpec& spec, const std::string& cursor = "", int stop_after = -1) {
  RunSink sink;
  sink.stop_after = stop_after;
  Status st = pull_into(spec, sink, cursor);
  if (!st) FAIL("pull failed: " << st.error().message);
  return sink;
}

Error pull_error(const SourceSpec& spec) {
  RunSink sink;
  Status st = pull_into(spec, sink, "");
  if (st) FAIL("pull succeeded where it should fail");
  CHECK(sink.good.empty());
  return st.error();
}

Poco::JSON::Object::Ptr json(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::string> uidls(const std::string& cursor) {
  std::vector<std::string> out;
  auto list = json(cursor)->getArray("uidl");
  for (std::size_t i = 0; i < list->size(); ++i)
    out.push_back(list->getElement<std::string>(static_cast<unsigned>(i)));
  return out;
}

struct FolderCursor {
  std::uint64_t uidvalidity = 0, uid = 0;
};
FolderCursor folder_cursor(const std::string& cursor, const std::string& folder) {
  auto f = json(cursor)->getObject("folders")->getObject(folder);
  if (!f) return {};
  return {f->getValue<std::uint64_t>("uidvalidity"), f->getValue<std::uint64_t>("uid")};
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}
bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

using Subjects = std::vector<std::string>;

}  // namespace

TEST_CASE("pop3: the first pull reads the delivered mail, the next only what is new",
          "[connector][mailserver]") {
  Dovecot dovecot;
  dovecot.deliver(
      mail(1, "refund-1@example.com", "Refund still missing", "I am still waiting for my refund."));
  dovecot.deliver(
      mail(2, "crash-2@example.com", "App crashes at login", "The app crashes every time I log in."));
  dovecot.deliver(
      mail(3, "thanks-3@example.com", "Thanks", "Thanks for the quick fix, the agent was great."));
  const SourceSpec spec = server_spec("pop3", dovecot.pop3_port());

  RunSink first = pull_ok(spec);
  CHECK(first.bad.empty());
  CHECK(first.subjects() == Subjects{"Refund still missing", "App crashes at login", "Thanks"});
  REQUIRE(first.good.size() == 3);
  CHECK(first.good[0].external_id == "refund-1@example.com");
  CHECK(first.good[1].external_id == "crash-2@example.com");
  CHECK(first.good[2].external_id == "thanks-3@example.com");
  const RawFeedback& crash = first.good[1];
  CHECK(crash.source == "support-pop3");
  CHECK(crash.channel == "email");
  CHECK(crash.customer_key == "customer2@example.com");
  CHECK(crash.received_at == "2026-09-07T10:02:00Z");
  REQUIRE(crash.turns.size() == 1);
  CHECK(crash.turns[0].text == "The app crashes every time I log in.");
  const std::string locator = "pop3://cx@127.0.0.1:" + std::to_string(dovecot.pop3_port()) + "/;UIDL=";
  for (const auto& r : first.good) CHECK(starts_with(r.locator, locator));
  // One checkpoint per message, each naming one more UIDL.
  REQUIRE(first.cursors.size() == 3);
  CHECK(uidls(first.cursors[0]).size() == 1);
  CHECK(uidls(first.cursor()).size() == 3);
  CHECK(first.good[2].locator == locator + uidls(first.cursor())[2]);

  dovecot.deliver(mail(4, "wait-4@example.com", "On hold for an hour", "I was on hold for an hour."));
  dovecot.deliver(mail(5, "bill-5@example.com", "Charged twice", "You charged my card twice."));
  RunSink second = pull_ok(spec, first.cursor());
  CHECK(second.subjects() == Subjects{"On hold for an hour", "Charged twice"});
  CHECK(second.bad.empty());
  CHECK(uidls(second.cursor()).size() == 5);

  RunSink third = pull_ok(spec, second.cursor());
  CHECK(third.good.empty());
  CHECK(third.bad.empty());
  CHECK(third.cursors.empty());  // nothing new, nothing pruned
}

TEST_CASE("pop3: delete_after deletes only what an earlier run committed", "[connector][mailserver]") {
  Dovecot dovecot;
  dovecot.deliver(mail(1, "a@example.com", "A", "First message."));
  dovecot.deliver(mail(2, "b@example.com", "B", "Second message."));
  const SourceSpec deleting = server_spec("pop3", dovecot.pop3_port(), "\"delete_after\":true");

  // No cursor yet: nothing is committed, so nothing is deleted.
  RunSink first = pull_ok(deleting);
  CHECK(first.subjects() == Subjects{"A", "B"});
  CHECK(dovecot.stored().size() == 2);

  // A and B were committed with first.cursor(): this run deletes them, and
  // keeps C, which it fetches now.
  const std::string c_path = dovecot.deliver(mail(3, "c@example.com", "C", "Third message."));
  RunSink second = pull_ok(deleting, first.cursor());
  CHECK(second.subjects() == Subjects{"C"});
  auto left = dovecot.stored();
  REQUIRE(left.size() == 1);
  CHECK(left[0].rfind(std::filesystem::path(c_path).filename().string(), 0) == 0);
  RunSink view = pull_ok(server_spec("pop3", dovecot.pop3_port()));
  CHECK(view.subjects() == Subjects{"C"});

  // The next run deletes C and prunes the cursor to what is still there.
  RunSink third = pull_ok(deleting, second.cursor());
  CHECK(third.good.empty());
  CHECK(uidls(third.cursor()).size() == 1);
  CHECK(dovecot.stored().empty());
}

TEST_CASE("imap: folders, the UID cursor and incremental pulls", "[connector][mailserver]") {
  Dovecot dovecot;
  dovecot.deliver(
      mail(1, "i1@example.com", "Cannot find the FAQ", "I searched the help centre for an hour."));
  dovecot.deliver(mail(2, "i2@example.com", "Transferred three times", "I was transferred three times."));
  dovecot.deliver(mail(3, "i3@example.com", "Fixed", "The agent fixed it, thank you."));
  // "Réclamations" on disk: Maildir++ name in modified UTF-7.
  dovecot.deliver(mail(4, "r1@example.com", "Plainte", "Le colis est arriv\xc3\xa9 cass\xc3\xa9."),
                  "R&AOk-clamations");
  const std::string folder =
      "R\xc3\xa9"
      "clamations";
  const SourceSpec spec =
      server_spec("imap", dovecot.imap_port(), "\"folders\":[\"INBOX\",\"" + folder + "\"]");

  RunSink first = pull_ok(spec);
  CHECK(first.bad.empty());
  CHECK(first.subjects() == Subjects{"Cannot find the FAQ", "Transferred three times", "Fixed", "Plainte"});
  REQUIRE(first.good.size() == 4);
  CHECK(first.good[1].external_id == "i2@example.com");
  CHECK(first.good[1].turns[0].text == "I was transferred three times.");
  CHECK(first.good[3].external_id == "r1@example.com");
  CHECK(first.good[3].turns[0].text == "Le colis est arriv\xc3\xa9 cass\xc3\xa9.");
  const FolderCursor inbox = folder_cursor(first.cursor(), "INBOX");
  const FolderCursor other = folder_cursor(first.cursor(), folder);
  CHECK(inbox.uidvalidity != 0);
  CHECK(inbox.uid == 3);
  CHECK(other.uidvalidity != 0);
  CHECK(other.uid == 1);
  const std::string host = "imap://cx@127.0.0.1:" + std::to_string(dovecot.imap_port());
  CHECK(first.good[2].locator ==
        host + "/INBOX;UIDVALIDITY=" + std::to_string(inbox.uidvalidity) + "/;UID=3");
  CHECK(first.good[3].locator ==
        host + "/R%C3%A9clamations;UIDVALIDITY=" + std::to_string(other.uidvalidity) + "/;UID=1");

  dovecot.deliver(mail(5, "i5@example.com", "No reply for a week", "Nobody answered my email for a week."));
  dovecot.deliver(mail(6, "i6@example.com", "Closing my account", "I am closing my account."));
  RunSink second = pull_ok(spec, first.cursor());
  CHECK(second.subjects() == Subjects{"No reply for a week", "Closing my account"});
  CHECK(folder_cursor(second.cursor(), "INBOX").uid == 5);
  CHECK(folder_cursor(second.cursor(), folder).uid == 1);

  RunSink third = pull_ok(spec, second.cursor());
  CHECK(third.good.empty());
  CHECK(third.cursors.empty());

  // A folder that does not exist is a config error naming it; the folders
  // that exist are still read.
  RunSink partial;
  Status st =
      pull_into(server_spec("imap", dovecot.imap_port(), "\"folders\":[\"Nope\",\"INBOX\"]"), partial, "");
  REQUIRE_FALSE(st);
  CHECK(st.error().kind == ErrorKind::config);
  CHECK(contains(st.error().message, "has no such folder: 'Nope'"));
  CHECK(partial.good.size() == 5);

  // Read-only: EXAMINE + BODY.PEEK[] leave no \Seen flag (Maildir "S").
  for (const std::string& name : dovecot.stored()) {
    auto info = name.find(":2,");
    INFO(name);
    CHECK((info == std::string::npos || name.find('S', info) == std::string::npos));
  }
}

TEST_CASE("imap: a changed UIDVALIDITY restarts the folder", "[connector][mailserver]") {
  Dovecot dovecot;
  dovecot.deliver(mail(1, "u1@example.com", "One", "First."));
  dovecot.deliver(mail(2, "u2@example.com", "Two", "Second."));
  const SourceSpec spec = server_spec("imap", dovecot.imap_port());
  RunSink first = pull_ok(spec);
  CHECK(first.subjects() == Subjects{"One", "Two"});
  const FolderCursor before = folder_cursor(first.cursor(), "INBOX");
  CHECK(before.uid == 2);

  // Dovecot forgets the folder's UIDs: it gives it a new UIDVALIDITY and
  // numbers the same messages again.
  for (const auto& e : std::filesystem::directory_iterator(dovecot.maildir()))
    if (starts_with(e.path().filename().string(), "dovecot-uidlist") ||
        starts_with(e.path().filename().string(), "dovecot.index"))
      std::filesystem::remove(e.path());
  RunSink second = pull_ok(spec, first.cursor());
  CHECK(second.subjects() == Subjects{"One", "Two"});
  REQUIRE(second.good.size() == 2);
  CHECK(second.good[0].external_id == "u1@example.com");  // the store dedupes the rerun
  const FolderCursor after = folder_cursor(second.cursor(), "INBOX");
  CHECK(after.uidvalidity != before.uidvalidity);
  CHECK(after.uid == 2);
}

TEST_CASE("mail servers: a broken message is quarantined with a reason, the run goes on",
          "[connector][mailserver]") {
  Dovecot dovecot;
  dovecot.deliver(mail(1, "ok1@example.com", "Before", "Good message before."));
  dovecot.deliver(kBroken);
  dovecot.deliver(mail(3, "ok3@example.com", "After", "Good message after."));
  for (const std::string kind : {"pop3", "imap"}) {
    INFO(kind);
    const SourceSpec spec = server_spec(kind, kind == "pop3" ? dovecot.pop3_port() : dovecot.imap_port());
    RunSink run = pull_ok(spec);
    CHECK(run.subjects() == Subjects{"Before", "After"});
    REQUIRE(run.bad.size() == 1);
    const Quarantined& q = run.bad[0];
    CHECK(q.source == spec.name);
    CHECK(contains(q.reason, "MIME"));
    CHECK(starts_with(q.locator, kind + "://cx@127.0.0.1:"));
    CHECK(contains(q.raw, "garbage without any boundary"));
    // The cursor moved past it: it is not retried.
    RunSink again = pull_ok(spec, run.cursor());
    CHECK(again.good.empty());
    CHECK(again.bad.empty());
  }
}

TEST_CASE("mail servers: the same mail over POP3 and IMAP has the same external id",
          "[connector][mailserver]") {
  Dovecot dovecot;
  const std::string no_id = mail(1, "", "No Message-ID", "This one has no Message-ID header.");
  dovecot.deliver(no_id);
  // Latin-1 with a 0xFF byte ("ÿ"): 8-bit bytes must pass the socket readers.
  dovecot.deliver(
      "From: l1@example.fr\nSubject: Latin-1\nMessage-ID: <l1@example.fr>\n"
      "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
      "Caf\xe9 froid, d\xe9lai \xe0 rallonge, L'Ha\xff"
      "e-les-Roses.\n");
  RunSink pop = pull_ok(server_spec("pop3", dovecot.pop3_port()));
  RunSink imap = pull_ok(server_spec("imap", dovecot.imap_port()));
  for (RunSink* run : {&pop, &imap}) {
    REQUIRE(run->good.size() == 2);
    // Without a Message-ID: the content hash of the message with LF line
    // ends, as the mbox and Maildir connectors compute it.
    CHECK(run->good[0].external_id == content_hash(no_id));
    CHECK(run->good[1].external_id == "l1@example.fr");
    CHECK(run->good[1].turns[0].text ==
          "Caf\xc3\xa9 froid, d\xc3\xa9lai \xc3\xa0 rallonge, L'Ha\xc3\xbf"
          "e-les-Roses.");
  }
}

TEST_CASE("mail servers: a stop request ends the run after a checkpoint", "[connector][mailserver]") {
  Dovecot dovecot;
  for (int i = 1; i <= 3; ++i)
    dovecot.deliver(mail(i, "s" + std::to_string(i) + "@example.com", "S" + std::to_string(i), "Text."));
  for (const std::string kind : {"pop3", "imap"}) {
    INFO(kind);
    const SourceSpec spec = server_spec(kind, kind == "pop3" ? dovecot.pop3_port() : dovecot.imap_port());
    RunSink stopped = pull_ok(spec, "", 1);
    CHECK(stopped.subjects() == Subjects{"S1"});
    RunSink rest = pull_ok(spec, stopped.cursor());
    CHECK(rest.subjects() == Subjects{"S2", "S3"});
  }
}

TEST_CASE("mail servers: wrong password, no server, no password variable are clear errors",
          "[connector][mailserver]") {
  Dovecot dovecot;
  ::setenv("CXMAP_TEST_WRONG_PASSWORD", "not-the-password", 1);
  for (const std::string kind : {"pop3", "imap"}) {
    INFO(kind);
    const int port = kind == "pop3" ? dovecot.pop3_port() : dovecot.imap_port();
    const std::string where = "127.0.0.1:" + std::to_string(port);

    SourceSpec wrong = server_spec(kind, port);
    wrong.settings = "{\"host\":\"127.0.0.1\",\"port\":" + std::to_string(port) +
                     ",\"user\":\"cx\",\"password_env\":\"CXMAP_TEST_WRONG_PASSWORD\"}";
    Error e = pull_error(wrong);
    CHECK(e.kind == ErrorKind::config);
    CHECK(contains(e.message, "source 'support-" + kind + "'"));
    CHECK(contains(e.message, where));
    CHECK(contains(e.message, "refused the login of user 'cx'"));
    CHECK(contains(e.message, "CXMAP_TEST_WRONG_PASSWORD"));
    CHECK_FALSE(contains(e.message, "not-the-password"));

    // Nothing listens on a port freed just now.
    int dead_port = 0;
    {
      Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
      dead_port = s.address().port();
    }
    e = pull_error(server_spec(kind, dead_port));
    CHECK(e.kind == ErrorKind::input);
    CHECK(contains(e.message, "source 'support-" + kind + "'"));
    CHECK(contains(e.message, "cannot connect to"));
    CHECK(contains(e.message, "127.0.0.1:" + std::to_string(dead_port)));

    ::unsetenv("CXMAP_TEST_UNSET_PASSWORD");
    SourceSpec unset = server_spec(kind, port);
    unset.settings =
        "{\"host\":\"127.0.0.1\",\"user\":\"cx\",\"password_env\":\"CXMAP_TEST_UNSET_PASSWORD\"}";
    e = pull_error(unset);
    CHECK(e.kind == ErrorKind::config);
    CHECK(contains(e.message, "source 'support-" + kind + "'"));
    CHECK(contains(e.message, "environment variable CXMAP_TEST_UNSET_PASSWORD"));

    SourceSpec clear = server_spec(kind, port);
    clear.settings = "{\"host\":\"127.0.0.1\",\"user\":\"cx\",\"password\":\"secret\"}";
    e = pull_error(clear);
    CHECK(e.kind == ErrorKind::config);
    CHECK(contains(e.message, "password_env"));
  }

  // A non-ASCII password: PASS sends it as is, IMAP LOGIN as a literal.
  for (const std::string kind : {"pop3", "imap"}) {
    INFO(kind);
    SourceSpec utf8 = server_spec(kind, kind == "pop3" ? dovecot.pop3_port() : dovecot.imap_port());
    utf8.settings = "{\"host\":\"127.0.0.1\",\"port\":" +
                    std::to_string(kind == "pop3" ? dovecot.pop3_port() : dovecot.imap_port()) +
                    ",\"user\":\"" + Dovecot::kUser2 + "\",\"password_env\":\"" + Dovecot::kPassword2Env +
                    "\"}";
    RunSink empty = pull_ok(utf8);
    CHECK(empty.good.empty());
  }

  // Server kinds take no path in a config file.
  TempDir dir;
  const std::string config =
      dir.write("cxmap.json",
                "{\"sources\":[{\"name\":\"inbox\",\"kind\":\"imap\",\"host\":\"mail.example.com\",\"user\":"
                "\"support\","
                "\"password_env\":\"IMAP_PASSWORD\",\"tls\":true,\"folders\":[\"INBOX\",\"Complaints\"]},"
                "{\"name\":\"pop\",\"kind\":\"pop3\",\"host\":\"mail.example.com\",\"user\":\"support\","
                "\"password_env\":\"POP3_PASSWORD\",\"delete_after\":true}]}");
  auto specs = load_sources_config(config);
  REQUIRE(specs);
  REQUIRE(specs->size() == 2);
  CHECK((*specs)[0].kind == "imap");
  CHECK(contains((*specs)[0].settings, "Complaints"));
  CHECK((*specs)[1].path.empty());
}

TEST_CASE("mail servers over TLS: implicit TLS and STARTTLS/STLS, certificates checked",
          "[connector][mailserver]") {
  Dovecot dovecot(/*tls=*/true);
  dovecot.deliver(mail(1, "tls1@example.com", "Over TLS", "Encrypted all the way."));
  const std::string ca = "\"ca_file\":\"" + dovecot.ca_file() + "\"";
  struct Case {
    std::string kind;
    int port;
    std::string mode;
  } cases[] = {
      {"imap", dovecot.imaps_port(), "\"tls\":true"},
      {"imap", dovecot.imap_port(), "\"starttls\":true"},
      {"pop3", dovecot.pop3s_port(), "\"tls\":true"},
      {"pop3", dovecot.pop3_port(), "\"starttls\":true"},
  };
  for (const Case& c : cases) {
    INFO(c.kind << " " << c.mode);
    RunSink run = pull_ok(server_spec(c.kind, c.port, c.mode + "," + ca));
    CHECK(run.subjects() == Subjects{"Over TLS"});
    // The self-signed certificate is not trusted without ca_file.
    Error e = pull_error(server_spec(c.kind, c.port, c.mode));
    CHECK(e.kind == ErrorKind::input);
    CHECK(contains(e.message, "source 'support-" + c.kind + "'"));
    CHECK(contains(e.message, "127.0.0.1:" + std::to_string(c.port)));
    CHECK(contains(e.message, "certificate verify failed"));
    CHECK(contains(e.message, "ca_file"));
  }
}
