// Survey CSV decoding with ICU's ucnv; see csv_encoding.h. The one-shot
// conversions reuse email/charset.h; the streaming converter below needs
// ucnv_convertEx with a pivot buffer kept between calls, which a one-shot
// wrapper cannot give.
#include "connectors/survey/csv_encoding.h"

#include <unicode/ucnv.h>

#include <cctype>
#include <vector>

#include "connectors/email/charset.h"

namespace cxmap::survey {

namespace {

std::string lower_trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out = s.substr(b, e - b);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

ConverterPtr open_converter(const std::string& name) {
  UErrorCode st = U_ZERO_ERROR;
  UConverter* c = ucnv_open(name.c_str(), &st);
  if (U_FAILURE(st)) {
    if (c) ucnv_close(c);
    return nullptr;
  }
  return ConverterPtr(c);
}

// True when the converter maps each byte of printable ASCII, TAB, CR and LF
// to itself and has no shift states: then CSV can be parsed on the raw bytes
// and only the fields converted.
bool ascii_compatible(UConverter* c) {
  switch (ucnv_getType(c)) {
    case UCNV_SBCS:
    case UCNV_MBCS:
    case UCNV_LATIN_1:
    case UCNV_UTF8:
    case UCNV_US_ASCII:
    case UCNV_CESU8:
      break;
    default:
      return false;
  }
  if (ucnv_getMinCharSize(c) != 1) return false;
  std::string probe = "\t\n\r";
  for (char ch = 0x20; ch < 0x7F; ++ch) probe += ch;
  std::vector<UChar> u(probe.size() * 2 + 4);
  UErrorCode st = U_ZERO_ERROR;
  ucnv_resetToUnicode(c);
  int32_t n = ucnv_toUChars(c, u.data(), static_cast<int32_t>(u.size()), probe.data(),
                            static_cast<int32_t>(probe.size()), &st);
  ucnv_resetToUnicode(c);
  if (U_FAILURE(st) || n != static_cast<int32_t>(probe.size())) return false;
  for (std::size_t i = 0; i < probe.size(); ++i)
    if (u[i] != static_cast<UChar>(static_cast<unsigned char>(probe[i]))) return false;
  return true;
}

}  // namespace

Result<CsvEncoding> choose_encoding(std::string_view b, const std::string& configured) {
  CsvEncoding enc;
  auto byte = [&](std::size_t i) { return i < b.size() ? static_cast<unsigned char>(b[i]) : 0x100u; };
  auto bom = [&](const char* charset, std::size_t len) {
    enc.stream_charset = charset;
    enc.skip = len;
    enc.fallback.clear();
    enc.stream_note = std::string(charset) + " (byte-order mark)";
    return enc;
  };
  // UTF-32LE's mark starts like UTF-16LE's: test it first.
  if (byte(0) == 0xFF && byte(1) == 0xFE && byte(2) == 0 && byte(3) == 0) return bom("UTF-32LE", 4);
  if (byte(0) == 0 && byte(1) == 0 && byte(2) == 0xFE && byte(3) == 0xFF) return bom("UTF-32BE", 4);
  if (byte(0) == 0xFF && byte(1) == 0xFE) return bom("UTF-16LE", 2);
  if (byte(0) == 0xFE && byte(1) == 0xFF) return bom("UTF-16BE", 2);
  const bool utf8_bom = byte(0) == 0xEF && byte(1) == 0xBB && byte(2) == 0xBF;
  std::string label = lower_trim(configured);
  if (label.empty()) return enc;
  ConverterPtr c = open_converter(label);
  if (!c)
    return make_error(ErrorKind::config, "unknown encoding '" + configured +
                                             "' (expected a name ICU knows, " +
                                             "e.g. windows-1252, iso-8859-15, utf-16le, shift_jis)");
  if (utf8_bom) return enc;  // the mark says UTF-8 whatever the config says
  if (ucnv_getType(c.get()) == UCNV_UTF8) {
    enc.fallback.clear();
    return enc;
  }
  if (ascii_compatible(c.get())) {
    enc.fallback = label;
    return enc;
  }
  enc.stream_charset = label;
  enc.fallback.clear();
  enc.stream_note = label + " (configured)";
  return enc;
}

bool decode_field(std::string& field, const std::string& fallback) {
  if (fallback.empty() || email::is_valid_utf8(field)) return false;
  field = email::to_utf8(field, fallback);
  return true;
}

// --- Utf8Transcoder --------------------------------------------------------

struct Utf8Transcoder::Impl {
  std::istream& source;
  ConverterPtr from, to;
  std::streamoff start = 0;
  std::size_t window = 0, chunk = 0;
  std::vector<char> in;
  std::vector<UChar> pivot;
  UChar* pivot_source = nullptr;
  UChar* pivot_target = nullptr;
  std::string out;  // converted bytes; out[0] is output offset `base`
  std::uint64_t base = 0;
  bool reset = true;  // the next ucnv_convertEx call starts a stream
  bool done = false;  // input exhausted and flushed
  bool failed = false;

  explicit Impl(std::istream& s) : source(s) {}
};

Utf8Transcoder::Utf8Transcoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  set_area(0);
}

Utf8Transcoder::~Utf8Transcoder() = default;

Result<std::unique_ptr<Utf8Transcoder>> Utf8Transcoder::open(std::istream& source, const std::string& charset,
                                                             std::streamoff start, std::size_t window,
                                                             std::size_t chunk) {
  auto impl = std::make_unique<Impl>(source);
  impl->from = open_converter(charset);
  if (!impl->from) return make_error(ErrorKind::config, "unknown encoding '" + charset + "'");
  impl->to = open_converter("UTF-8");
  if (!impl->to) return make_error(ErrorKind::internal, "ICU has no UTF-8 converter");
  impl->start = start;
  impl->window = window == 0 ? 1 : window;
  impl->chunk = chunk == 0 ? 1 : chunk;
  impl->in.resize(impl->chunk);
  impl->pivot.resize(1024);
  impl->pivot_source = impl->pivot_target = impl->pivot.data();
  source.clear();
  source.seekg(start);
  if (!source) return make_error(ErrorKind::input, "cannot seek past the byte-order mark");
  return std::unique_ptr<Utf8Transcoder>(new Utf8Transcoder(std::move(impl)));
}

bool Utf8Transcoder::failed() const {
  return impl_->failed;
}

void Utf8Transcoder::set_area(std::size_t pos) {
  char* b = impl_->out.data();
  setg(b, b + pos, b + impl_->out.size());
}

bool Utf8Transcoder::fill() {
  Impl& m = *impl_;
  const std::size_t pos = static_cast<std::size_t>(gptr() - eback());
  const std::size_t before = m.out.size();
  while (m.out.size() == before && !m.done) {
    m.source.read(m.in.data(), static_cast<std::streamsize>(m.chunk));
    const std::size_t n = static_cast<std::size_t>(m.source.gcount());
    if (m.source.bad()) {
      m.failed = true;
      m.done = true;
      break;
    }
    const bool flush = n < m.chunk;  // short read: end of input
    const char* src = m.in.data();
    const char* src_end = src + n;
    for (;;) {
      const std::size_t old = m.out.size();
      m.out.resize(old + n * 4 + 64);
      char* tgt = m.out.data() + old;
      char* const tgt_end = m.out.data() + m.out.size();
      UErrorCode st = U_ZERO_ERROR;
      ucnv_convertEx(m.to.get(), m.from.get(), &tgt, tgt_end, &src, src_end, m.pivot.data(), &m.pivot_source,
                     &m.pivot_target, m.pivot.data() + m.pivot.size(), m.reset, flush, &st);
      m.reset = false;
      m.out.resize(static_cast<std::size_t>(tgt - m.out.data()));
      if (st == U_BUFFER_OVERFLOW_ERROR) continue;
      if (st == U_TRUNCATED_CHAR_FOUND) {
        m.out += "\xEF\xBF\xBD";  // a character cut off by the end of the file
      } else if (U_FAILURE(st)) {
        m.failed = true;
        m.done = true;
      }
      break;
    }
    if (flush) m.done = true;
  }
  set_area(pos);
  return m.out.size() > before;
}

Utf8Transcoder::int_type Utf8Transcoder::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  Impl& m = *impl_;
  // Everything before gptr has been read: keep only the last `window` bytes
  // of it for seeking back (erasing once it is twice that, so amortised).
  std::size_t pos = static_cast<std::size_t>(gptr() - eback());
  if (pos > 2 * m.window) {
    const std::size_t drop = pos - m.window;
    m.out.erase(0, drop);
    m.base += drop;
    pos -= drop;
    set_area(pos);
  }
  if (!fill()) return traits_type::eof();
  return traits_type::to_int_type(*gptr());
}

bool Utf8Transcoder::restart() {
  Impl& m = *impl_;
  m.source.clear();
  m.source.seekg(m.start);
  if (!m.source) {
    m.failed = true;
    return false;
  }
  ucnv_reset(m.from.get());
  ucnv_reset(m.to.get());
  m.pivot_source = m.pivot_target = m.pivot.data();
  m.reset = true;
  m.done = false;
  m.out.clear();
  m.base = 0;
  set_area(0);
  return true;
}

Utf8Transcoder::pos_type Utf8Transcoder::seek_to(std::uint64_t target) {
  Impl& m = *impl_;
  if (target < m.base && !restart()) return pos_type(off_type(-1));
  while (target > m.base + m.out.size()) {
    setg(eback(), egptr(), egptr());  // fill() appends after the read position
    if (!fill()) return pos_type(off_type(-1));
  }
  set_area(static_cast<std::size_t>(target - m.base));
  return pos_type(static_cast<off_type>(target));
}

Utf8Transcoder::pos_type Utf8Transcoder::seekoff(off_type off, std::ios_base::seekdir dir,
                                                 std::ios_base::openmode which) {
  if (!(which & std::ios_base::in)) return pos_type(off_type(-1));
  const auto here = static_cast<off_type>(impl_->base + static_cast<std::uint64_t>(gptr() - eback()));
  off_type target;
  if (dir == std::ios_base::cur)
    target = here + off;
  else if (dir == std::ios_base::beg)
    target = off;
  else
    return pos_type(off_type(-1));  // the end is unknown until reached
  if (target < 0) return pos_type(off_type(-1));
  if (off == 0 && dir == std::ios_base::cur) return pos_type(here);
  return seek_to(static_cast<std::uint64_t>(target));
}

Utf8Transcoder::pos_type Utf8Transcoder::seekpos(pos_type pos, std::ios_base::openmode which) {
  if (!(which & std::ios_base::in) || off_type(pos) < 0) return pos_type(off_type(-1));
  return seek_to(static_cast<std::uint64_t>(off_type(pos)));
}

}  // namespace cxmap::survey
