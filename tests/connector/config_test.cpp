// Focus: load_sources_config, open_source dispatch and detect_source.
#include <catch2/catch.hpp>

#include "tests/connector/collect_sink.h"

using namespace cxmap;
using namespace cxmap::test;

TEST_CASE("config: sources with relative paths and columns", "[connector]") {
  TempDir dir;
  auto path = dir.write("conf/cxmap.json", R"({"sources": [
    {"name": "support-mbox", "kind": "mbox", "path": "../mail/support.mbox"},
    {"name": "nps", "kind": "survey_csv", "path": "/abs/responses.csv",
     "columns": {"id": "Response ID", "date": "Submitted", "customer": "Email", "nps": "NPS",
                 "csat": "CSAT", "ces": "CES", "text": ["Comment", "Why"], "metadata": ["Plan"]}}
  ]})");
  auto specs = load_sources_config(path);
  REQUIRE(specs);
  REQUIRE(specs->size() == 2);
  CHECK((*specs)[0].name == "support-mbox");
  CHECK((*specs)[0].kind == "mbox");
  CHECK((*specs)[0].path == (dir.path / "mail/support.mbox").lexically_normal().string());
  const auto& c = (*specs)[1].columns;
  CHECK((*specs)[1].path == "/abs/responses.csv");
  CHECK(c.id == "Response ID");
  CHECK(c.date == "Submitted");
  CHECK(c.ces == "CES");
  CHECK(c.text == std::vector<std::string>{"Comment", "Why"});
  CHECK(c.metadata == std::vector<std::string>{"Plan"});
}

TEST_CASE("config: errors name the file and the entry", "[connector]") {
  TempDir dir;
  struct Case {
    const char* json;
    const char* expect;
  };
  const Case cases[] = {
      {R"({"sources": [{"name": "a", "kind": "fax", "path": "x"}]})", "sources[0] ('a'): unknown kind 'fax'"},
      {R"({"sources": [{"kind": "mbox", "path": "x"}]})", "sources[0]: missing \"name\""},
      {R"({"sources": [{"name": "a", "kind": "mbox"}]})", "sources[0] ('a'): missing \"path\""},
      {R"({"sources": [{"name": "a", "kind": "mbox", "path": "x"}, {"name": "a", "kind": "eml", "path": "y"}]})",
       "sources[1] ('a'): duplicate source name 'a'"},
      {R"({"nothing": 1})", "no \"sources\" array"},
      {R"({"sources": [)", ""},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    auto path = dir.write("c.json", c.json);
    auto specs = load_sources_config(path);
    REQUIRE_FALSE(specs);
    CHECK(specs.error().kind == ErrorKind::config);
    CHECK(specs.error().message.find(path) != std::string::npos);
    CHECK(specs.error().message.find(c.expect) != std::string::npos);
  }
  auto missing = load_sources_config((dir.path / "none.json").string());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind == ErrorKind::config);
}

TEST_CASE("open_source: unknown kind and missing path are config errors naming the source", "[connector]") {
  auto a = open_source(spec_of("s1", "fax", fixture("chat")));
  REQUIRE_FALSE(a);
  CHECK(a.error().kind == ErrorKind::config);
  CHECK(a.error().message.find("'s1'") != std::string::npos);
  auto b = open_source(spec_of("s2", "mbox", fixture("no/such.mbox")));
  REQUIRE_FALSE(b);
  CHECK(b.error().kind == ErrorKind::config);
  CHECK(b.error().message.find("'s2'") != std::string::npos);
  auto c = open_source(spec_of("s3", "mbox", ""));
  REQUIRE_FALSE(c);
  CHECK(c.error().kind == ErrorKind::config);
  auto d = open_source(spec_of("s4", "maildir", fixture("email/Maildir")));
  REQUIRE(d);
  CHECK((*d)->spec().name == "s4");
}

TEST_CASE("detect_source: kinds from folders, extensions and content", "[connector]") {
  struct Case {
    std::string path, kind, name;
  };
  TempDir dir;
  auto noext = dir.write("archive", "From a@b.c Mon Sep  1 00:00:00 2026\nFrom: a@b.c\n\nhi\n");
  dir.write("text.txt", "hello");
  const Case cases[] = {
      {fixture("email/Maildir"), "maildir", "Maildir"},
      {fixture("email/Maildir/"), "maildir", "Maildir"},
      {fixture("chat"), "chat_json", "chat"},
      {fixture("email/eml"), "eml", "eml"},
      {fixture("email/three.mbox"), "mbox", "three.mbox"},
      {noext, "mbox", "archive"},
      {fixture("email/eml/01_alternative.eml"), "eml", "01_alternative.eml"},
      {fixture("chat/single.json"), "chat_json", "single.json"},
      {fixture("survey/basic.csv"), "survey_csv", "basic.csv"},
  };
  for (const auto& c : cases) {
    INFO(c.path);
    auto s = detect_source(c.path);
    REQUIRE(s);
    CHECK(s->kind == c.kind);
    CHECK(s->name == c.name);
    CHECK(s->path == c.path);
  }
  auto csv = detect_source(fixture("survey/basic.csv"));
  REQUIRE(csv);
  CHECK(csv->columns.id == "Response ID");
  CHECK(csv->columns.date == "Submitted At");
  CHECK(csv->columns.customer == "Email");
  CHECK(csv->columns.nps == "NPS");
  CHECK(csv->columns.text == std::vector<std::string>{"Comment"});
  CHECK(csv->columns.metadata == std::vector<std::string>{"Plan"});
  CHECK_FALSE(detect_source((dir.path / "text.txt").string()));
  CHECK_FALSE(detect_source((dir.path / "missing").string()));
}

TEST_CASE("detected sources open and pull", "[connector]") {
  for (const char* rel : {"email/Maildir", "email/three.mbox", "chat", "survey/basic.csv"}) {
    INFO(rel);
    auto spec = detect_source(fixture(rel));
    REQUIRE(spec);
    auto s = pull_all(*spec);
    CHECK(s.good.size() >= 3);
  }
}

TEST_CASE("pull() never throws: a throwing sink becomes an internal error", "[connector]") {
  struct ThrowingSink : RecordSink {
    void feedback(RawFeedback&&) override { throw std::runtime_error("disk full"); }
    void reject(Quarantined&&) override {}
  } sink;
  auto src = open_source(spec_of("chat", "chat_json", fixture("chat/single.json")));
  REQUIRE(src);
  Status st = ok_status();
  REQUIRE_NOTHROW(st = (*src)->pull(sink));
  REQUIRE_FALSE(st);
  CHECK(st.error().kind == ErrorKind::internal);
  CHECK(st.error().message == "source 'chat': disk full");
}
