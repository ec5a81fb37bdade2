// Focus: auto-replies, bounces and receipts are skipped with a reason (each
// still one quarantined record, so a run's counts reconcile), and a
// customer's ordinary mail is never taken for one.
#include <catch2/catch.hpp>

#include "connectors/email/auto_reply.h"
#include "connectors/email/mime_message.h"
#include "tests/connector/collect_sink.h"

using namespace cxmap;
using namespace cxmap::email;
using namespace cxmap::test;

namespace {

// A message with `extra` header lines and a plain customer-like body.
std::string message(const std::string& extra, const std::string& subject = "About my order",
                    const std::string& from = "Ana Silva <ana@example.pt>") {
  return "From: " + from + "\nTo: support@shop.example\nSubject: " + subject +
         "\nDate: Fri, 11 Sep 2026 09:00:00 +0000\nMessage-ID: <m@example.pt>\n" + extra +
         "\nThe parcel is late again and nobody answers the phone.\n";
}

std::string reason_of(const std::string& bytes) {
  auto r = parse_message(bytes, "s", "loc");
  return r ? std::string() : r.error().message;
}

}  // namespace

TEST_CASE("auto-replies and bounces are skipped with a reason", "[connector][email][autoreply]") {
  struct Case {
    std::string bytes;
    const char* reason;
  };
  const std::string report_body =
      "\n--R\nContent-Type: text/plain\n\nDelivery failed.\n--R\nContent-Type: message/delivery-status\n\n"
      "Action: failed\n--R--\n";
  const Case cases[] = {
      {message("Auto-Submitted: auto-replied\n", "Out of Office: About my order"),
       "auto-reply (Auto-Submitted: auto-replied)"},
      {message("Auto-Submitted: auto-generated (failure)\n"),
       "automated message (Auto-Submitted: auto-generated (failure))"},
      {message("Auto-Submitted: Auto-Notified\n"), "automated message (Auto-Submitted: Auto-Notified)"},
      {message("X-Autoreply: yes\n"), "auto-reply (X-Autoreply: yes)"},
      {message("X-Autorespond: Vacation\n"), "auto-reply (X-Autorespond: Vacation)"},
      {message("Precedence: bulk\n", "Out of Office: back on Monday"),
       "auto-reply (Precedence: bulk; Subject: Out of Office: back on Monday)"},
      {message("Precedence: auto_reply\n", "Automatic reply: About my order"),
       "auto-reply (Precedence: auto_reply; Subject: Automatic reply: About my order)"},
      {message("Precedence: junk\n", "=?utf-8?Q?R=C3=A9ponse_automatique?="),
       "auto-reply (Precedence: junk; Subject: R\xc3\xa9ponse automatique)"},
      {message("Content-Type: multipart/report; report-type=delivery-status; boundary=R\n") + report_body,
       "bounce (multipart/report; report-type=delivery-status)"},
      {message("Content-Type: multipart/report; report-type=\"disposition-notification\"; boundary=R\n") +
           report_body,
       "read receipt (multipart/report; report-type=disposition-notification)"},
      {message("Content-Type: multipart/report; boundary=R\n") + report_body,
       "automated report (multipart/report)"},
      {message("", "Undelivered Mail Returned to Sender",
               "Mail Delivery System <MAILER-DAEMON@mx.example.com>"),
       "bounce (From: Mail Delivery System <MAILER-DAEMON@mx.example.com>)"},
      {message("", "failure notice", "MAILER-DAEMON@mx.example.com"),
       "bounce (From: MAILER-DAEMON@mx.example.com)"},
      {message("", "Undeliverable: About my order", "postmaster@example.org"),
       "bounce (From: postmaster@example.org)"},
      {message("Return-Path: <>\n", "Note", "Postmaster <postmaster@example.org>"),
       "bounce (From: Postmaster <postmaster@example.org>)"},
  };
  for (const auto& c : cases) {
    INFO(c.bytes);
    CHECK(reason_of(c.bytes) == c.reason);
  }
}

TEST_CASE("a customer's ordinary mail is not taken for an auto-reply", "[connector][email][autoreply]") {
  const std::string cases[] = {
      message(""),
      message("", "Out of office hours support was useless"),  // the subject alone is no signal
      message("", "Re: Automatic reply: About my order"),      // replying to our auto-reply
      message("Auto-Submitted: no\n"),                         // RFC 3834's explicit "no"
      message("X-Autoreply: no\n"),
      message("Precedence: bulk\n", "Re: Limiting Perl CPU Utilization"),  // list mail, written by a person
      message("Precedence: list\n", "Out of Office notice"),               // list is not bulk/junk/auto_reply
      message("X-Auto-Response-Suppress: All\n"),                          // a request, not a mark
      message("", "My complaint", "postmaster@smallshop.example"),  // a shop's admin writing as a customer
      message("", "MAILER-DAEMON keeps bouncing my mails to you"),  // words in the subject
      message("Content-Type: multipart/mixed; boundary=F\n",
              "Fwd: your bounce") +  // a bounce inside a forward
          "\n--F\nContent-Type: text/plain\n\nWhy did this bounce?\n--F\nContent-Type: message/rfc822\n\n"
          "From: MAILER-DAEMON@mx.example\nAuto-Submitted: auto-replied\n"
          "Content-Type: multipart/report; report-type=delivery-status; boundary=R\n\n--R--\n--F--\n",
  };
  for (const auto& bytes : cases) {
    INFO(bytes);
    auto r = parse_message(bytes, "s", "loc");
    CHECK(r);
  }
  CHECK_FALSE(is_out_of_office_subject("Refund please"));
  CHECK(is_out_of_office_subject("Abwesenheitsnotiz: Ihre Anfrage"));
}

TEST_CASE("skipped mail is still one record each: an mbox reconciles", "[connector][email][autoreply]") {
  TempDir dir;
  std::string mbox;
  auto add = [&](const std::string& m) {
    mbox += "From x@example.com Fri Sep 11 09:00:00 2026\n" + m + "\n";
  };
  add(message(""));
  add(message("Auto-Submitted: auto-replied\n", "Automatic reply: hello"));
  add(message("", "Returned mail: see transcript", "MAILER-DAEMON@mx.example"));
  add(message("X-Autoreply: yes\n"));
  add(message("", "Out of office hours support was useless"));
  auto s = pull_all(spec_of("mix", "mbox", dir.write("mix.mbox", mbox)));
  CHECK(s.good.size() + s.bad.size() == 5);
  CHECK(s.good.size() == 2);
  REQUIRE(s.bad.size() == 3);
  CHECK(s.bad[0].reason == "auto-reply (Auto-Submitted: auto-replied)");
  CHECK(s.bad[1].reason == "bounce (From: MAILER-DAEMON@mx.example)");
  CHECK(s.bad[2].reason == "auto-reply (X-Autoreply: yes)");
  for (const auto& q : s.bad) CHECK_FALSE(q.raw.empty());
}
