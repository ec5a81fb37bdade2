// Directory listing and whole-file reads shared by the file connectors.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "connectors/source_kinds.h"

namespace cxmap {

namespace fs = std::filesystem;

Result<std::vector<std::string>> list_files(const std::string& dir, const std::string& ext) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return make_error(ErrorKind::input, "cannot read folder " + dir + ": " + ec.message());
  std::vector<std::string> names;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return make_error(ErrorKind::input, "cannot read folder " + dir + ": " + ec.message());
    std::error_code fec;
    if (!it->is_regular_file(fec)) continue;
    std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (!ext.empty()) {
      if (name.size() < ext.size()) continue;
      std::string tail = name.substr(name.size() - ext.size());
      std::transform(tail.begin(), tail.end(), tail.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (tail != ext) continue;
    }
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  std::vector<std::string> paths;
  paths.reserve(names.size());
  for (const auto& n : names) paths.push_back((fs::path(dir) / n).string());
  return paths;
}

Result<std::vector<std::string>> file_or_folder_files(const std::string& path, const std::string& ext) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return list_files(path, ext);
  if (fs::is_regular_file(path, ec)) return std::vector<std::string>{path};
  return make_error(ErrorKind::input, "cannot open " + path);
}

std::optional<std::string> resolves_outside(const std::string& root, const std::string& path) {
  std::error_code ec;
  const fs::path real = fs::canonical(path, ec);
  if (ec) return std::nullopt;
  const fs::path rel = real.lexically_relative(fs::path(root));
  if (!rel.empty() && *rel.begin() != ".." && rel.is_relative()) return std::nullopt;
  return real.string();
}

std::vector<std::string> keep_inside_root(const SourceSpec& spec, std::vector<std::string> paths,
                                          RecordSink& sink) {
  if (spec.root.empty()) return paths;
  std::vector<std::string> inside;
  inside.reserve(paths.size());
  for (std::string& p : paths) {
    if (auto real = resolves_outside(spec.root, p)) {
      sink.reject(Quarantined{spec.name, p, "outside the configured root " + spec.root + ": resolves to " + *real, ""});
      continue;
    }
    inside.push_back(std::move(p));
  }
  return inside;
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorKind::input, "cannot open " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return make_error(ErrorKind::input, "cannot read " + path);
  return buf.str();
}

}  // namespace cxmap
