// The connector factories behind open_source(), one per kind, and the file
// helpers they share. Internal to connectors/.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/source.h"

namespace cxmap {

std::unique_ptr<Source> make_mbox_source(const SourceSpec& spec);
std::unique_ptr<Source> make_maildir_source(const SourceSpec& spec);
std::unique_ptr<Source> make_eml_source(const SourceSpec& spec);
std::unique_ptr<Source> make_pop3_source(const SourceSpec& spec);
std::unique_ptr<Source> make_imap_source(const SourceSpec& spec);
std::unique_ptr<Source> make_chat_json_source(const SourceSpec& spec);
std::unique_ptr<Source> make_chat_jsonl_source(const SourceSpec& spec);
std::unique_ptr<Source> make_chat_text_source(const SourceSpec& spec);
// A .txt file with a "[time] Name: text" line in its first 200 lines.
bool looks_like_chat_text(const std::string& path);
std::unique_ptr<Source> make_chat_api_source(const SourceSpec& spec);
std::unique_ptr<Source> make_survey_csv_source(const SourceSpec& spec);

using SourceFactory = std::unique_ptr<Source> (*)(const SourceSpec&);

// One row per kind: the single table open_source() and the config reader
// consult, so adding a connector is one line here plus its factory.
struct SourceKind {
  const char* name;
  SourceFactory make;
  bool needs_path;  // file kinds; server and API kinds take settings instead
};

// The kinds, in the order --help lists them; nullptr when `name` is unknown.
const SourceKind* find_source_kind(const std::string& name);

// Regular files directly in `dir` whose name ends with `ext` (case-insensitive;
// empty = all), hidden files skipped, sorted by name. Error if dir is unreadable.
Result<std::vector<std::string>> list_files(const std::string& dir, const std::string& ext);

// The files a path names: the path itself when it is a regular file, else the
// files of list_files(path, ext) when it is a folder; an input error when it
// is neither.
Result<std::vector<std::string>> file_or_folder_files(const std::string& path, const std::string& ext);

// When spec.root is set: the paths that resolve (symlinks followed) inside
// it. Each one that escapes is quarantined with the reason "outside the
// configured root ...", so a symlink planted in a feedback folder cannot make
// cxmap read, store and index a file elsewhere on the machine.
std::vector<std::string> keep_inside_root(const SourceSpec& spec, std::vector<std::string> paths,
                                          RecordSink& sink);

// The canonical form of `path` when it resolves outside `root` (both
// resolved), else nullopt. A path that cannot be resolved is not outside: it
// fails when it is opened, with its own error.
std::optional<std::string> resolves_outside(const std::string& root, const std::string& path);

// Reads a whole file (for the small per-file formats: .eml, Maildir, chat JSON).
Result<std::string> read_file(const std::string& path);

}  // namespace cxmap
