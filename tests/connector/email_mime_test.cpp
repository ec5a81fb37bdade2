// Focus: MIME structure and text selection on fixture messages
// (tests/data/connector/email/mime/, charsets/): nested multiparts, the best
// alternative, related and signed parts, forwarded messages, attachments
// with RFC 2231 / RFC 2047 names, format=flowed, HTML lists and entities,
// and charsets converted through ICU (fixtures made by charsets/generate.sh
// with iconv and committed as bytes).
#include <catch2/catch.hpp>

#include <map>

#include "connectors/email/charset.h"
#include "connectors/email/flowed.h"
#include "connectors/email/header_params.h"
#include "connectors/email/html_text.h"
#include "connectors/email/mime_message.h"
#include "connectors/email/reply_strip.h"
#include "connectors/email/transfer_encoding.h"
#include "tests/connector/collect_sink.h"

using namespace cxmap;
using namespace cxmap::email;
using namespace cxmap::test;

namespace {

using Metadata = std::vector<std::pair<std::string, std::string>>;

CollectSink& mime_folder() {
  static CollectSink sink = pull_all(spec_of("mime", "eml", fixture("email/mime")));
  return sink;
}

const RawFeedback& by_id(const std::string& id) {
  const RawFeedback* r = find_by_id(mime_folder(), id);
  if (!r) throw std::runtime_error("no feedback with id " + id);
  return *r;
}

std::string text(const RawFeedback& r) {
  return r.turns.empty() ? "" : r.turns[0].text;
}

std::string meta(const RawFeedback& r, const std::string& key) {
  for (const auto& [k, v] : r.metadata)
    if (k == key) return v;
  return "";
}

}  // namespace

TEST_CASE("mime fixtures: every file is one record", "[connector][email][mime]") {
  const auto& s = mime_folder();
  CHECK(s.good.size() == 7);
  REQUIRE(s.bad.size() == 1);
  CHECK(s.bad[0].locator.find("08_encrypted.eml") != std::string::npos);
  CHECK(s.bad[0].reason == "encrypted message (multipart/encrypted): no readable text");
}

TEST_CASE("mixed > alternative: text/plain chosen, attachments listed with decoded names and sizes",
          "[connector][email][mime]") {
  const auto& r = by_id("mixed-alt@example.fr");
  CHECK(text(r) ==
        "The invoice charges me twice for delivery \xe2\x80\x94 please correct it. I have attached the "
        "invoice and a "
        "photo of the parcel.");
  CHECK(r.subject == "Facture incorrecte \xe2\x80\x93 commande 4471");
  CHECK(r.customer_key == "zoe.martin@example.fr");
  // RFC 2231 UTF-8 name, RFC 2047 name, RFC 2231 continuations; the text
  // attachment is listed, not read as body; the epilogue is ignored.
  CHECK(r.metadata == Metadata{{"attachments",
                                "facture n\xc2\xb0"
                                "4471.pdf (application/pdf, 83 bytes); "
                                "colis ab\xc3\xaem\xc3\xa9.jpg (image/jpeg, 768 bytes); "
                                "delivery notes from the courier.txt (text/plain, 32 bytes)"}});
}

TEST_CASE("alternative with a blank text/plain: the related HTML root, meta charset, ordered list",
          "[connector][email][mime]") {
  const auto& r = by_id("related@example.co.uk");
  CHECK(text(r) ==
        "I tried three things from the help centre \xe2\x80\x93 none worked:\n\n"
        "1. reset the router\n2. update the app\n3. log out & in again\n\n"
        "Caf\xc3\xa9 Wi-Fi works fine, so it is your side.\nPlease call me.");
  CHECK(meta(r, "body_from") == "html");
  CHECK(meta(r, "attachments") == "logo.png (image/png, 48 bytes)");  // the inline image
}

TEST_CASE("message/rfc822: the customer's comment is the body, the forward is listed",
          "[connector][email][mime]") {
  const auto& r = by_id("fwd-comment@example.in");
  CHECK(text(r) == "See the reply below: three weeks and still no refund.");
  CHECK(r.metadata == Metadata{{"forwarded", "Re: Refund #123"}});
}

TEST_CASE("message/rfc822 without a comment: the forwarded text is the body, marked as such",
          "[connector][email][mime]") {
  const auto& r = by_id("fwd-only@example.in");
  CHECK(text(r) == "The courier threw the parcel over the fence.");
  CHECK(r.metadata == Metadata{{"body_from", "forwarded html"}, {"forwarded", "my complaint"}});
}

TEST_CASE("format=flowed is unwrapped, with and without DelSp", "[connector][email][mime]") {
  CHECK(
      text(by_id("flowed-delsp@example.de")) ==
      "The new app version logs me out every time I switch to another app and then come back, which is very "
      "frustrating. I have reinstalled it twice and cleared the cache.\nFrom now on I will use the website.");
  CHECK(text(by_id("flowed@example.de")) ==
        "Thanks for the quick answer, the agent on the phone was patient and explained everything twice.");
}

TEST_CASE("signed > mixed: text parts around an inline image are joined; the signature is not listed",
          "[connector][email][mime]") {
  const auto& r = by_id("signed@example.at");
  CHECK(text(r) == "The lamp arrived broken, see the photo:\n\nI would like a replacement, not a refund.");
  CHECK(r.metadata == Metadata{{"attachments", "IMG_0042.jpg (image/jpeg, 768 bytes)"}});
}

TEST_CASE("charsets: each fixture reads back to its UTF-8 text and subject", "[connector][email][charset]") {
  auto s = pull_all(spec_of("charsets", "eml", fixture("email/charsets")));
  REQUIRE(s.bad.empty());
  struct Expect {
    const char* subject;
    const char* body;
  };
  const std::map<std::string, Expect> expected = {
      {"iso-8859-2", {"Reklamacja zamówienia", "Zamówienie dotarło uszkodzone, proszę o zwrot pieniędzy."}},
      {"windows-1250", {"Ztracený balík", "Kurýr nechal balík před dveřmi a někdo ho ukradl."}},
      {"iso-8859-7", {"Καθυστέρηση παραγγελίας", "Η παραγγελία μου καθυστερεί δύο εβδομάδες."}},
      {"windows-1251", {"Спасибо за помощь", "Оператор был очень вежлив и быстро решил проблему."}},
      {"koi8-r", {"Возврат денег", "Я жду возврата денег уже месяц."}},
      {"shift_jis", {"配送の遅延について", "注文した商品がまだ届いていません。①番の問い合わせです。"}},
      {"iso-2022-jp", {"返品について", "返品の手続きを教えてください。"}},
      {"gb2312", {"退款问题", "退款什么时候到账？客服朱镕很耐心。"}},
      {"gb18030", {"快递", "快递员很专业😀"}},
      {"big5", {"客服服務", "客服人員非常有禮貌，問題很快就解決了。"}},
      {"ks_c_5601-1987", {"배송 문의", "배송이 너무 늦어요. 똠방각하."}},
  };
  CHECK(s.good.size() == expected.size());
  for (const auto& r : s.good) {
    std::string name = r.external_id.substr(0, r.external_id.find('@'));
    INFO(name);
    auto it = expected.find(name);
    REQUIRE(it != expected.end());
    CHECK(r.subject == it->second.subject);
    CHECK(text(r) == it->second.body);
    CHECK(r.metadata.empty());  // nothing guessed, nothing damaged
  }
}

TEST_CASE("to_utf8 reports unknown labels; superset labels decode superset bytes",
          "[connector][email][charset]") {
  bool known = true;
  CHECK(to_utf8("caf\xe9", "x-martian", known) == "caf\xc3\xa9");
  CHECK_FALSE(known);
  CHECK(to_utf8("\xe9\x46", "gb2312", known) == "\xe9\x95\x95");  // GBK-only 镕 under a gb2312 label
  CHECK(known);
  CHECK(to_utf8("\xfd", "iso-8859-9", known) == "\xc4\xb1");                       // dotless i
  CHECK(to_utf8("\xe0\xf2\xe8", "ansi_x3.4-1968") == "\xc3\xa0\xc3\xb2\xc3\xa8");  // 8-bit in "ascii"
  // Bad sequences become U+FFFD, never ICU's U+001A (SUB).
  CHECK(to_utf8("a\x81\x20z", "shift_jis") == "a\xef\xbf\xbd z");
  CHECK(to_utf8("a\x82", "shift_jis") == "a\xef\xbf\xbd");
}

TEST_CASE("MIME parameters: quoting, RFC 2231 charsets and continuations, RFC 2047 names",
          "[connector][email][mime]") {
  ContentType ct = parse_content_type(
      "Text/PLAIN ; charset=\"us-ascii\" ; format=\"flowed\"; title*0*=us-ascii'en'This%20is%20;"
      " title*1=\" fun\"; name=\"a \\\"quoted\\\" name\"");
  CHECK(ct.mime_type() == "text/plain");
  REQUIRE(ct.params.get("charset"));
  CHECK(*ct.params.get("charset") == "us-ascii");
  CHECK(*ct.params.get("format") == "flowed");
  CHECK(*ct.params.get("title") == "This is  fun");
  CHECK(*ct.params.get("name") == "a \"quoted\" name");
  // No subtype, or garbage: text/plain (RFC 2045), or the given fallback.
  CHECK(parse_content_type("text; charset=us-ascii").mime_type() == "text/plain");
  CHECK(parse_content_type("").mime_type() == "text/plain");
  CHECK(parse_content_type("", "message/rfc822").mime_type() == "message/rfc822");
  // An RFC 2231 boundary (CPython's msg_33) and a gap in the sections.
  CHECK(*parse_content_type("multipart/signed; boundary*=\"ansi-x3.4-1968''EeQf\"").params.get("boundary") ==
        "EeQf");
  CHECK(*parse_params("; f*0=a; f*2=c").get("f") == "a");
  ContentDisposition d = parse_content_disposition(
      "ATTACHMENT; filename*=iso-8859-1'fr'r%E9sum%E9.pdf; filename=\"fallback.pdf\"");
  CHECK(d.kind == "attachment");
  CHECK(*d.params.get("filename") == "r\xc3\xa9sum\xc3\xa9.pdf");  // the RFC 2231 form wins
  CHECK(
      *parse_content_disposition("inline; filename=\"=?utf-8?Q?na=C3=AFve.txt?=\"").params.get("filename") ==
      "na\xc3\xafve.txt");
  // A boundary is never decoded, even if it looks like an encoded word.
  CHECK(*parse_content_type("multipart/mixed; boundary=\"=?x?q?y?=\"").params.get("boundary") == "=?x?q?y?=");
}

TEST_CASE("transfer decoding is lenient and bounded", "[connector][email][mime]") {
  Decoded b = decode_transfer(TransferEncoding::base64, "aGVs bG8g*\r\nd29y bGQ=", 100);
  CHECK(b.bytes == "hello world");
  CHECK(b.invalid);
  CHECK_FALSE(b.truncated);
  // Two base64 blocks glued together.
  CHECK(decode_transfer(TransferEncoding::base64, "aGk=aGk=", 100).bytes == "hihi");
  Decoded cut = decode_transfer(TransferEncoding::base64, "aGVsbG8gd29ybGQ=", 5);
  CHECK(cut.bytes == "hello");
  CHECK(cut.truncated);
  CHECK(decoded_size(TransferEncoding::base64, "aGVsbG8gd29ybGQ=") == 11);
  Decoded q = decode_transfer(TransferEncoding::quoted_printable, "caf=C3=a9 =ZZ =\r\nsoft  \r\nend=3D", 100);
  CHECK(q.bytes == "caf\xc3\xa9 =ZZ soft\nend=");
  CHECK(q.invalid);
  CHECK(decode_transfer(TransferEncoding::quoted_printable, "keep  \nx", 100, true).bytes == "keep  \nx");
  CHECK(decoded_size(TransferEncoding::quoted_printable, "a=3Db=\nc") == 4);
  CHECK(transfer_encoding_of(" Base64 ") == TransferEncoding::base64);
  CHECK(transfer_encoding_of("x-uuencode") == TransferEncoding::identity);
}

TEST_CASE("unflow: RFC 3676 soft breaks, quote depth, stuffing and the signature line",
          "[connector][email][mime]") {
  CHECK(unflow("one \ntwo \nthree\nfour", false) == "one two three\nfour");
  CHECK(unflow("Japa \nnese", true) == "Japanese");
  CHECK(unflow("> quoted \n> text\nown", false) == "> quoted text\nown");
  CHECK(unflow(">> deep \n> shallow", false) == ">> deep \n> shallow");  // depth change ends the paragraph
  CHECK(unflow(" From the start \nit failed", false) == "From the start it failed");  // stuffed space
  CHECK(unflow("text \n-- \nsig", false) == "text -- \nsig");
  CHECK(unflow("", false) == "");
}

TEST_CASE("html_to_text: lists, entities, pre, unclosed head, meta charset", "[connector][email][html]") {
  CHECK(html_to_text("<ul><li>one<li>two</ul><ol start=\"3\"><li>three</li><li>four</li></ol>after") ==
        "- one\n- two\n\n3. three\n4. four\n\nafter");
  CHECK(html_to_text("<ol><li>a<ul><li>b</li></ul></li><li>c</li></ol>") == "1. a\n- b\n\n2. c");
  CHECK(html_to_text("&euro;5 &hearts; &Omega; &#150; &#x2014; &AMP; &shy;x &notanentity;") ==
        "\xe2\x82\xac"
        "5 \xe2\x99\xa5 \xce\xa9 \xe2\x80\x93 \xe2\x80\x94 & x &notanentity;");
  CHECK(html_to_text("<pre>a  b\n  c</pre>d") == "a  b\nc\n\nd");  // lines are still trimmed
  CHECK(html_to_text("<html><head><title>t</title><body><p>kept</p>") == "kept");
  CHECK(html_to_text(
            "<table><tr><td>Order</td><td>4471</td></tr><tr><td>Status</td><td>late</td></tr></table>") ==
        "Order 4471\nStatus late");
  CHECK(html_charset("<html><head><meta charset=\"Shift_JIS\">") == "Shift_JIS");
  CHECK(html_charset("<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=koi8-r'>") == "koi8-r");
  CHECK(html_charset("<p>no meta</p>") == "");
}

TEST_CASE("strip_reply: an inline forward cuts after the customer's text, or is the text",
          "[connector][email][mime]") {
  CHECK(strip_reply("Still not fixed, see below.\n\n---------- Forwarded message ---------\nFrom: Support "
                    "<s@x.com>\nDate: Mon\nSubject: Re: case\n\nWe fixed it.\n") ==
        "Still not fixed, see below.");
  CHECK(strip_reply("---------- Forwarded message ---------\nFrom: Me <me@x.com>\nDate: Mon, 1 Sep\nSubject: "
                    "order\nTo: <shop@x.com>\n\nMy order never arrived.\n") == "My order never arrived.");
  CHECK(strip_reply("Begin forwarded message:\n\nFrom: Me <me@x.com>\nSubject: x\n\nThe app crashes.\n") ==
        "The app crashes.");
}

TEST_CASE("decode_header_words stays linear on hostile values", "[connector][email][mime]") {
  std::string hostile;
  for (int i = 0; i < 100000; ++i) hostile += "=?=?";
  CHECK(decode_header_words(hostile) == hostile);
  std::string open = "=?utf-8?q?" + std::string(200000, 'a');
  CHECK(decode_header_words(open) == open);
  CHECK(decode_header_words("=?utf-8?q?a?==?utf-8?q?b?=") == "ab");
}
