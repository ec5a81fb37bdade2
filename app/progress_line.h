// A one-line progress indicator on stderr for long ingests: shown only when
// stderr is a terminal (never in logs or pipes), redrawn at most five times
// a second, cleared before any other line is printed.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "db/store.h"

namespace cxmap {

class ProgressLine {
 public:
  explicit ProgressLine(std::string label = "") : enabled_(::isatty(STDERR_FILENO) != 0), label_(std::move(label)) {}
  void update(const IngestCounts& c) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    std::fprintf(stderr, "\r  %sread %lld  ingested %lld  duplicate %lld  quarantined %lld  events %lld",
                 label_.c_str(), static_cast<long long>(c.read), static_cast<long long>(c.ingested),
                 static_cast<long long>(c.duplicate), static_cast<long long>(c.quarantined),
                 static_cast<long long>(c.events));
    drawn_ = true;
  }
  void clear() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
    drawn_ = false;
  }

 private:
  bool enabled_;
  std::string label_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace cxmap
