// Focus: customer keys (connectors/customer_keys.h): emails, phone numbers,
// account ids and the alias table of a sources config.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "connectors/customer_keys.h"

using namespace cxmap;

TEST_CASE("customer keys are normalised", "[connector][customers]") {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"Maria.Lopez@Example.COM", "maria.lopez@example.com"},
      {"Maria Lopez <Maria.Lopez@example.com>", "maria.lopez@example.com"},
      {" +44 7700 900123 ", "+447700900123"},
      {"+44 (0)7700 900123", "+447700900123"},
      {"0044 7700 900123", "+447700900123"},
      {"07700 900123", "07700900123"},
      {"(555) 010-9999", "5550109999"},
      {"ACC-1234", "ACC-1234"},
      {"", ""},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(normalize_customer_key(c.in) == c.out);
  }
}

TEST_CASE("aliases map account ids and phones to one customer", "[connector][customers]") {
  namespace fs = std::filesystem;
  const std::string path = (fs::temp_directory_path() / "cxmap-aliases-test.json").string();
  {
    std::ofstream out(path);
    out << R"({"sources": [], "customers": {"aliases": {"ACC-1234": "Maria.Lopez@example.com",
              "+44 7700 900123": "ACC-1234"}}})";
  }
  auto a = load_customer_aliases(path);
  REQUIRE(a);
  CHECK(a->size() == 2);
  CHECK(a->resolve("ACC-1234") == "maria.lopez@example.com");
  CHECK(a->resolve("+447700900123") == "maria.lopez@example.com");  // followed through ACC-1234
  CHECK(a->resolve("MARIA.LOPEZ@example.com") == "maria.lopez@example.com");
  CHECK(a->resolve("someone@else.org") == "someone@else.org");
  {
    std::ofstream out(path);
    out << R"({"sources": [], "customers": {"aliases": {"a": "b", "b": "a"}}})";
  }
  auto loop = load_customer_aliases(path);
  REQUIRE_FALSE(loop);
  CHECK(loop.error().kind == ErrorKind::config);
  {
    std::ofstream out(path);
    out << R"({"sources": []})";
  }
  auto none = load_customer_aliases(path);
  REQUIRE(none);
  CHECK(none->empty());
  fs::remove(path);
}

TEST_CASE("privacy mode: customer keys are HMACs, still joined through aliases", "[connector][customers][privacy]") {
  // Reference: printf '%s' maria.lopez@example.com | openssl dgst -sha256 -hmac cxmap-test-key-0123456789
  CHECK(hmac_customer_key("cxmap-test-key-0123456789", "maria.lopez@example.com") ==
        "hmac:d6efe57d3ae4cf2a5d1410fd0351d6f4");
  CustomerAliases keys;
  REQUIRE(keys.add("ACC-1234", "maria.lopez@example.com"));
  keys.set_hmac_key("cxmap-test-key-0123456789");
  CHECK(keys.pseudonymised());
  const std::string expected = "hmac:d6efe57d3ae4cf2a5d1410fd0351d6f4";
  CHECK(keys.resolve("Maria.Lopez@Example.com") == expected);  // normalised first
  CHECK(keys.resolve("ACC-1234") == expected);                 // alias, then HMAC
  CHECK(keys.resolve("") == "");                               // unknown stays unknown
  CHECK(hmac_customer_key("another-key-0123456789", "maria.lopez@example.com") != expected);
}

TEST_CASE("privacy mode: the HMAC key comes from the environment or a 0600 file, never silently absent",
          "[connector][customers][privacy]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("cxmap-hmac-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  const std::string env_config = write("env.json", R"({"sources": [], "customers": {"hmac_key_env": "CXMAP_TEST_HMAC"}})");
  ::unsetenv("CXMAP_TEST_HMAC");
  auto unset = load_customer_aliases(env_config);
  REQUIRE_FALSE(unset);
  CHECK(unset.error().message.find("CXMAP_TEST_HMAC is unset or empty") != std::string::npos);
  ::setenv("CXMAP_TEST_HMAC", "cxmap-test-key-0123456789", 1);
  auto from_env = load_customer_aliases(env_config);
  REQUIRE(from_env);
  CHECK(from_env->resolve("maria.lopez@example.com") == "hmac:d6efe57d3ae4cf2a5d1410fd0351d6f4");
  ::unsetenv("CXMAP_TEST_HMAC");

  const std::string key_file = write("key", "cxmap-test-key-0123456789\n");
  const std::string file_config = write("file.json", R"({"sources": [], "customers": {"hmac_key_file": "key"}})");
  fs::permissions(key_file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  auto readable = load_customer_aliases(file_config);
  REQUIRE_FALSE(readable);
  CHECK(readable.error().message.find("readable by group or others") != std::string::npos);
  fs::permissions(key_file, fs::perms::owner_read | fs::perms::owner_write);
  auto from_file = load_customer_aliases(file_config);
  REQUIRE(from_file);
  CHECK(from_file->resolve("maria.lopez@example.com") == "hmac:d6efe57d3ae4cf2a5d1410fd0351d6f4");
  fs::remove_all(dir);
}
