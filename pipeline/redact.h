// PII redaction: replaces personal data in customer text by placeholders
// before anything is stored or indexed (DESIGN.md, Privacy). Pure: text in,
// redacted text, per-type counts and the replaced byte spans out. It never
// keeps, logs or returns the redacted values themselves except as offsets
// into the caller's own text.
//
// One left-to-right pass of hand-written scanners (no regex engine): at each
// word start the scanners for the enabled types are tried in the order
// email, secret cue, IBAN, card, phone, and the first that matches consumes
// its span. Input should be NFKC-normalised (normalize_text): full-width
// digits and no-break spaces then arrive as ASCII digits and spaces. Only
// ASCII bytes are inspected; other UTF-8 is copied through untouched.
//
// Rules per type:
// - [EMAIL] local@domain: local part of [A-Za-z0-9._%+-] (and an apostrophe
//   between letters, o'brien@...) not starting or ending with '.', a domain
//   of at least two dot-separated labels whose last label is 2+ letters and
//   not a file extension ("report@2x.png"); trailing punctuation stays out.
// - [CARD] 13-19 digits, contiguous or grouped with single spaces or dashes
//   in card layouts (4-4-4-4[-1..3], Amex 4-6-5, Diners 4-6-4), whose issuer
//   prefix and length fit a real scheme (Visa, Mastercard, Amex, Discover,
//   Diners, JCB, UnionPay, Maestro) and that pass the Luhn check. A trailing
//   group that breaks the check (an expiry "12/27") is left outside. Not
//   after an identifier word (order, tracking, serial, policy...) unless a
//   card word (card, visa, debit...) is there too.
// - [IBAN] a known country code, two check digits and the BBAN, contiguous
//   or in groups, of exactly that country's length, upper or lower case, that
//   passes ISO 7064 mod-97. An IBAN-shaped run that fails the check is
//   skipped whole so that its digit groups are not taken for a phone number.
// - [PHONE] a run of digit groups joined by single spaces, dashes or dots,
//   with an optional leading '+', parenthesised area codes "(555)" and the
//   UK "(0)". Accepted when: '+' and 8-15 digits; "00" and 10-17 digits;
//   a national number of 9-12 digits that starts with a trunk 0 or a
//   parenthesised area code, or is laid out 3-3-4 / 1-3-3-4 (North America)
//   or 3-3-3; any other 9-12 digit run, and short local numbers written 3-4
//   ("555-1234"), only with a phone cue (phone, call, mobile, cell, tel, ring,
//   text, whatsapp, number, landline...) among the six words before it.
//   Rejected: runs glued to letters, '#', '/', ':' or a decimal point (order
//   codes, dates, times, amounts), runs after a currency sign, IP addresses,
//   ZIP+4 and 3-2-4 numbers, runs mixing dots and spaces ("05.06.2024
//   09.15", "0.00 12.50"), runs of 2-digit pairs other than the French
//   0x xx xx xx xx, and (without '+') runs whose three preceding words name
//   an identifier (order, tracking, ref, invoice, ticket, case, account,
//   booking, imei, serial, currency codes...) without a strong phone cue.
// - [SECRET] the value after a secret cue (password, passcode, passwd, pwd,
//   pw, PIN, PIN code/number, CVV/CVC/CV2, security code/number,
//   verification, one-time, access, authentication, 2FA, door, gate, alarm,
//   entry or keypad code, OTP, memorable word) and a connector (":", "=",
//   "-", 's, is, was, is now, is still, is currently, to, changed to, set
//   to, reset to...), possibly with "for [my|the|your|our] one or two words"
//   between ("the PIN for my card is X"). Numeric cues take only 3-10 digits
//   and may be followed directly by the digits ("PIN 4821", "CVV no. 123").
//   Password cues take one whitespace-free token, or the inside of a quoted
//   value; after is/was/:/= the token must not be an ordinary word of a
//   sentence ("password is wrong", "is the same"), after "to" it must contain
//   a digit, symbol or inner capital, and with no connector at all
//   ("password Blue$ky22") letters and digits or a symbol. Trailing . , ; :
//   ) and quotes stay outside, and ! ? too when they end the sentence; the
//   cue itself is kept.
//
// Known misses (left as they are, on purpose or for now): obfuscated emails
// ("john dot smith at gmail dot com", "lena(at)example.de"); phone numbers
// split by '/' or written in words, and numbers preceded by an identifier
// word; 9-12 digit runs with no cue and no national layout (read as ids);
// extensions stay in the text; cards with unusual grouping or a Luhn typo;
// IBANs with a typo; passphrases with spaces unless quoted; secrets away
// from their cue ("the password I set was X", "I gave it: X"), bare "code
// is 1234", spaced codes ("55 12 90"), answers to security questions; and
// names, addresses and account numbers, which are not types here.
// Measured on tests/data/redaction/labelled.tsv by tests/unit/redact_test.cpp.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cxmap {

enum class RedactionType { email, phone, card, iban, secret };
inline constexpr std::size_t kRedactionTypes = 5;

// "email", "phone", "card", "iban", "secret"
const char* redaction_type_name(RedactionType type);
// "[EMAIL]", "[PHONE]", "[CARD]", "[IBAN]", "[SECRET]"
const char* redaction_placeholder(RedactionType type);

struct RedactionOptions {
  bool email = true;
  bool phone = true;
  bool card = true;
  bool iban = true;
  bool secret = true;

  bool enabled(RedactionType type) const;
};

struct RedactionSpan {
  RedactionType type = RedactionType::email;
  std::size_t start = 0, end = 0;  // byte offsets in the input text
};

struct RedactionResult {
  std::string text;                           // the input with every span replaced
  std::array<int, kRedactionTypes> counts{};  // by RedactionType
  std::vector<RedactionSpan> spans;           // in text order, never overlapping

  int count(RedactionType type) const { return counts[static_cast<std::size_t>(type)]; }
  int total() const;
};

RedactionResult redact(std::string_view text, const RedactionOptions& options = {});

// The checks the scanners use, exposed for tests. Separators (spaces,
// dashes) are ignored; any other non-digit (Luhn) or non-alphanumeric (IBAN)
// character makes the check fail.
bool luhn_valid(std::string_view digits);
bool iban_valid(std::string_view iban);

}  // namespace cxmap
