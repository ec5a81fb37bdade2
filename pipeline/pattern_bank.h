// PatternBank: many RE2 patterns found in one pass over a text.
//
// The pain-point detector and the journey classifier ask, for every
// sentence, which of some twenty regular expressions occur in it. Asked one
// by one (RE2::PartialMatch), that was a quarter of tag_text's instructions.
// A bank compiles the patterns into one RE2::Set, whose DFA reports every
// pattern that matches anywhere in a single scan. When the set's DFA runs out
// of memory on some text (RE2 bounds it), that text is matched pattern by
// pattern instead, so the answer never depends on the memory budget.
// Compiled once, then read concurrently (matches() is const).
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cxmap {

class PatternBank {
 public:
  // max_mem: RE2's memory budget for the set (the default is RE2's own);
  // tests lower it to reach the pattern-by-pattern path.
  explicit PatternBank(std::int64_t max_mem = 0);
  PatternBank(PatternBank&&) noexcept;
  PatternBank& operator=(PatternBank&&) noexcept;
  ~PatternBank();

  // Adds a pattern and returns its index (0, 1, ...), or -1 with the RE2
  // error in *error. Not after compile().
  int add(std::string_view pattern, std::string* error);
  // Builds the set; false when RE2 cannot (the bank then matches pattern by
  // pattern, with the same answers).
  bool compile();

  // hit[i] = 1 when pattern i occurs somewhere in text, else 0; hit is
  // resized to size().
  void matches(std::string_view text, std::vector<char>& hit) const;
  std::size_t size() const { return each_.size(); }
  // Whether compile() built the set (else every text is matched pattern by
  // pattern).
  bool has_set() const { return set_ok_; }

 private:
  RE2::Options options_;      // for each pattern alone
  RE2::Options set_options_;  // the same with the set's memory budget
  std::unique_ptr<RE2::Set> set_;
  bool set_ok_ = false;
  std::vector<std::unique_ptr<RE2>> each_;
};

}  // namespace cxmap
