// Focus: a configured "root" keeps every read inside it. A symlink planted
// in a feedback folder, or a source path that resolves elsewhere, must not
// make cxmap read (and then store and index) a file outside the root.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/connector/collect_sink.h"

using namespace cxmap;
using namespace cxmap::test;
namespace fs = std::filesystem;

namespace {

std::string message(const std::string& id) {
  std::string m = "From: Maria <maria@example.com>\r\nSubject: Refund\r\nMessage-ID: <";
  m += id;
  m += "@example.com>\r\nDate: Mon, 07 Sep 2026 10:00:00 +0000\r\n\r\nI am still waiting for my refund.\r\n";
  return m;
}

}  // namespace

TEST_CASE("root: files that resolve outside the root are quarantined, the rest is read", "[connector]") {
  TempDir dir;
  dir.write("root/mail/inside.eml", message("inside"));
  const std::string secret = dir.write("elsewhere/secret.eml", message("secret"));
  fs::create_symlink(secret, dir.path / "root/mail/planted.eml");
  // A symlink that stays inside the root is fine.
  fs::create_directories(dir.path / "root/archive");
  const std::string archived = dir.write("root/archive/old.eml", message("old"));
  fs::create_symlink(archived, dir.path / "root/mail/old.eml");
  auto config = dir.write("root/cxmap.json", R"({"root": ".", "sources": [
    {"name": "mail", "kind": "eml", "path": "mail"}]})");
  auto specs = load_sources_config(config);
  REQUIRE(specs);
  REQUIRE(specs->size() == 1);
  CHECK((*specs)[0].root == fs::canonical(dir.path / "root").string());
  CollectSink sink = pull_all((*specs)[0]);
  REQUIRE(sink.good.size() == 2);
  std::vector<std::string> ids{sink.good[0].external_id, sink.good[1].external_id};
  std::sort(ids.begin(), ids.end());
  CHECK(ids[0].find("inside") != std::string::npos);
  CHECK(ids[1].find("old") != std::string::npos);
  REQUIRE(sink.bad.size() == 1);
  CHECK(sink.bad[0].locator.find("planted.eml") != std::string::npos);
  CHECK(sink.bad[0].reason.find("outside the configured root") != std::string::npos);
  CHECK(sink.bad[0].reason.find(fs::canonical(secret).string()) != std::string::npos);
  CHECK(sink.bad[0].raw.empty());  // the outside file's bytes were never read
}

TEST_CASE("root: a source path that resolves outside the root is a config error", "[connector]") {
  TempDir dir;
  const std::string outside = dir.write("elsewhere/support.mbox", "From x\n");
  fs::create_directories(dir.path / "root");
  fs::create_symlink(outside, dir.path / "root/support.mbox");
  auto config = dir.write("root/cxmap.json", R"({"root": ".", "sources": [
    {"name": "mbox", "kind": "mbox", "path": "support.mbox"}]})");
  auto specs = load_sources_config(config);
  REQUIRE_FALSE(specs);
  CHECK(specs.error().kind == ErrorKind::config);
  CHECK(specs.error().message.find("outside the root") != std::string::npos);
  CHECK(specs.error().message.find("sources[0] ('mbox')") != std::string::npos);

  auto dotdot = dir.write("root/other.json", R"({"root": ".", "sources": [
    {"name": "up", "kind": "mbox", "path": "../elsewhere/support.mbox"}]})");
  CHECK_FALSE(load_sources_config(dotdot));
  auto no_root = dir.write("root/none.json", R"({"root": "missing", "sources": []})");
  auto r = load_sources_config(no_root);
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("is not a folder") != std::string::npos);
}

TEST_CASE("root: without a root, symlinks are followed as before", "[connector]") {
  TempDir dir;
  const std::string secret = dir.write("elsewhere/secret.eml", message("secret"));
  fs::create_directories(dir.path / "mail");
  fs::create_symlink(secret, dir.path / "mail/linked.eml");
  auto config = dir.write("cxmap.json", R"({"sources": [{"name": "mail", "kind": "eml", "path": "mail"}]})");
  auto specs = load_sources_config(config);
  REQUIRE(specs);
  CHECK((*specs)[0].root.empty());
  CHECK(pull_all((*specs)[0]).good.size() == 1);
}
