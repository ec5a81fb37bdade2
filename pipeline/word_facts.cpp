// Word facts: each test runs once per distinct word (tokenize()'s cache),
// so plain loops are enough.
#include "pipeline/word_facts.h"

namespace cxmap {

bool has_nt(std::string_view w) {
  for (std::size_t i = 0; i + 3 <= w.size(); ++i)
    if (w[i] == 'n' && w[i + 1] == '\'' && w[i + 2] == 't') return true;
  return false;
}

// Words are told apart by length first and compared only against the units
// of that length (this also runs for durations, word by word).
double unit_minutes(std::string_view u) {
  switch (u.size()) {
    case 1: return u == "h" ? 60 : 0;
    case 2: return u == "mn" ? 1 : u == "hr" ? 60 : 0;
    case 3: return u == "min" ? 1 : u == "hrs" ? 60 : u == "day" ? 1440 : 0;
    case 4: return u == "mins" ? 1 : u == "hour" ? 60 : u == "days" ? 1440 : u == "week" ? 10080 : 0;
    case 5: return u == "hours" ? 60 : u == "weeks" ? 10080 : u == "month" ? 43200 : 0;
    case 6: return u == "minute" ? 1 : u == "months" ? 43200 : 0;
    case 7: return u == "minutes" ? 1 : 0;
    default: return 0;
  }
}

std::uint8_t word_facts(std::string_view text, std::string_view folded) {
  std::uint8_t facts = kFactsKnown;
  if (is_all_caps(text)) facts |= kFactAllCaps;
  if (has_nt(folded)) facts |= kFactHasNt;
  if (folded.find(' ') != std::string_view::npos) facts |= kFactHasSpace;
  std::string_view unit = folded;
  while (!unit.empty() && ((unit[0] >= '0' && unit[0] <= '9') || unit[0] == '.')) unit.remove_prefix(1);
  if (!unit.empty() && unit_minutes(unit) > 0) facts |= kFactTimeUnit;
  return facts;
}

}  // namespace cxmap
