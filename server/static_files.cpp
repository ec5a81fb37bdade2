// Static files: path checks, canonical containment, content types.
#include "server/static_files.h"

#include <fstream>
#include <sstream>

#include "server/router.h"
#include "server/server_config.h"

namespace cxmap {

namespace fs = std::filesystem;

namespace {

// Static assets are small; a bigger file is a mistake in the web dir.
constexpr std::uintmax_t kMaxStaticBytes = 16u << 20;

bool inside(const fs::path& root, const fs::path& file) {
  // Component-wise, so /srv/web2/x is not "inside" /srv/web.
  auto r = root.begin(), f = file.begin();
  for (; r != root.end(); ++r, ++f)
    if (f == file.end() || *r != *f) return false;
  return true;
}

}  // namespace

std::string default_web_dir() { return CXMAP_WEB_DIR; }

Result<fs::path> canonical_web_root(const std::string& web_dir) {
  std::error_code ec;
  fs::path root = fs::canonical(web_dir, ec);
  if (ec || !fs::is_directory(root, ec))
    return make_error(ErrorKind::config, "--web-dir: " + web_dir + " is not a readable folder");
  return root;
}

StaticLookup resolve_static(const fs::path& web_root, const std::string& url_path) {
  StaticLookup out;
  if (url_path.empty() || url_path[0] != '/' || url_path.find('\0') != std::string::npos ||
      url_path.find('\\') != std::string::npos) {
    out.status = 403;
    return out;
  }
  std::vector<std::string> segments = path_segments(url_path);
  if (segments.empty() || segments.back().empty()) {
    if (!segments.empty()) segments.pop_back();
    segments.push_back("index.html");
  }
  fs::path rel;
  for (const std::string& s : segments) {
    // ".", "..", hidden files and empty segments (an absolute path after a
    // join) never name a UI file.
    if (s.empty() || s[0] == '.') {
      out.status = 403;
      return out;
    }
    rel /= s;
  }
  std::error_code ec;
  fs::path file = fs::canonical(web_root / rel, ec);
  if (ec) return out;  // 404: nothing there
  if (!inside(web_root, file)) {
    out.status = 403;  // a symlink leading out of the web dir
    return out;
  }
  if (!fs::is_regular_file(file, ec)) return out;
  out.status = 200;
  out.file = file;
  return out;
}

std::string content_type_for(const fs::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

Reply static_reply(const fs::path& web_root, const std::string& url_path) {
  StaticLookup found = resolve_static(web_root, url_path);
  if (found.status == 403) return error_reply(403, "path not allowed");
  if (found.status != 200) return error_reply(404, "not found");
  std::error_code ec;
  const auto size = fs::file_size(found.file, ec);
  if (ec || size > kMaxStaticBytes) return error_reply(404, "not found");
  std::ifstream in(found.file, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  if (!in) return error_reply(404, "not found");
  Reply r;
  r.content_type = content_type_for(found.file);
  r.body = body.str();
  return r;
}

}  // namespace cxmap
