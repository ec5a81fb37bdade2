// Focus: the email connectors end to end on fixture files: MIME decoding,
// charsets, quarantine of broken messages, mbox streaming and Maildir order.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "connectors/email/mime_message.h"
#include "tests/connector/collect_sink.h"

using namespace cxmap;
using namespace cxmap::test;

namespace {

const std::string kEml = fixture("email/eml");

CollectSink& eml_folder() {
  static CollectSink sink = pull_all(spec_of("eml-fixtures", "eml", kEml));
  return sink;
}

const RawFeedback& eml(const std::string& id) {
  const RawFeedback* r = find_by_id(eml_folder(), id);
  if (!r) throw std::runtime_error("no feedback with id " + id);
  return *r;
}

const Quarantined* rejected(const std::string& file) {
  for (const auto& q : eml_folder().bad)
    if (q.locator.size() >= file.size() && q.locator.compare(q.locator.size() - file.size(), file.size(), file) == 0)
      return &q;
  return nullptr;
}

std::string body(const RawFeedback& r) { return r.turns.empty() ? "" : r.turns[0].text; }

}  // namespace

TEST_CASE("eml folder: sorted .eml files only, counts reconcile", "[connector][email]") {
  const auto& s = eml_folder();
  CHECK(s.good.size() + s.bad.size() == 14);  // ignored.txt is not read
  CHECK(s.bad.size() == 3);                   // malformed, no text, bad header
  REQUIRE(s.good.size() == 11);
  CHECK(s.good.front().locator == kEml + "/01_alternative.eml");
  CHECK(s.good.back().locator == kEml + "/14_iphone.eml");
  for (const auto& r : s.good) {
    CHECK(r.channel == "email");
    CHECK(r.source == "eml-fixtures");
    REQUIRE(r.turns.size() == 1);
    CHECK(r.turns[0].speaker == Speaker::customer);
    CHECK(r.turns[0].time == r.received_at);
  }
}

TEST_CASE("multipart/alternative prefers text/plain", "[connector][email]") {
  const auto& r = eml("alt@example.com");
  CHECK(body(r) == "Plain version: the agent was helpful.");
  CHECK(r.customer_key == "eve@example.com");
  CHECK(r.subject == "Alternative");
  CHECK(r.received_at == "2026-09-04T10:00:00Z");
}

TEST_CASE("quoted-printable soft line breaks are joined and =XX decoded", "[connector][email]") {
  CHECK(body(eml("qp@example.com")) ==
        "This line is long and was wrapped by the mailer with a soft line break in the middle of a word. "
        "Caf\xc3\xa9 prices = too high.");
}

TEST_CASE("base64 text part is decoded and the attachment ignored", "[connector][email]") {
  CHECK(body(eml("b64@example.com")) == "The delivery was fast \xe2\x80\x94 five stars.");
}

TEST_CASE("ISO-8859-1 8-bit body becomes UTF-8", "[connector][email]") {
  CHECK(body(eml("l1@example.fr")) == "Le caf\xc3\xa9 \xc3\xa9tait froid et le d\xc3\xa9lai \xc3\xa0 rallonge.");
}

TEST_CASE("windows-1252 curly quotes, dash and euro become UTF-8", "[connector][email]") {
  CHECK(body(eml("cp@example.com")) ==
        "The app said \xe2\x80\x9cpayment failed\xe2\x80\x9d \xe2\x80\x93 twice. It\xe2\x80\x99s costing me "
        "\xe2\x82\xac" "20.");
}

TEST_CASE("HTML-only message is converted to text", "[connector][email]") {
  std::string b = body(eml("html@example.com"));
  CHECK(b == "Tom & Jerry's store!\n\nLine one\nLine two\n\n- first\n- second <3");
  CHECK(eml("html@example.com").metadata ==
        std::vector<std::pair<std::string, std::string>>{{"body_from", "html"}});
}

TEST_CASE("RFC 2047 subject and From are decoded", "[connector][email]") {
  const auto& r = eml("2047@example.fr");
  CHECK(r.subject == "Probl\xc3\xa8me de livraison");
  CHECK(r.customer_key == "rene@example.fr");
  CHECK(r.received_at == "2026-09-04T14:00:00Z");
}

TEST_CASE("quoted reply and sign-off are removed from a real message", "[connector][email]") {
  CHECK(body(eml("reply@example.com")) == "Still broken after the reset you suggested.\nThe screen stays black.");
  std::string outlook;
  for (const auto& r : eml_folder().good)
    if (r.locator.find("10_outlook") != std::string::npos) outlook = body(r);
  CHECK(outlook == "Please cancel the order, the wait is too long.");
  for (const auto& r : eml_folder().good)
    if (r.locator.find("14_iphone") != std::string::npos) {
      CHECK(body(r) == "Love the new loyalty points.");
      CHECK(r.received_at == "2026-09-05T02:00:00Z");
    }
}

TEST_CASE("nested multipart: inner alternative is found, QP + latin-1 decoded", "[connector][email]") {
  CHECK(body(eml("nested@example.com")) == "Software update broke the na\xc3\xafve sync.");
}

TEST_CASE("message without Message-ID gets a content hash id", "[connector][email]") {
  std::ifstream in(kEml + "/10_outlook.eml", std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  const RawFeedback* r = find_by_id(eml_folder(), content_hash(bytes.str()));
  REQUIRE(r);
  CHECK(r->customer_key == "gina@example.com");
  CHECK(r->subject == "RE: order");
}

TEST_CASE("broken messages are quarantined with a reason and their bytes", "[connector][email]") {
  const Quarantined* malformed = rejected("09_malformed.eml");
  REQUIRE(malformed);
  CHECK(malformed->source == "eml-fixtures");
  CHECK(malformed->reason.find("MIME") != std::string::npos);
  CHECK(malformed->raw.find("garbage without any boundary") != std::string::npos);
  const Quarantined* no_text = rejected("12_no_text.eml");
  REQUIRE(no_text);
  CHECK(no_text->reason == "no text/plain or text/html part");
  const Quarantined* bad_header = rejected("13_bad_header.eml");
  REQUIRE(bad_header);
  CHECK(bad_header->reason.find("malformed header line 1") != std::string::npos);
}

TEST_CASE("a message that is all quote is quarantined as empty", "[connector][email]") {
  auto r = email::parse_message("From: a@b.com\r\nSubject: x\r\n\r\n> just a quote\r\n-- \r\nsig\r\n", "s", "loc");
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "empty body after removing quoted reply and signature");
  auto e = email::parse_message("From: a@b.com\r\n\r\n   \r\n", "s", "loc");
  REQUIRE_FALSE(e);
  CHECK(e.error().message == "empty body");
}

TEST_CASE("quarantined raw bytes are capped at 64 KB", "[connector][email]") {
  CollectSink sink;
  std::string huge = "Content-Type: image/png\r\n\r\n" + std::string(200000, 'A');
  email::deliver_message(huge, "s", "big", sink);
  REQUIRE(sink.bad.size() == 1);
  CHECK(sink.bad[0].raw.size() == email::kMaxQuarantineBytes);
}

TEST_CASE("single .eml file source", "[connector][email]") {
  auto s = pull_all(spec_of("one", "eml", kEml + "/07_rfc2047.eml"));
  REQUIRE(s.good.size() == 1);
  CHECK(s.good[0].external_id == "2047@example.fr");
  CHECK(s.good[0].locator == kEml + "/07_rfc2047.eml");
}

TEST_CASE("mbox: three messages, escaped From lines, offsets as locators", "[connector][email]") {
  std::string path = fixture("email/three.mbox");
  auto s = pull_all(spec_of("mbox", "mbox", path));
  REQUIRE(s.bad.empty());
  REQUIRE(s.good.size() == 3);
  CHECK(s.good[0].external_id == "m1@example.com");
  CHECK(s.good[0].customer_key == "maria.lopez@example.com");
  CHECK(s.good[0].received_at == "2026-09-01T08:00:00Z");
  CHECK(s.good[0].locator == path + ":0");
  CHECK(s.good[0].turns[0].text == "My order 1001 is two weeks late and nobody answers the phone.");
  CHECK(s.good[1].external_id == "m2@example.org");
  CHECK(s.good[1].received_at == "2026-09-02T16:30:00Z");
  CHECK(s.good[1].turns[0].text ==
        "I asked for a refund.\nFrom the start the process was confusing.\n\nFrom here on I will shop elsewhere.");
  CHECK(s.good[2].customer_key == "ann@example.net");
  CHECK(s.good[2].subject == "Thanks");
  // The locator's offset points at the message's "From " line.
  std::ifstream in(path, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  for (const auto& r : s.good) {
    auto offset = std::stoull(r.locator.substr(r.locator.rfind(':') + 1));
    CHECK(all.str().compare(offset, 5, "From ") == 0);
  }
  // No Message-ID on the third: hash of its bytes, stable across runs.
  auto again = pull_all(spec_of("mbox", "mbox", path));
  CHECK(again.good[2].external_id == s.good[2].external_id);
  CHECK(s.good[2].external_id.size() == 16);
}

TEST_CASE("mbox: a bad message in the middle is quarantined, the others arrive", "[connector][email]") {
  TempDir dir;
  std::string mbox =
      "From a@x.com Mon Sep  1 00:00:00 2026\nFrom: a@x.com\nMessage-ID: <1@x>\n\nfirst\n\n"
      "From b@x.com Mon Sep  1 00:00:00 2026\nnot a header\n\nbody\n\n"
      "From c@x.com Mon Sep  1 00:00:00 2026\r\nFrom: c@x.com\r\nMessage-ID: <3@x>\r\n\r\nthird\r\n";
  auto path = dir.write("mix.mbox", mbox);
  auto s = pull_all(spec_of("mix", "mbox", path));
  REQUIRE(s.good.size() == 2);
  REQUIRE(s.bad.size() == 1);
  CHECK(s.good[0].turns[0].text == "first");
  CHECK(s.good[1].turns[0].text == "third");
  CHECK(s.bad[0].locator == path + ":" + std::to_string(mbox.find("From b@x.com")));
  CHECK(s.bad[0].reason.find("malformed header") != std::string::npos);
}

TEST_CASE("mbox: 5,000 generated messages stream with the right count", "[connector][email]") {
  TempDir dir;
  std::string path = (dir.path / "big.mbox").string();
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 5000; ++i) {
      out << "From user" << i << "@example.com Tue Sep  1 10:00:00 2026\n"
          << "From: User " << i << " <User" << i << "@Example.com>\n"
          << "Message-ID: <gen-" << i << "@example.com>\n"
          << "Date: Tue, 01 Sep 2026 10:00:00 +0000\n"
          << "Subject: message " << i << "\n\n"
          << "Feedback number " << i << ".\n"
          << ">From the body, escaped.\n\n";
    }
  }
  struct CountSink : RecordSink {
    std::size_t good = 0, bad = 0;
    std::string last_id, last_text;
    void feedback(RawFeedback&& r) override {
      ++good;
      last_id = r.external_id;
      last_text = r.turns[0].text;
    }
    void reject(Quarantined&&) override { ++bad; }
  } sink;
  auto src = open_source(spec_of("big", "mbox", path));
  REQUIRE(src);
  REQUIRE((*src)->pull(sink));
  CHECK(sink.good == 5000);
  CHECK(sink.bad == 0);
  CHECK(sink.last_id == "gen-4999@example.com");
  CHECK(sink.last_text == "Feedback number 4999.\nFrom the body, escaped.");
}

TEST_CASE("Maildir: cur and new in file-name order, tmp skipped", "[connector][email]") {
  std::string dir = fixture("email/Maildir");
  auto s = pull_all(spec_of("md", "maildir", dir));
  REQUIRE(s.bad.empty());
  REQUIRE(s.good.size() == 3);
  CHECK(s.good[0].external_id == "md0@example.com");
  CHECK(s.good[1].external_id == "md1@example.com");
  CHECK(s.good[2].external_id == "md2@example.com");
  CHECK(s.good[2].locator == dir + "/new/1756900000.M2P2.host");
  CHECK(s.good[1].turns[0].text == "The courier left the parcel in the rain.");
  for (const auto& r : s.good) CHECK(r.customer_key != "tmp@example.com");
}

TEST_CASE("email sources: unreadable paths fail pull() with an input error", "[connector][email]") {
  TempDir dir;
  for (const char* kind : {"mbox", "maildir", "eml"}) {
    INFO(kind);
    auto src = open_source(spec_of("x", kind, dir.path.string()));
    REQUIRE(src);  // the folder exists
    std::filesystem::remove_all(dir.path);
    CollectSink sink;
    auto st = (*src)->pull(sink);
    REQUIRE_FALSE(st);
    CHECK(st.error().kind == ErrorKind::input);
    std::filesystem::create_directories(dir.path);
  }
}
