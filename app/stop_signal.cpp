// The stop flag behind install_stop_handlers(): a sig_atomic_t written only
// by the handler.
#include "app/stop_signal.h"

#include <csignal>

namespace cxmap {

namespace {

volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void on_stop_signal(int sig) {
  if (g_stop_signal != 0) {
    // Second signal: the user means it. Restore the default and re-raise.
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  g_stop_signal = sig;
}

}  // namespace

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a sleep or read wakes up and sees the flag
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

bool stop_signal_received() { return g_stop_signal != 0; }

int stop_signal_number() { return g_stop_signal; }

}  // namespace cxmap
