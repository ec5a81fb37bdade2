// cxmap serve: the HTTP API and web UI over the store (server/), read only.
// This file only turns flags into a ServerConfig, runs the server until
// SIGTERM or SIGINT, and stops it cleanly.
#include <pthread.h>

#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "app/commands.h"
#include "app/stop_signal.h"
#include "connectors/customer_keys.h"
#include "db/store.h"
#include "pipeline/emotion.h"
#include "server/http_server.h"
#include "server/security.h"

namespace cxmap {

namespace {

struct ServeArgs {
  std::string bind = "127.0.0.1";
  int port = 8080;
  std::string token_env, token_file, web_dir, cors_origin;
  int threads = 8;
  int max_queued = 64;
  bool no_result_cache = false;
  double refresh = 1;
  double max_stale = 30;
};

Result<std::string> load_token(const ServeArgs& args) {
  if (!args.token_env.empty() && !args.token_file.empty())
    return make_error(ErrorKind::usage, "give --token-env or --token-file, not both");
  if (!args.token_env.empty()) return token_from_env(args.token_env);
  if (!args.token_file.empty()) return token_from_file(args.token_file);
  return std::string();
}

// Starts the server with SIGTERM and SIGINT blocked, so every Poco thread
// (and each thread they start later) inherits the block and only this
// thread's handler sees the signal.
Result<std::unique_ptr<HttpServer>> start_without_signals(ServerConfig config) {
  sigset_t stop, old;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, &old);
  auto server = HttpServer::start(std::move(config));
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return server;
}

int run(const ServeArgs& args, const GlobalOptions& options) {
  auto token = load_token(args);
  if (!token) return fail(token.error());
  if (auto s = check_bind(args.bind, !token->empty()); !s) return fail(s.error());
  auto resources = load_pipeline_resources(options);
  if (!resources) return fail(resources.error());
  // Fail now on a missing or newer store rather than answer 503 forever.
  if (auto store = Store::open(options.data_dir, OpenMode::read_only); !store) return fail(store.error());

  ServerConfig config;
  config.bind = args.bind;
  config.port = args.port;
  config.data_dir = options.data_dir;
  config.web_dir = args.web_dir;
  config.token = *token;
  config.cors_origin = args.cors_origin;
  config.stage_order = (*resources)->journey.stage_names();
  for (const StageDef& s : (*resources)->journey.stages) config.stage_descriptions.push_back(s.description);
  config.emotions = emotion_labels();
  config.customer_key = [](std::string_view raw) { return normalize_customer_key(raw); };
  config.limits.max_threads = args.threads;
  config.limits.max_queued = args.max_queued;
  config.cache_results = !args.no_result_cache;
  config.refresh_seconds = args.refresh;
  config.max_stale_seconds = args.max_stale;

  install_stop_handlers();
  auto server = start_without_signals(std::move(config));
  if (!server) return fail(server.error());
  std::cout << "cxmap serve: listening on " << (*server)->url()
            << (token->empty() ? "" : " (API requests need the bearer token)") << std::endl;
  while (!stop_signal_received()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  (*server)->stop();
  std::cout << "cxmap serve: stopped by signal " << stop_signal_number() << std::endl;
  return 0;
}

}  // namespace

void setup_serve(CLI::App& root, CommandEnv env) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = root.add_subcommand(
      "serve",
      "Serve the JSON API (/api/search, /api/feedback/ID, /api/journey/CUSTOMER, /api/export,\n"
      "/api/map, /api/stats, /api/health) and the web UI over the store, read only. Binds to 127.0.0.1;\n"
      "any other address needs a bearer token (--token-env or --token-file).");
  cmd->add_option("--bind", args->bind, "IP address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", args->port, "TCP port (default 8080; 0 picks a free one, printed on start)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--token-env", args->token_env,
                  "Require 'Authorization: Bearer <token>' on /api/, the token read from this environment variable");
  cmd->add_option("--token-file", args->token_file,
                  "Same, the token read from this file (its first line); the file must be mode 0600 or stricter");
  cmd->add_option("--web-dir", args->web_dir, "Folder of the web UI's static files (default: the built-in one)");
  cmd->add_option("--cors-origin", args->cors_origin,
                  "Allow this one browser origin (e.g. https://cx.example.com) to call the API; no CORS otherwise");
  cmd->add_option("--threads", args->threads, "Worker threads (default 8)")->check(CLI::Range(1, 256));
  cmd->add_flag("--no-result-cache", args->no_result_cache,
                "Search every request afresh instead of keeping recent answers per index snapshot");
  cmd->add_option("--refresh", args->refresh,
                  "While the index changes, look for a newer snapshot every SECONDS, rewarm the result cache\n"
                  "on it with the recent searches, then serve it (default 1; 0 serves every commit at once, cold)")
      ->check(CLI::Range(0.0, 3600.0));
  cmd->add_option("--max-stale", args->max_stale,
                  "Answers trail the index by at most SECONDS: past it a newer snapshot is served even if not\n"
                  "yet warm (default 30; 0 as --refresh 0). A forget or a rebuilt index is always served at once")
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--max-queued", args->max_queued, "Connections waiting for a thread before new ones are dropped (default 64)")
      ->check(CLI::Range(1, 100000));
  cmd->footer("Stops cleanly on SIGTERM or SIGINT (exit 0). Exit codes: 2 usage or no store, 3 config\n"
              "(bad token file, non-loopback bind without a token, port in use).");
  cmd->callback([args, env] { env.exit_code = run(*args, env.options); });
}

}  // namespace cxmap
