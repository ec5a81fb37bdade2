// The subcommand table: each cmd_<name>.cpp registers one subcommand on the
// root CLI11 app. A command's callback stores its exit code in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

#include "app/context.h"

namespace cxmap {

struct CommandEnv {
  GlobalOptions& options;
  int& exit_code;
};

using CommandSetup = void (*)(CLI::App& root, CommandEnv env);

struct CommandEntry {
  const char* name;
  CommandSetup setup;
};

void setup_ingest(CLI::App& root, CommandEnv env);
void setup_search(CLI::App& root, CommandEnv env);
void setup_show(CLI::App& root, CommandEnv env);
void setup_export(CLI::App& root, CommandEnv env);
void setup_summary(CLI::App& root, CommandEnv env);
void setup_stats(CLI::App& root, CommandEnv env);
void setup_tag(CLI::App& root, CommandEnv env);
void setup_explain(CLI::App& root, CommandEnv env);
void setup_reindex(CLI::App& root, CommandEnv env);
void setup_journey(CLI::App& root, CommandEnv env);
void setup_verify(CLI::App& root, CommandEnv env);
void setup_schedule(CLI::App& root, CommandEnv env);
void setup_forget(CLI::App& root, CommandEnv env);
void setup_map(CLI::App& root, CommandEnv env);
void setup_serve(CLI::App& root, CommandEnv env);

// --batch, --jobs and --shards, shared by the commands that ingest.
void add_ingest_tuning_options(CLI::App& cmd, int& batch, int& jobs, int& shards);

inline constexpr CommandEntry kCommands[] = {
    {"ingest", setup_ingest}, {"search", setup_search},   {"show", setup_show},
    {"export", setup_export}, {"summary", setup_summary}, {"stats", setup_stats},
    {"tag", setup_tag},       {"reindex", setup_reindex}, {"journey", setup_journey},
    {"explain", setup_explain}, {"verify", setup_verify},   {"schedule", setup_schedule},
    {"forget", setup_forget},
    {"map", setup_map},
    {"serve", setup_serve},
};

}  // namespace cxmap
