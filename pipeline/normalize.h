// Text normalisation: the first step of the pipeline, from raw bytes of
// unknown quality to clean UTF-8 that every later step can trust.
//
// Invalid UTF-8 is replaced by U+FFFD and counted (never dropped silently),
// the text is put in NFKC form, control characters other than '\n' go,
// CRLF and lone CR become LF, runs of spaces and tabs become one space, and
// lines and the whole text are trimmed. This module never looks at meaning.
#pragma once

#include <string>
#include <string_view>

namespace cxmap {

struct NormalizedText {
  std::string text;      // NFKC UTF-8
  int invalid_utf8 = 0;  // ill-formed sequences replaced by U+FFFD
};

NormalizedText normalize_text(std::string_view raw);

// Full Unicode case folding (ICU, default mapping), UTF-8 in and out.
// ASCII input takes a fast path.
std::string fold_case(std::string_view text);

}  // namespace cxmap
