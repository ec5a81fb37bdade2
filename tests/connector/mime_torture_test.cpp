// Focus: a public MIME torture corpus that is not in this repository:
// CPython's email test messages (Debian package libpython3.11-testsuite,
// /usr/lib/python3.11/test/test_email/data/msg_*.txt: malformed headers,
// nested and mislabelled multiparts, digests, bounces, RFC 2231 parameters),
// plus RFC 822 samples other installed Debian packages ship. Every file goes
// through the eml source and must end as exactly one record: stored, or
// quarantined with a reason. A few known messages are checked in detail.
// scripts/setup installs the package; without it this test fails.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>

#include "connectors/email/mime_message.h"
#include "tests/connector/collect_sink.h"

using namespace cxmap;
using namespace cxmap::test;

namespace {

namespace fs = std::filesystem;

const char* const kCorpus = "/usr/lib/python3.11/test/test_email/data";
// Other RFC 822 messages found in installed Debian packages (dpkg -S):
// libreadline8's USAGE is RMS's 1999 mail with its mbox "From " line.
const char* const kExtraSamples[] = {"/usr/share/doc/libreadline8/USAGE"};

struct Outcome {
  const RawFeedback* stored = nullptr;
  const Quarantined* quarantined = nullptr;
};

struct Corpus {
  std::vector<std::string> files;
  std::vector<CollectSink> sinks;  // one per file
  std::map<std::string, Outcome> by_name;
};

const Corpus& corpus() {
  static Corpus c = [] {
    Corpus out;
    std::error_code ec;
    if (fs::is_directory(kCorpus, ec)) {
      for (const auto& e : fs::directory_iterator(kCorpus, ec)) {
        std::string name = e.path().filename().string();
        if (name.rfind("msg_", 0) == 0 && e.path().extension() == ".txt")
          out.files.push_back(e.path().string());
      }
    }
    std::sort(out.files.begin(), out.files.end());
    for (const char* extra : kExtraSamples)
      if (fs::is_regular_file(extra, ec)) out.files.emplace_back(extra);
    out.sinks.reserve(out.files.size());
    for (const auto& f : out.files) out.sinks.push_back(pull_all(spec_of("torture", "eml", f)));
    for (std::size_t i = 0; i < out.files.size(); ++i) {
      Outcome o;
      if (!out.sinks[i].good.empty()) o.stored = &out.sinks[i].good.front();
      if (!out.sinks[i].bad.empty()) o.quarantined = &out.sinks[i].bad.front();
      out.by_name[fs::path(out.files[i]).filename().string()] = o;
    }
    return out;
  }();
  return c;
}

const RawFeedback& stored(const std::string& name) {
  auto it = corpus().by_name.find(name);
  if (it == corpus().by_name.end() || !it->second.stored) throw std::runtime_error(name + " was not stored");
  return *it->second.stored;
}

std::string reason(const std::string& name) {
  auto it = corpus().by_name.find(name);
  if (it == corpus().by_name.end() || !it->second.quarantined)
    throw std::runtime_error(name + " was not quarantined");
  return it->second.quarantined->reason;
}

std::string text(const RawFeedback& r) {
  return r.turns.at(0).text;
}

std::string meta(const RawFeedback& r, const std::string& key) {
  for (const auto& [k, v] : r.metadata)
    if (k == key) return v;
  return "";
}

}  // namespace

TEST_CASE("torture corpus: every message is one record, stored or quarantined with a reason",
          "[connector][torture]") {
  std::error_code ec;
  if (!fs::is_directory(kCorpus, ec))
    FAIL("the MIME torture corpus " << kCorpus
                                    << " is missing: run scripts/setup "
                                       "(it installs the Debian package libpython3.11-testsuite)");
  const Corpus& c = corpus();
  std::size_t msg_files = 0;
  for (const auto& f : c.files)
    if (f.rfind(kCorpus, 0) == 0) ++msg_files;
  REQUIRE(msg_files >= 40);  // 47 in Debian 12's 3.11.2 package
  std::size_t stored = 0, quarantined = 0;
  std::map<std::string, int> reasons;
  for (std::size_t i = 0; i < c.files.size(); ++i) {
    INFO(c.files[i]);
    const CollectSink& s = c.sinks[i];
    CHECK(s.good.size() + s.bad.size() == 1);
    for (const auto& q : s.bad) {
      CHECK_FALSE(q.reason.empty());
      CHECK(q.locator == c.files[i]);
      ++reasons[q.reason];
    }
    for (const auto& r : s.good) {
      CHECK(r.channel == "email");
      CHECK_FALSE(r.external_id.empty());
      REQUIRE(r.turns.size() == 1);
      CHECK_FALSE(r.turns[0].text.empty());
    }
    stored += s.good.size();
    quarantined += s.bad.size();
  }
  CHECK(stored + quarantined == c.files.size());
  std::vector<std::pair<int, std::string>> top;
  for (const auto& [r, n] : reasons) top.emplace_back(n, r);
  std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string summary;
  for (const auto& [n, r] : top) summary += "\n  " + std::to_string(n) + " x " + r;
  WARN("torture corpus: " << c.files.size() << " files (" << msg_files << " CPython msg_*.txt + "
                          << c.files.size() - msg_files << " other Debian samples): " << stored << " stored, "
                          << quarantined << " quarantined; reasons:" << summary);
}

TEST_CASE("torture corpus: known messages read as expected", "[connector][torture]") {
  std::error_code ec;
  if (!fs::is_directory(kCorpus, ec))
    FAIL("the MIME torture corpus " << kCorpus
                                    << " is missing: run scripts/setup "
                                       "(it installs the Debian package libpython3.11-testsuite)");
  // A plain message: Message-ID, comment-style From, Date, body.
  const auto& m01 = stored("msg_01.txt");
  CHECK(m01.external_id == "15090.61304.110929.45684@aaa.zzz.org");
  CHECK(m01.customer_key == "bbb@ddd.com");
  CHECK(m01.subject == "This is a test message");
  CHECK(m01.received_at == "2001-05-04T18:05:44Z");
  CHECK(text(m01) == "Hi,\n\nDo you like this message?\n\n-Me");
  // "Content-Type: text" without a subtype reads as text/plain.
  CHECK(text(stored("msg_14.txt")).rfind("Hi,\n\nI'm sorry but I'm using a drainbread ISP", 0) == 0);
  // Text plus a base64 GIF attachment.
  const auto& m07 = stored("msg_07.txt");
  CHECK(text(m07) == "Hi there,\n\nThis is the dingus fish.");
  CHECK(meta(m07, "attachments").rfind("dingusfish.gif (image/gif, ", 0) == 0);
  // A top-level message/rfc822 with no text of its own.
  const auto& m11 = stored("msg_11.txt");
  CHECK(m11.subject == "The enclosing message");
  CHECK(text(m11) == "Here is the body of the message.");
  CHECK(meta(m11, "body_from") == "forwarded");
  CHECK(meta(m11, "forwarded") == "An enclosed message");
  // Inner multipart reusing the outer boundary (Outlook Express for Mac).
  CHECK(text(stored("msg_15.txt")) == "Some removed test.");
  // Boundary declared, parts stripped by a list server.
  CHECK(text(stored("msg_17.txt")).rfind("Hi there,\n\nThis is the dingus fish.", 0) == 0);
  // Declared boundary "BOUNDARY_", body uses "BOUNDARY".
  CHECK(text(stored("msg_31.txt")) == "message 1\n\nmessage 2");
  // Precedence: bulk on an ordinary subject is list mail, not an auto-reply.
  CHECK(text(stored("msg_32.txt")) == "Some message.");
  // RFC 2231 boundary*= on a multipart/signed: the signed part only.
  CHECK(text(stored("msg_33.txt")) == "part 1");
  // No blank line between header and body.
  const auto& m35 = stored("msg_35.txt");
  CHECK(m35.subject == "here's something interesting");
  CHECK(text(m35) == "counter to RFC 2822, there's no separating newline here");
  CHECK(meta(m35, "mime_defects") == "no blank line between header and body");
  // PGP-signed: the signature is neither text nor an attachment.
  const auto& m45 = stored("msg_45.txt");
  CHECK(text(m45) == "This is the signed contents.");
  CHECK(m45.metadata.empty());
  // A GroupWise forward.
  CHECK(text(stored("msg_46.txt")) == "Testing email forwarding with Groupwise 1.2.2010");
  // Bounces are skipped with a reason.
  CHECK(reason("msg_05.txt") == "bounce (multipart/report; report-type=delivery-status)");
  CHECK(reason("msg_16.txt") == "bounce (From: Internet Mail Delivery <postmaster@ucla.edu>)");
  CHECK(reason("msg_25.txt") == "bounce (multipart/report; report-type=delivery-status)");
  CHECK(reason("msg_43.txt") == "bounce (multipart/report; report-type=delivery-status)");
  // Unreadable: a multipart without any boundary; no header at all.
  CHECK(reason("msg_41.txt") == "MIME structure: multipart/alternative without a boundary parameter");
  CHECK(reason("msg_19.txt").rfind("malformed header line 1", 0) == 0);
  // The Debian sample, when libreadline8 is installed.
  if (corpus().by_name.count("USAGE")) {
    const auto& usage = stored("USAGE");
    CHECK(usage.subject == "Use of Readline");
    CHECK(usage.customer_key == "rms@gnu.org");
    CHECK(text(usage).rfind("I think Allbery's suggestion is a good one.", 0) == 0);
  }
}
