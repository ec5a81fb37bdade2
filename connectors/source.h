// Sources: where feedback comes from, and the one interface every connector
// implements.
//
// A connector reads bytes from one source (a file, a folder, later a server)
// and hands each record to a RecordSink as it goes, so memory stays bounded
// whatever the source's size. It does I/O and format parsing only, never
// tagging. A record it cannot parse is handed to the sink as Quarantined with
// a reason; pull() fails only when the source cannot be read at all.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pipeline/record.h"
#include "pipeline/result.h"

namespace cxmap {

// How survey CSV columns map to feedback fields (header names, exact match
// after trimming; empty means "not present").
struct CsvColumns {
  std::string id, date, customer, nps, csat, ces;
  std::vector<std::string> text;      // free-text columns: one Turn each
  std::vector<std::string> metadata;  // copied into RawFeedback::metadata
};

// One configured source. kind: one of source_kind_names(); file kinds need a
// path, server and API kinds read their settings from `settings`.
struct SourceSpec {
  std::string name;
  std::string kind;
  std::string path;  // absolute, or relative to the working directory
  CsvColumns columns;
  // The whole config entry as JSON text, for connectors with settings of
  // their own (host, folders, URL, field mapping...); "{}" when the source
  // was named on the command line.
  std::string settings = "{}";
  // The config's "root", canonical (symlinks resolved); empty when none is
  // configured. When set, every file a source reads must resolve inside it.
  std::string root;
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void feedback(RawFeedback&& record) = 0;
  virtual void reject(Quarantined&& record) = 0;
  // Every record handed over so far is covered by `cursor`: the next pull
  // may start after it. The ingest job saves it in the same transaction as
  // the batch holding those records, so a cursor never runs ahead of the
  // data it vouches for (a kill between the two loses neither).
  virtual void checkpoint(const std::string& cursor) { (void)cursor; }
  // True once the job has been asked to stop (SIGTERM to `cxmap schedule`):
  // a connector returns at its next record boundary, after a checkpoint.
  virtual bool stop_requested() const { return false; }
};

class Source {
 public:
  virtual ~Source() = default;
  virtual const SourceSpec& spec() const = 0;
  // Reads the records after `cursor` (the last one this source checkpointed,
  // empty = from the start) into the sink, in source order. Sources without
  // a cursor of their own read everything; the store's dedupe keeps the
  // rerun idempotent.
  virtual Status pull(RecordSink& sink, const std::string& cursor) = 0;
  Status pull(RecordSink& sink) { return pull(sink, std::string()); }
};

// The kinds open_source() knows, for error messages and --help.
std::string source_kind_names();

// Builds the connector for spec.kind; an unknown kind, or a missing path for
// a file kind, is a config error naming the source.
Result<std::unique_ptr<Source>> open_source(const SourceSpec& spec);

// Guesses the kind of a path given on the command line: a folder with
// cur/ and new/ is a Maildir; a folder of .json files is chat_json; a folder
// of .eml files is eml; a file starting with "From " is mbox; .eml is eml;
// .json is chat_json; .csv is survey_csv (columns guessed from the header).
// The source name is the path's base name.
Result<SourceSpec> detect_source(const std::string& path);

// Reads {"sources": [...]} from a JSON config file; relative paths are
// resolved against the config file's folder. Errors name the file and entry.
Result<std::vector<SourceSpec>> load_sources_config(const std::string& config_path);

}  // namespace cxmap
