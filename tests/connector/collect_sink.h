// Test helpers for connector tests: a sink that keeps everything, fixture
// paths and temp folders.
#pragma once

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "connectors/source.h"

namespace cxmap::test {

struct CollectSink : RecordSink {
  std::vector<RawFeedback> good;
  std::vector<Quarantined> bad;
  void feedback(RawFeedback&& r) override { good.push_back(std::move(r)); }
  void reject(Quarantined&& q) override { bad.push_back(std::move(q)); }
};

inline std::string fixture(const std::string& rel) {
  return std::string(CXMAP_TEST_DATA) + "/connector/" + rel;
}

// Pulls every record of a spec'd source; fails the test if pull() fails.
inline CollectSink pull_all(const SourceSpec& spec) {
  CollectSink sink;
  auto src = open_source(spec);
  if (!src) throw std::runtime_error("open_source: " + src.error().message);
  auto st = (*src)->pull(sink);
  if (!st) throw std::runtime_error("pull: " + st.error().message);
  return sink;
}

inline SourceSpec spec_of(const std::string& name, const std::string& kind, const std::string& path) {
  SourceSpec s;
  s.name = name;
  s.kind = kind;
  s.path = path;
  return s;
}

// A fresh temp folder removed at scope end.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() / ("cxmap-conn-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& bytes) const {
    auto p = path / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
};

inline const RawFeedback* find_by_id(const CollectSink& s, const std::string& id) {
  for (const auto& r : s.good)
    if (r.external_id == id) return &r;
  return nullptr;
}

}  // namespace cxmap::test
