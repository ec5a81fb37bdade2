// The web UI's files, served from one folder that a URL can never leave.
//
// A URL path is refused (403) when, decoded, it holds a ".." or "." segment,
// an empty segment ("//etc/passwd"), a hidden name (".git"), a backslash or
// a NUL; what remains is joined to the folder, canonicalised (symlinks
// resolved) and must still lie inside the canonical folder, so a symlink
// pointing outside is refused too. Only regular files are served; "/" and
// paths ending in "/" mean index.html.
#pragma once

#include <filesystem>
#include <string>

#include "server/api.h"

namespace cxmap {

struct StaticLookup {
  int status = 404;               // 200 when found, else 403 or 404
  std::filesystem::path file;     // canonical, when status is 200
};

// web_root must already be canonical (see canonical_web_root).
StaticLookup resolve_static(const std::filesystem::path& web_root, const std::string& url_path);

// The canonical form of the web dir, or a config error naming it.
Result<std::filesystem::path> canonical_web_root(const std::string& web_dir);

// The file's contents with its content type, or a JSON error reply.
Reply static_reply(const std::filesystem::path& web_root, const std::string& url_path);

// "text/html; charset=utf-8" for index.html, by extension; octet-stream otherwise.
std::string content_type_for(const std::filesystem::path& file);

}  // namespace cxmap
