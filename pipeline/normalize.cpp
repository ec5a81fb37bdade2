// Normalisation: one pass of our own validating UTF-8 decoder into a
// UnicodeString (so every ill-formed sequence is counted exactly once), one
// ICU NFKC pass (skipped when the quick check says the text is already
// normalised), and one clean-up pass over UTF-16 before converting back.
// ASCII-only text (most feedback) skips all of that: it is valid and already
// NFKC, so only the clean-up runs, over its bytes. So does valid UTF-8 that
// ICU says is already NFKC (typographic quotes, accents, emoji), decoding
// code points in place instead of going through UTF-16.
#include "pipeline/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace cxmap {

namespace {

// Decodes UTF-8, replacing each maximal ill-formed subpart by U+FFFD
// (the Unicode "best practice" used by ICU and WHATWG).
icu::UnicodeString decode_utf8(std::string_view in, int& invalid) {
  icu::UnicodeString out;
  out.getBuffer(static_cast<int32_t>(in.size()) + 1);  // reserve
  out.releaseBuffer(0);
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      // ASCII run: append quickly.
      std::size_t j = i;
      while (j < n && p[j] < 0x80) ++j;
      for (std::size_t k = i; k < j; ++k) out.append(static_cast<char16_t>(p[k]));
      i = j;
      continue;
    }
    int len = 0;
    UChar32 cp = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) {
      len = 3; cp = c & 0x0F;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4; cp = c & 0x07;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      ++invalid;
      out.append(static_cast<UChar32>(0xFFFD));
      ++i;
      continue;
    }
    std::size_t k = 1;
    bool bad = false;
    for (; k < static_cast<std::size_t>(len); ++k) {
      if (i + k >= n) { bad = true; break; }
      unsigned char cc = p[i + k];
      unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
      if (cc < l || cc > h) { bad = true; break; }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (bad) {
      ++invalid;
      out.append(static_cast<UChar32>(0xFFFD));
      i += k;  // the maximal subpart consumed so far
      continue;
    }
    out.append(cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

bool is_hspace(UChar32 c) {
  return c == ' ' || c == '\t' || (c != '\n' && u_isWhitespace(c) && !u_iscntrl(c)) ||
         c == 0x00A0 || c == 0x202F || c == 0x2007;
}

// Counts ill-formed sequences without building anything (the common case
// is zero, and ICU's own converter is then the fastest way to UTF-16).
int count_invalid(std::string_view in) {
  int invalid = 0;
  int32_t i = 0, n = static_cast<int32_t>(in.size());
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  while (i < n) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    UChar32 c = 0;
    U8_NEXT(p, i, n, c);
    if (c < 0) ++invalid;
  }
  return invalid;
}

// What the clean-up pass does with a character: keep it, treat it as a line
// break (CRLF and CR count once), as horizontal space, or drop it (C0/C1
// controls, BOM).
enum class LayoutClass : unsigned char { keep, line_break, space, drop };

LayoutClass layout_class(UChar32 c) {
  if (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029 || c == 0x85) return LayoutClass::line_break;
  if (is_hspace(c)) return LayoutClass::space;
  if (u_iscntrl(c) || c == 0xFEFF) return LayoutClass::drop;
  return LayoutClass::keep;
}

// The clean-up pass's state, shared by its three versions (ASCII bytes,
// NFKC UTF-8, UTF-16): horizontal space collapses to one ' ', lines are
// trimmed, and at most one blank line is kept between paragraphs.
class Layout {
 public:
  // Takes one character's class. For a character to keep, first hands the
  // separator it needs ('\n', "\n\n" or ' ') to put, and returns true.
  template <typename Put>
  bool keep(LayoutClass k, Put&& put) {
    switch (k) {
      case LayoutClass::line_break:
        pending_space_ = false;
        if (!at_start_) ++newlines_;
        return false;
      case LayoutClass::space:
        if (!at_start_ && newlines_ == 0) pending_space_ = true;
        return false;
      case LayoutClass::drop:
        return false;
      case LayoutClass::keep:
        break;
    }
    if (newlines_ > 0) {
      put('\n');
      if (newlines_ > 1) put('\n');
      newlines_ = 0;
    } else if (pending_space_) {
      put(' ');
    }
    pending_space_ = false;
    at_start_ = false;
    return true;
  }

 private:
  bool pending_space_ = false;
  int newlines_ = 0;  // pending line breaks not yet emitted
  bool at_start_ = true;
};

// Printable ASCII other than space: a character the clean-up pass always
// keeps as it is. Runs of them, with the single spaces between them (which
// the pass keeps too), are copied whole: most of a text is one such run per
// line.
bool is_plain_ascii(unsigned char c) { return c > 0x20 && c < 0x7F; }

// The end of the run that starts at i: plain bytes, and single spaces each
// followed by a plain byte. i itself when p[i] is not plain.
std::size_t plain_run_end(const unsigned char* p, std::size_t i, std::size_t n) {
  if (i >= n || !is_plain_ascii(p[i])) return i;
  while (i < n) {
    if (is_plain_ascii(p[i])) ++i;
    else if (p[i] == ' ' && i + 1 < n && is_plain_ascii(p[i + 1])) i += 2;
    else break;
  }
  return i;
}

// The clean-up pass over ASCII bytes, classes looked up in a table.
// ASCII text is already in NFKC form and has no ill-formed sequences, so for
// it this is the whole of normalize_text.
void clean_ascii(std::string_view in, std::string& out) {
  static const auto cls = [] {
    std::array<LayoutClass, 128> t{};
    for (UChar32 c = 0; c < 128; ++c) t[static_cast<std::size_t>(c)] = layout_class(c);
    return t;
  }();
  out.reserve(in.size());
  Layout layout;
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  auto put = [&](char sep) { out += sep; };
  for (std::size_t i = 0; i < n;) {
    if (const std::size_t e = plain_run_end(p, i, n); e > i) {
      layout.keep(LayoutClass::keep, put);  // the separator before the run, once
      out.append(in.data() + i, e - i);
      i = e;
      continue;
    }
    const unsigned char c = p[i++];
    if (c == '\r' && i < n && p[i] == '\n') ++i;
    if (layout.keep(cls[c], put)) out += static_cast<char>(c);
  }
}

// The clean-up pass over valid UTF-8 that is already in NFKC form, code
// point by code point, copying each kept code point's bytes (which is what
// converting it to UTF-16 and back gives for valid input); runs of plain
// ASCII are copied whole.
void clean_utf8(std::string_view in, std::string& out) {
  out.reserve(in.size());
  Layout layout;
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  const int32_t len = static_cast<int32_t>(in.size());
  auto put = [&](char sep) { out += sep; };
  for (int32_t i = 0; i < len;) {
    if (const auto e = static_cast<int32_t>(plain_run_end(p, static_cast<std::size_t>(i), in.size())); e > i) {
      layout.keep(LayoutClass::keep, put);
      out.append(in.data() + i, static_cast<std::size_t>(e - i));
      i = e;
      continue;
    }
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT_UNSAFE(p, i, c);
    if (c == '\r' && i < len && p[i] == '\n') ++i;
    if (layout.keep(layout_class(c), put)) out.append(in.data() + start, static_cast<std::size_t>(i - start));
  }
}

bool all_ascii(std::string_view s) {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t i = 0;
  // Eight bytes at a time: any high bit means non-ASCII.
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ull) return false;
  }
  for (; i < n; ++i)
    if (static_cast<unsigned char>(p[i]) >= 0x80) return false;
  return true;
}

}  // namespace

NormalizedText normalize_text(std::string_view raw) {
  NormalizedText result;
  if (all_ascii(raw)) {
    clean_ascii(raw, result.text);
    return result;
  }
  icu::UnicodeString u;
  if (count_invalid(raw) == 0) {
    UErrorCode st = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(st);
    if (U_SUCCESS(st) &&
        nfkc->isNormalizedUTF8(icu::StringPiece(raw.data(), static_cast<int32_t>(raw.size())), st) &&
        U_SUCCESS(st)) {
      clean_utf8(raw, result.text);
      return result;
    }
    u = icu::UnicodeString::fromUTF8(icu::StringPiece(raw.data(), static_cast<int32_t>(raw.size())));
  } else {
    u = decode_utf8(raw, result.invalid_utf8);
  }

  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_SUCCESS(status)) {
    int32_t done = nfkc->spanQuickCheckYes(u, status);
    if (U_SUCCESS(status) && done < u.length()) {
      icu::UnicodeString head(u, 0, done);
      icu::UnicodeString tail(u, done);
      nfkc->normalizeSecondAndAppend(head, tail, status);
      if (U_SUCCESS(status)) u = std::move(head);
    }
  }

  // Clean-up pass: CRLF/CR -> LF, drop controls, collapse horizontal space,
  // trim each line, keep at most one blank line between paragraphs.
  icu::UnicodeString out;
  const int32_t len = u.length();
  Layout layout;
  for (int32_t i = 0; i < len;) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (c == '\r' && i < len && u.charAt(i) == '\n') ++i;
    if (layout.keep(layout_class(c), [&](char sep) { out.append(static_cast<char16_t>(sep)); })) out.append(c);
  }
  out.toUTF8String(result.text);
  return result;
}

std::string fold_case(std::string_view text) {
  if (all_ascii(text)) {
    std::string s(text);
    for (char& c : s)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  u.foldCase(U_FOLD_CASE_DEFAULT);
  std::string out;
  u.toUTF8String(out);
  return out;
}

}  // namespace cxmap
