// Focus: customer keys (connectors/customer_keys.h): emails, phone numbers,
// account ids and the alias table of a sources config.
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
