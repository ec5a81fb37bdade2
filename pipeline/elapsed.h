// Elapsed time on the steady clock, in seconds: the one reading behind the
// stage timings of an ingest (`--timings`), the index follower's busy time
// and the server's warm rounds. Not the wall clock: a clock change never
// shows up as work.
#pragma once

#include <chrono>

namespace cxmap {

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace cxmap
