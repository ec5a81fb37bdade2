// Runs the real cxmap binary for end-to-end tests: arguments, optional
// standard input, captured stdout/stderr and the exit code.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <Poco/JSON/Parser.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace cxmap::testing {

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs CXMAP_BINARY with args; stdin_text (if any) is fed on standard input.
inline RunResult run_cxmap(const std::vector<std::string>& args, const std::string& stdin_text = "") {
  namespace fs = std::filesystem;
  std::string tmpl = (fs::temp_directory_path() / "cxmap-run-XXXXXX").string();
  std::string dir = ::mkdtemp(tmpl.data());
  std::string cmd = shell_quote(CXMAP_BINARY);
  for (const auto& a : args) {
    cmd += ' ';
    cmd += shell_quote(a);
  }
  {
    std::ofstream in(dir + "/in", std::ios::binary);
    in << stdin_text;
  }
  cmd += " <" + dir + "/in >" + dir + "/out 2>" + dir + "/err";
  int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir + "/out");
  r.err = slurp(dir + "/err");
  fs::remove_all(dir);
  return r;
}

inline Poco::JSON::Object::Ptr parse_object(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace cxmap::testing
