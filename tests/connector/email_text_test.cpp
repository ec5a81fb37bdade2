// Focus: the text helpers behind the email connectors: charset conversion,
// RFC 2047 header words, HTML to text, reply and signature removal.
#include <catch2/catch.hpp>

#include "connectors/email/charset.h"
#include "connectors/email/html_text.h"
#include "connectors/email/mime_message.h"
#include "connectors/email/reply_strip.h"
#include "connectors/timestamp.h"

using namespace cxmap;
using namespace cxmap::email;

TEST_CASE("to_utf8 converts declared charsets and guesses undeclared 8-bit", "[connector][email]") {
  CHECK(to_utf8("caf\xe9", "ISO-8859-1") == "caf\xc3\xa9");
  CHECK(to_utf8("\x93hi\x94", "windows-1252") == "\xe2\x80\x9chi\xe2\x80\x9d");
  // iso-8859-1 label with cp1252 bytes is read as cp1252 (WHATWG).
  CHECK(to_utf8("\x80", "iso-8859-1") == "\xe2\x82\xac");
  CHECK(to_utf8("\xc3\xa9t\xc3\xa9", "") == "\xc3\xa9t\xc3\xa9");     // valid UTF-8 kept
  CHECK(to_utf8("\xe9t\xe9", "us-ascii") == "\xc3\xa9t\xc3\xa9");      // 8-bit in "ascii"
  CHECK(to_utf8("\xe9t\xe9", "x-no-such-charset") == "\xc3\xa9t\xc3\xa9");
  CHECK(to_utf8("\xbd", "iso-8859-15") == "\xc5\x93");                   // oe ligature
  CHECK(to_utf8("\xcf\xf0\xe8\xe2\xe5\xf2", "KOI8-R").size() > 6);     // converted, not copied
  CHECK(to_utf8("\xcf\xf0\xe8\xe2\xe5\xf2", "windows-1251") == "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
  CHECK(is_valid_utf8("\xe2\x82\xac"));
  CHECK_FALSE(is_valid_utf8("\xe2\x82"));
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));  // overlong
}

TEST_CASE("RFC 2047 encoded words are decoded and joined", "[connector][email]") {
  CHECK(decode_header_words("=?UTF-8?Q?caf=C3=A9_au_lait?=") == "caf\xc3\xa9 au lait");
  CHECK(decode_header_words("=?iso-8859-1?q?Probl=E8me?= =?iso-8859-1?q?_de_livraison?=") ==
        "Probl\xc3\xa8me de livraison");
  CHECK(decode_header_words("Re: =?utf-8?B?w6l0w6k=?= now") == "Re: \xc3\xa9t\xc3\xa9 now");
  // A multibyte character split across two B words.
  CHECK(decode_header_words("=?utf-8?B?w6?= =?utf-8?B?k=?=").size() > 0);
  CHECK(decode_header_words("plain subject") == "plain subject");
  CHECK(decode_header_words("=?broken") == "=?broken");
  CHECK(decode_header_words("raw \xe9t\xe9") == "raw \xc3\xa9t\xc3\xa9");
}

TEST_CASE("html_to_text drops scripts and quotes, keeps block breaks, decodes entities", "[connector][email]") {
  std::string html =
      "<html><head><title>T</title><style>.a{}</style></head><body><script>alert(1)</script>"
      "<div>Tom &amp; Jerry&#39;s&nbsp;shop &#x263A; &eacute;</div><p>one<br/>two</p>"
      "<ul><li>a</li><li>b &lt; c</li></ul><blockquote>old <b>quoted</b> text</blockquote>"
      "<!-- hidden --><a href=\"x>y\">link</a></body></html>";
  std::string text = html_to_text(html);
  CHECK(text.find("alert") == std::string::npos);
  CHECK(text.find(".a{}") == std::string::npos);
  CHECK(text.find("quoted") == std::string::npos);
  CHECK(text.find("hidden") == std::string::npos);
  CHECK(text.find("Tom & Jerry's shop \xe2\x98\xba \xc3\xa9") != std::string::npos);
  CHECK(text.find("one\ntwo") != std::string::npos);
  CHECK(text.find("- a\n- b < c") != std::string::npos);
  CHECK(text.find("link") != std::string::npos);
  CHECK(html_to_text("a   b\n\n c") == "a b c");
  CHECK(html_to_text("5 < 6 &unknown; &amp") == "5 < 6 &unknown; &");
}

TEST_CASE("strip_reply removes Gmail quotes, Outlook blocks, signatures and sign-offs", "[connector][email]") {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"My card was charged twice.\n\nOn Tue, Sep 1, 2026 at 10:00 AM Shop <s@x.com> wrote:\n> Hello\n> there\n",
       "My card was charged twice."},
      {"Top text.\nOn Tue, Sep 1, 2026 at 10:00 AM Support Team <support@shop.example>\nwrote:\n> quoted\n",
       "Top text."},
      {"Please cancel.\n\n-----Original Message-----\nFrom: A\nSent: Monday\nHi\n", "Please cancel."},
      {"Please cancel.\n\nFrom: Support <s@x.com>\nSent: Monday, 1 Sep\nTo: me\n\nHi\n", "Please cancel."},
      {"Body text.\n-- \nJohn Doe\nACME\n", "Body text."},
      {"Body text.\n\nSent from my iPhone\n", "Body text."},
      {"Body text.\n\nKind regards,\nMaria Lopez\nHead of Ops\n", "Body text."},
      {"Body text.\nThanks,\nJo\n", "Body text."},
      {"> quoted first\nmy answer\n> more quote\nsecond answer\n", "my answer\nsecond answer"},
      {"Thanks, the refund arrived quickly and the agent was kind.\n",
       "Thanks, the refund arrived quickly and the agent was kind."},
      {"Regards,\nThis is a long line that is clearly not a name because it goes on and on.\n",
       "Regards,\nThis is a long line that is clearly not a name because it goes on and on."},
      {"Le colis est perdu.\n\nLe mar. 1 sept. 2026, Support <s@x.fr> a \xc3\xa9" "crit :\n> Bonjour\n",
       "Le colis est perdu."},
      {"> only a quote\n", ""},
      {"line one\r\nline two\r\n", "line one\nline two"},
      {"Much appreciated.\n\nJames\n", "Much appreciated."},
      {"Please call me.\n\nSamuel Brooks\n07700 900644\n", "Please call me."},
      {"Call me back.\n\nRaj Patel\nPatel & Sons Joinery\n07700 900261\n", "Call me back."},
      {"Le lien est cass\xc3\xa9.\n\nChlo\xc3\xa9 Dubois\n", "Le lien est cass\xc3\xa9."},
      {"Text.\n\nMit freundlichen Gr\xc3\xbc\xc3\x9f" "en / kind regards,\nHannah M\xc3\xbcller\n", "Text."},
      {"Resolve it.\n\nYours faithfully,\nOliver Grant\n", "Resolve it."},
      {"It works now.\n\nThank you so much for the help\n", "It works now.\n\nThank you so much for the help"},
      {"I waited.\n\nNot Happy At All\n", "I waited.\n\nNot Happy At All"},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(strip_reply(c.in) == c.out);
  }
}

TEST_CASE("dates become ISO-8601 UTC", "[connector][email]") {
  CHECK(to_iso_utc("Tue, 01 Sep 2026 10:00:00 +0200") == "2026-09-01T08:00:00Z");
  CHECK(to_iso_utc("Wed, 2 Sep 2026 11:30:00 -0500 (EST)") == "2026-09-02T16:30:00Z");
  CHECK(to_iso_utc("4 Sep 2026 21:00:00 EST") == "2026-09-05T02:00:00Z");
  CHECK(to_iso_utc("2026-09-03T10:02:00+02:00") == "2026-09-03T08:02:00Z");
  CHECK(to_iso_utc("2026-09-03T10:02:00Z") == "2026-09-03T10:02:00Z");
  CHECK(to_iso_utc("2026-09-03 10:02:00") == "2026-09-03T10:02:00Z");
  CHECK(to_iso_utc("09/03/2026 10:02") == "2026-09-03T10:02:00Z");
  CHECK(to_iso_utc("2026-09-03") == "2026-09-03T00:00:00Z");
  CHECK(to_iso_utc("yesterday") == std::nullopt);
  CHECK(to_iso_utc("") == std::nullopt);
}

TEST_CASE("address_of keeps only the lowercased addr-spec", "[connector][email]") {
  CHECK(address_of("Maria Lopez <Maria.Lopez@Example.com>") == "maria.lopez@example.com");
  CHECK(address_of("\"Lopez, Maria\" <m@x.com>") == "m@x.com");
  CHECK(address_of("JAN@Example.org (Jan K)") == "jan@example.org");
  CHECK(address_of("undisclosed") == "");
}

TEST_CASE("parse_headers unfolds lines and rejects a malformed header", "[connector][email]") {
  std::size_t body = 0;
  auto h = parse_headers("Subject: one\r\n two\r\nFrom: a@b\r\n\r\nbody", body);
  REQUIRE(h);
  REQUIRE(h->size() == 2);
  CHECK((*h)[0].value == "one two");
  CHECK(body == std::string("Subject: one\r\n two\r\nFrom: a@b\r\n\r\n").size());
  // A line that is not a field, with a field after it: a malformed header.
  auto bad = parse_headers("Subject: x\r\nnot a header\r\nFrom: a@b\r\n\r\nbody", body);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("line 2") != std::string::npos);
  // No field after it: the body starts there (the blank line is missing).
  std::string defect;
  std::string m = "Subject: x\r\nFrom: a@b\r\nHello, my parcel: late.\r\n\r\nMore.";
  auto lenient = parse_headers(m, body, &defect);
  REQUIRE(lenient);
  CHECK(lenient->size() == 2);
  CHECK(m.substr(body) == "Hello, my parcel: late.\r\n\r\nMore.");
  CHECK(defect == "no blank line between header and body");
  // The first line must be a field.
  CHECK_FALSE(parse_headers("not a header\r\n\r\nbody", body));
  CHECK_FALSE(parse_headers("", body));
  CHECK_FALSE(parse_headers("\r\nbody", body));
}
