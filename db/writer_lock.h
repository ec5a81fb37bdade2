// The writer lock of a data dir: one process at a time may change the store
// and the index (ingest, schedule, reindex, forget); readers never take it.
//
// It is an flock() on DATA/lock, so the kernel drops it when the process
// dies, even by SIGKILL: a killed ingest never leaves a stale lock behind.
#pragma once

#include <string>

#include "pipeline/result.h"

namespace cxmap {

class WriterLock {
 public:
  // Takes the lock or fails at once (never waits) with a busy error naming
  // the data dir. Creates the data dir when missing.
  static Result<WriterLock> acquire(const std::string& data_dir);

  WriterLock(WriterLock&& other) noexcept;
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;
  WriterLock& operator=(WriterLock&&) = delete;
  ~WriterLock();

 private:
  explicit WriterLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace cxmap
