// The lexicon importer: converts standard valence lexicon formats (VADER's
// vader_lexicon.txt, AFINN word<TAB>score) into the project's valence TSV
// (term<TAB>valence, '#' comments). Used by cxmap-import-lexicon at set-up;
// third-party lexicons are converted in the build tree, never committed.
#pragma once

#include <string>
#include <string_view>

#include "pipeline/result.h"

namespace cxmap {

enum class LexiconFormat { vader, afinn };

struct ImportedLexicon {
  std::string tsv;      // our valence TSV
  std::size_t entries = 0;
};

// Parses "vader" / "afinn".
Result<LexiconFormat> parse_lexicon_format(std::string_view name);

// origin names the input in errors and in the header comment.
Result<ImportedLexicon> import_lexicon(std::string_view text, LexiconFormat format, std::string_view origin);

}  // namespace cxmap
