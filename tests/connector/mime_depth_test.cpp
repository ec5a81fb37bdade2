// Focus: hostile messages generated here. Each must end as exactly one
// record, stored or quarantined with a reason, without an exception, and
// quickly (no test asserts on time; each runs in well under a second in a
// Release build): endless nesting, missing and never-closing boundaries,
// a 50 MB body, NUL bytes, invalid base64 and quoted-printable, 1 MB header
// lines, no blank line after the header, an empty file, too many parts or
// fields, and random mutations of a valid message.
#include <catch2/catch.hpp>

#include <random>

#include "connectors/email/mime_body.h"
#include "connectors/email/mime_message.h"
#include "connectors/email/mime_parts.h"
#include "tests/connector/collect_sink.h"

using namespace cxmap;
using namespace cxmap::email;
using namespace cxmap::test;

namespace {

const std::string kHead =
    "From: Test <test@example.com>\r\nSubject: hostile\r\nMessage-ID: <hostile@example.com>\r\n";

// Delivers one message; requires exactly one record and a reason on a reject.
CollectSink one(const std::string& bytes) {
  CollectSink sink;
  REQUIRE_NOTHROW(deliver_message(bytes, "hostile", "gen", sink));
  REQUIRE(sink.good.size() + sink.bad.size() == 1);
  for (const auto& q : sink.bad) CHECK_FALSE(q.reason.empty());
  return sink;
}

std::string stored_text(const CollectSink& s) {
  REQUIRE(s.good.size() == 1);
  return s.good[0].turns.at(0).text;
}

std::string rejected(const CollectSink& s) {
  REQUIRE(s.bad.size() == 1);
  return s.bad[0].reason;
}

std::string meta(const CollectSink& s, const std::string& key) {
  REQUIRE(s.good.size() == 1);
  for (const auto& [k, v] : s.good[0].metadata)
    if (k == key) return v;
  return "";
}

// `levels` nested multiparts around one text part; boundaries b0, b1, ...
// (or all "b" when `same`); nothing is closed when `open`.
std::string nested(int levels, bool same = false, bool open = false) {
  auto b = [&](int i) { return same ? std::string("b") : "b" + std::to_string(i); };
  std::string m = kHead + "Content-Type: multipart/mixed; boundary=\"" + b(0) + "\"\r\n\r\n";
  for (int i = 1; i < levels; ++i)
    m += "--" + b(i - 1) + "\r\nContent-Type: multipart/mixed; boundary=\"" + b(i) + "\"\r\n\r\n";
  m += "--" + b(levels - 1) + "\r\nContent-Type: text/plain\r\n\r\nThe innermost text.\r\n";
  if (!open)
    for (int i = levels - 1; i >= 0; --i) m += "--" + b(i) + "--\r\n";
  return m;
}

const std::string kDeep =
    "MIME structure: parts nested deeper than " + std::to_string(kMaxMimeDepth) + " levels";

}  // namespace

TEST_CASE("10,000 nested multiparts are cut at the depth limit", "[connector][email][hostile]") {
  CHECK(rejected(one(nested(10000))) == kDeep);
  CHECK(rejected(one(nested(10000, true))) == kDeep);         // one boundary reused at every level
  CHECK(rejected(one(nested(10000, false, true))) == kDeep);  // and never closed
  // The limit itself: 50 levels are read, 51 are not.
  CHECK(stored_text(one(nested(kMaxMimeDepth))) == "The innermost text.");
  CHECK(rejected(one(nested(kMaxMimeDepth + 1))) == kDeep);
}

TEST_CASE("10,000 nested message/rfc822 parts are cut at the depth limit", "[connector][email][hostile]") {
  std::string m = kHead + "Content-Type: message/rfc822\r\n\r\n";
  for (int i = 0; i < 10000; ++i)
    m += "Subject: level " + std::to_string(i) + "\r\nContent-Type: message/rfc822\r\n\r\n";
  m += "Text at the bottom.\r\n";
  CHECK(rejected(one(m)) == kDeep);
}

TEST_CASE("missing and never-closing boundaries", "[connector][email][hostile]") {
  // No closing delimiter at all.
  auto unclosed =
      one(kHead +
          "Content-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\n"
          "Where is my refund?\r\n");
  CHECK(stored_text(unclosed) == "Where is my refund?");
  CHECK(meta(unclosed, "mime_defects") == "missing closing boundary \"X\"");
  // The inner part is never closed; the outer delimiter ends it.
  auto inner =
      one(kHead +
          "Content-Type: multipart/mixed; boundary=OUT\r\n\r\n--OUT\r\n"
          "Content-Type: multipart/alternative; boundary=IN\r\n\r\n--IN\r\nContent-Type: text/plain\r\n\r\n"
          "First.\r\n--OUT\r\nContent-Type: text/plain\r\n\r\nSecond.\r\n--OUT--\r\n");
  CHECK(stored_text(inner) == "First.\n\nSecond.");
  CHECK(meta(inner, "mime_defects") == "missing closing boundary \"IN\"");
  // Declared, never written (a list server stripped the parts): plain text.
  auto absent =
      one(kHead + "Content-Type: multipart/mixed; boundary=GONE\r\n\r\nJust text, parts removed.\r\n");
  CHECK(stored_text(absent) == "Just text, parts removed.");
  CHECK(meta(absent, "mime_defects") == "boundary \"GONE\" not found; body read as text/plain");
  // No boundary parameter, but delimiters in the body: they are used.
  auto sniffed = one(kHead +
                     "Content-Type: multipart/mixed\r\n\r\n--S1\r\nContent-Type: text/plain\r\n\r\n"
                     "Found it.\r\n--S1--\r\n");
  CHECK(stored_text(sniffed) == "Found it.");
  // No boundary parameter and nothing to go by: rejected at the top level...
  CHECK(rejected(one(kHead + "Content-Type: multipart/mixed\r\n\r\nno parts here\r\n")) ==
        "MIME structure: multipart/mixed without a boundary parameter");
  // ...ignored below it.
  auto nested_none =
      one(kHead +
          "Content-Type: multipart/mixed; boundary=A\r\n\r\n--A\r\nContent-Type: text/plain\r\n\r\n"
          "Readable.\r\n--A\r\nContent-Type: multipart/related\r\n\r\nopaque\r\n--A--\r\n");
  CHECK(stored_text(nested_none) == "Readable.");
  // Delimiters only, no parts between them; a boundary longer than allowed.
  CHECK(rejected(one(kHead + "Content-Type: multipart/mixed; boundary=E\r\n\r\n--E\r\n--E\r\n--E--\r\n")) ==
        "empty body");
  const std::string huge(100000, 'x');
  CHECK(stored_text(one(kHead + "Content-Type: multipart/mixed; boundary=\"" + huge + "\"\r\n\r\n--" + huge +
                        "\r\n\r\ntext\r\n--" + huge + "--\r\n")) == "text");
}

TEST_CASE("boundary guesses are bounded: nested multiparts without boundaries stay linear",
          "[connector][email][hostile]") {
  // 40 levels, none declaring its boundary, each guessable from the body,
  // over a 5 MB text: a few levels are guessed, the rest are opaque.
  std::string m = kHead + "Content-Type: multipart/mixed\r\n\r\n";
  for (int i = 0; i < 40; ++i) m += "--g" + std::to_string(i) + "\r\nContent-Type: multipart/mixed\r\n\r\n";
  m += "--g40\r\nContent-Type: text/plain\r\n\r\n" + std::string(5u << 20, 'w') + "\r\n";
  auto s = one(m);
  CHECK(rejected(s) == "no text/plain or text/html part");
}

TEST_CASE("a 50 MB body is read in bounded time and memory, its text cut at 1 MiB",
          "[connector][email][hostile]") {
  const std::size_t fifty = 50u * 1024 * 1024;
  std::string single = kHead + "Content-Type: text/plain; charset=utf-8\r\n\r\n";
  single.reserve(single.size() + fifty);
  while (single.size() < fifty) single += "The support line kept me waiting for an hour. ";
  auto s = one(single);
  CHECK(stored_text(s).size() <= kMaxTextBytes);
  CHECK(stored_text(s).size() > kMaxTextBytes - 100);
  CHECK(meta(s, "truncated").rfind("text cut at 1048576 bytes (a text/plain part had ", 0) == 0);

  // A 50 MB base64 attachment beside a short text: the text is whole, the
  // attachment listed with its decoded size, the attachment never decoded.
  std::string multi =
      kHead +
      "Content-Type: multipart/mixed; boundary=Z\r\n\r\n--Z\r\nContent-Type: text/plain\r\n\r\n"
      "Photo attached.\r\n--Z\r\nContent-Type: image/jpeg; name=big.jpg\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n";
  const std::string line = std::string(76, 'A') + "\r\n";  // 57 decoded bytes a line
  const std::size_t lines = fifty / line.size();
  multi.reserve(multi.size() + lines * line.size() + 16);
  for (std::size_t i = 0; i < lines; ++i) multi += line;
  multi += "--Z--\r\n";
  auto m = one(multi);
  CHECK(stored_text(m) == "Photo attached.");
  CHECK(meta(m, "attachments") == "big.jpg (image/jpeg, " + std::to_string(lines * 57) + " bytes)");
}

TEST_CASE("NUL bytes, invalid base64 and quoted-printable", "[connector][email][hostile]") {
  static const char kNul[] = "From: a@example.com\r\nSubject: nul\0inside\r\n\r\nRefund\0 please.\0\r\n";
  const std::string nul(kNul, sizeof kNul - 1);
  auto n = one(nul);
  CHECK(stored_text(n) == "Refund please.");
  CHECK(n.good[0].subject == "nul inside");
  CHECK(meta(n, "mime_defects") == "NUL bytes removed");

  auto b64 = one(kHead +
                 "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                 "VGhl!!IGFwcCBjcmFzaGVzLg==\r\n%%%%\r\nA\r\n");
  CHECK(stored_text(b64) == "The app crashes.");
  CHECK(meta(b64, "mime_defects") == "invalid base64");
  // Nothing decodable at all.
  CHECK(rejected(
            one(kHead + "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!\r\n")) ==
        "empty body");

  auto qp =
      one(kHead +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
          "50=% off =E2=82=AC =\r\nis =G1 wrong=");
  CHECK(stored_text(qp) == "50=% off \xe2\x82\xac is =G1 wrong");
  CHECK(meta(qp, "mime_defects") == "invalid quoted-printable");
}

TEST_CASE("header lines of 1 MB", "[connector][email][hostile]") {
  const std::string mb(1024 * 1024, 'y');
  auto s = one("From: a@example.com\r\nSubject: " + mb + "\r\nX-Junk: " + mb + "\r\nReferences: <" + mb +
               ">\r\n\r\nThe body.\r\n");
  CHECK(stored_text(s) == "The body.");
  CHECK(s.good[0].subject.size() == kMaxSubjectBytes);
  CHECK(meta(s, "truncated") == "subject cut at 1024 bytes (it had 1048576)");
  // A 1 MB Content-Type full of parameters and an encoded-word storm.
  std::string params;
  while (params.size() < mb.size()) params += "; p" + std::to_string(params.size()) + "=\"v\"";
  std::string words;
  while (words.size() < mb.size()) words += "=?utf-8?q?";
  auto t = one("From: a@example.com\r\nSubject: " + words + "\r\nContent-Type: text/plain" + params +
               "\r\n\r\nStill readable.\r\n");
  CHECK(stored_text(t) == "Still readable.");
  // A 1 MB first line that is no header.
  CHECK(rejected(one(mb + "\r\n\r\nbody")).rfind("malformed header line 1: 'yyy", 0) == 0);
  // A 1 MB folded header: many continuation lines.
  std::string folded = "From: a@example.com\r\nSubject: start";
  while (folded.size() < mb.size()) folded += "\r\n continued";
  CHECK(stored_text(one(folded + "\r\n\r\nBody after folds.\r\n")) == "Body after folds.");
}

TEST_CASE("no blank line between header and body; empty and header-only messages",
          "[connector][email][hostile]") {
  auto s = one("From: a@example.com\r\nSubject: x\r\nThe app logs me out every day.\r\n");
  CHECK(stored_text(s) == "The app logs me out every day.");
  CHECK(meta(s, "mime_defects") == "no blank line between header and body");
  // Same inside a part.
  auto p = one(kHead +
               "Content-Type: multipart/mixed; boundary=P\r\n\r\n--P\r\nContent-Type: text/plain\r\n"
               "No blank line here.\r\n--P--\r\n");
  CHECK(stored_text(p) == "No blank line here.");
  CHECK(meta(p, "mime_defects") == "part header without a blank line before the body");
  CHECK(rejected(one("")) == "empty message");
  CHECK(rejected(one("\r\n\r\n")) == "no header fields before the body");
  CHECK(rejected(one("From: a@example.com\r\nSubject: only a header")) == "empty body");
  // An empty .eml file read through the eml source.
  TempDir dir;
  auto sink = pull_all(spec_of("empty", "eml", dir.write("empty.eml", "")));
  REQUIRE(sink.bad.size() == 1);
  CHECK(sink.good.empty());
  CHECK(sink.bad[0].reason == "empty message");
}

TEST_CASE("too many parts or header fields", "[connector][email][hostile]") {
  std::string parts = kHead + "Content-Type: multipart/mixed; boundary=q\r\n\r\n";
  for (int i = 0; i < 200000; ++i) parts += "--q\r\n";
  CHECK(rejected(one(parts)) == "MIME structure: more than " + std::to_string(kMaxMimeParts) + " parts");
  std::string fields = "From: a@example.com\r\n";
  for (int i = 0; i < 20000; ++i) fields += "X-Spam: " + std::to_string(i) + "\r\n";
  CHECK(rejected(one(fields + "\r\nbody\r\n")) == "more than 10000 header fields");
  std::string part_fields = kHead + "Content-Type: multipart/mixed; boundary=f\r\n\r\n--f\r\n";
  for (int i = 0; i < 20000; ++i) part_fields += "X-Part: " + std::to_string(i) + "\r\n";
  CHECK(rejected(one(part_fields + "\r\nbody\r\n--f--\r\n")) ==
        "MIME structure: more than 10000 header fields in one part");
}

TEST_CASE("random mutations of a valid message always give one record", "[connector][email][hostile]") {
  const std::string base =
      kHead +
      "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"M\"\r\n\r\n--M\r\n"
      "Content-Type: multipart/alternative; boundary=\"A\"\r\n\r\n--A\r\n"
      "Content-Type: text/plain; charset=iso-8859-1; format=flowed\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n\r\nCaf=E9 was cold. \r\nVery cold.\r\n--A\r\n"
      "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      "PHA+Q2Fmw6kgd2FzIGNvbGQuPC9wPg==\r\n--A--\r\n--M\r\nContent-Type: message/rfc822\r\n\r\n"
      "Subject: =?utf-8?B?w6l0w6k=?=\r\n\r\nForwarded.\r\n--M\r\nContent-Type: application/pdf; "
      "name*=utf-8''a%20b.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--M--\r\n";
  const std::string tokens[] = {"\r\n",
                                "--M",
                                "--A",
                                "--M--",
                                "=?",
                                "?=",
                                "=",
                                std::string(1, '\0'),
                                "<",
                                ">",
                                ";",
                                "\"",
                                "boundary=",
                                "multipart/",
                                "message/rfc822",
                                "\r\n\r\n",
                                "*0*=",
                                "%",
                                "&#",
                                "\xff"};
  std::mt19937 rng(20260911);
  std::size_t stored = 0, quarantined = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string m = base;
    int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      std::size_t at = rng() % (m.size() + 1);
      switch (rng() % 4) {
        case 0:
          m.insert(at, tokens[rng() % std::size(tokens)]);
          break;
        case 1:
          m.erase(at, rng() % 40);
          break;
        case 2:
          if (at < m.size()) m[at] = static_cast<char>(rng() % 256);
          break;
        default:
          m.insert(at, m.substr(rng() % m.size(), rng() % 200));
          break;  // duplicate a slice
      }
    }
    CollectSink sink;
    REQUIRE_NOTHROW(deliver_message(m, "fuzz", std::to_string(round), sink));
    REQUIRE(sink.good.size() + sink.bad.size() == 1);
    for (const auto& q : sink.bad) REQUIRE_FALSE(q.reason.empty());
    stored += sink.good.size();
    quarantined += sink.bad.size();
  }
  INFO("stored " << stored << ", quarantined " << quarantined);
  CHECK(stored > 0);
}
