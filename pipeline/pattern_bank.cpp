// PatternBank: many RE2 patterns in one scan (see pattern_bank.h).
#include "pipeline/pattern_bank.h"

namespace cxmap {

namespace {
RE2::Options bank_options(std::int64_t max_mem) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_never_capture(true);  // only whether a pattern occurs is asked
  if (max_mem > 0) o.set_max_mem(max_mem);
  return o;
}
}  // namespace

PatternBank::PatternBank(std::int64_t max_mem)
    : options_(bank_options(0)),
      set_options_(bank_options(max_mem)),
      set_(std::make_unique<RE2::Set>(set_options_, RE2::UNANCHORED)) {}
PatternBank::PatternBank(PatternBank&&) noexcept = default;
PatternBank& PatternBank::operator=(PatternBank&&) noexcept = default;
PatternBank::~PatternBank() = default;

int PatternBank::add(std::string_view pattern, std::string* error) {
  auto re = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), options_);
  if (!re->ok()) {
    if (error) *error = re->error();
    return -1;
  }
  std::string set_error;
  if (set_->Add(re2::StringPiece(pattern.data(), pattern.size()), &set_error) < 0) {
    if (error) *error = set_error;
    return -1;
  }
  each_.push_back(std::move(re));
  return static_cast<int>(each_.size() - 1);
}

bool PatternBank::compile() {
  set_ok_ = !each_.empty() && set_->Compile();
  return set_ok_ || each_.empty();
}

void PatternBank::matches(std::string_view text, std::vector<char>& hit) const {
  hit.assign(each_.size(), 0);
  if (each_.empty()) return;
  const re2::StringPiece piece(text.data(), text.size());
  if (set_ok_) {
    thread_local std::vector<int> found;
    found.clear();
    RE2::Set::ErrorInfo info{};
    if (set_->Match(piece, &found, &info)) {
      for (int i : found) hit[static_cast<std::size_t>(i)] = 1;
      return;
    }
    if (info.kind == RE2::Set::kNoError) return;  // nothing matched
  }
  for (std::size_t i = 0; i < each_.size(); ++i) hit[i] = RE2::PartialMatch(piece, *each_[i]) ? 1 : 0;
}

}  // namespace cxmap
