// Graceful stop on SIGTERM and SIGINT for the long-running commands (ingest,
// schedule): the first signal sets a flag that the ingest job polls between
// records, so the current batch is committed with its cursor and the process
// exits cleanly; a second signal kills at once (the store is crash-safe).
#pragma once

namespace cxmap {

// Installs the handlers; call once, before the work starts.
void install_stop_handlers();

// True once SIGTERM or SIGINT has arrived.
bool stop_signal_received();

// The signal that asked for the stop (0 when none).
int stop_signal_number();

}  // namespace cxmap
