// Focus: the chat file formats beside chat_json: JSON Lines (chat_jsonl, bad
// lines rejected with file:line), plain-text transcripts (chat_text: headers,
// continuation lines, the date rule, midnight, speakers), the shared "fields"
// mapping (also in chat_json), and detect_source for .jsonl and .txt.
#include <catch2/catch.hpp>

#include <chrono>

#include "tests/connector/collect_sink.h"

using namespace cxmap;
using namespace cxmap::test;

namespace {

using Meta = std::vector<std::pair<std::string, std::string>>;

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

SourceSpec with_settings(SourceSpec s, const std::string& settings) {
  s.settings = settings;
  return s;
}

}  // namespace

TEST_CASE("chat_jsonl: good lines become records, bad lines are rejects with file:line",
          "[connector][chat_formats]") {
  const std::string path = fixture("chat/jsonl/conversations.jsonl");
  auto s = pull_all(spec_of("lines", "chat_jsonl", path));
  REQUIRE(s.good.size() == 3);
  const RawFeedback& a = s.good[0];  // after a UTF-8 BOM
  CHECK(a.external_id == "J-1");
  CHECK(a.locator == path + ":1");
  CHECK(a.customer_key == "ana@example.com");
  CHECK(a.subject == "Refund");
  CHECK(a.received_at == "2026-09-03T10:00:00Z");
  REQUIRE(a.turns.size() == 2);
  CHECK(a.turns[0].speaker == Speaker::customer);
  CHECK(a.turns[0].text == "I want my refund.");
  CHECK(a.turns[1].speaker == Speaker::agent);
  CHECK(a.turns[1].time == "2026-09-03T10:03:00Z");

  // Line 6 has no id: the content hash of the line, stable across runs.
  const RawFeedback& b = s.good[1];
  CHECK(b.locator == path + ":6");
  CHECK(b.external_id.size() == 16);
  CHECK(b.external_id == pull_all(spec_of("lines", "chat_jsonl", path)).good[1].external_id);
  CHECK(b.turns[0].speaker == Speaker::customer);    // "user"
  CHECK(b.turns[0].time == "2026-09-03T12:00:00Z");  // epoch seconds
  CHECK(b.received_at == "2026-09-03T12:00:00Z");

  CHECK(s.good[2].external_id == "J-5");  // CRLF line
  CHECK(s.good[2].turns[0].text == "windows line end");
  CHECK(s.good[2].locator == path + ":7");

  REQUIRE(s.bad.size() == 3);
  CHECK(s.bad[0].locator == path + ":3");
  CHECK(contains(s.bad[0].reason, "invalid JSON"));
  CHECK(contains(s.bad[0].reason, path + ":3"));
  CHECK(contains(s.bad[0].raw, "cut of"));
  CHECK(s.bad[1].locator == path + ":4");
  CHECK(contains(s.bad[1].reason, "not a JSON object"));
  CHECK(s.bad[2].locator == path + ":5");
  CHECK(contains(s.bad[2].reason, "turn 1: unknown speaker 'wizard'"));
  CHECK(contains(s.bad[2].raw, "J-3"));
}

TEST_CASE("chat_jsonl: a folder is its .jsonl files in name order", "[connector][chat_formats]") {
  auto s = pull_all(spec_of("lines", "chat_jsonl", fixture("chat/jsonl")));
  REQUIRE(s.good.size() == 4);
  CHECK(s.good[0].external_id == "J-1");
  CHECK(s.good[3].external_id == "K-1");
  CHECK(s.bad.size() == 3);
}

TEST_CASE("chat_jsonl: a help-desk export through the \"fields\" mapping", "[connector][chat_formats]") {
  auto spec = with_settings(
      spec_of("desk", "chat_jsonl", fixture("chat/mapped/helpdesk.jsonl")),
      R"({"fields": {"id": "id", "customer": "source.author.email", "messages": "parts", "speaker": "author.type",
          "text": "body", "time": "created_at", "html": true, "speakers": {"Maria": "agent"},
          "metadata": ["state"]}})");
  auto s = pull_all(spec);
  REQUIRE(s.bad.empty());
  REQUIRE(s.good.size() == 2);
  const RawFeedback& a = s.good[0];
  CHECK(a.external_id == "9001");
  CHECK(a.customer_key == "eve@example.com");
  REQUIRE(a.turns.size() == 2);
  CHECK(a.turns[0].speaker == Speaker::customer);
  CHECK(a.turns[0].time == "2026-09-03T11:50:00Z");
  CHECK(a.turns[0].text == "App crashes on login");
  CHECK(a.turns[1].speaker == Speaker::agent);       // "admin"
  CHECK(a.turns[1].time == "2026-09-03T11:55:00Z");  // epoch milliseconds
  CHECK(a.turns[1].text == "Fixed in 2.1 \u2014 please update.");
  CHECK(a.received_at == "2026-09-03T11:50:00Z");
  CHECK(a.metadata == Meta{{"updated_at", "2026-09-03T12:00:00Z"}, {"state", "closed"}});
  CHECK(s.good[1].turns[0].speaker == Speaker::agent);  // "Maria", mapped
  CHECK(s.good[1].metadata == Meta{{"updated_at", "2026-09-04T09:00:00Z"}});
}

TEST_CASE("chat_json: the same \"fields\" mapping applies to JSON files", "[connector][chat_formats]") {
  TempDir dir;
  dir.write("t.json",
            R"({"tickets": [{"ticket": "T-1", "messages": [{"role": "end-user", "body": "hi"}]}]})");
  auto spec = with_settings(
      spec_of("t", "chat_json", (dir.path / "t.json").string()),
      R"({"fields": {"id": "ticket", "messages": "messages", "speaker": "role", "text": "body"}})");
  // The file wraps its list in "tickets", not "conversations": one object,
  // with no "messages" member at the top.
  auto s = pull_all(spec);
  REQUIRE(s.bad.size() == 1);
  CHECK(contains(s.bad[0].reason, "no \"messages\" array"));
  dir.write("t.json", R"([{"ticket": "T-1", "messages": [{"role": "end-user", "body": "hi"}]}])");
  s = pull_all(spec);
  REQUIRE(s.good.size() == 1);
  CHECK(s.good[0].external_id == "T-1");
  CHECK(s.good[0].turns[0].speaker == Speaker::customer);
  CHECK(s.good[0].turns[0].text == "hi");
}

TEST_CASE("chat formats: a bad \"fields\" mapping fails the pull, naming the source",
          "[connector][chat_formats]") {
  for (const char* kind : {"chat_json", "chat_jsonl", "chat_text"}) {
    auto src = open_source(with_settings(spec_of("mapped", kind, fixture("chat/jsonl/more.jsonl")),
                                         R"({"fields": {"speakers": {"bob": "manager"}}})"));
    REQUIRE(src);
    CollectSink sink;
    auto st = (*src)->pull(sink);
    INFO(kind);
    REQUIRE(!st);
    CHECK(st.error().kind == ErrorKind::config);
    CHECK(contains(st.error().message, "source 'mapped'"));
    CHECK(contains(st.error().message, "'manager'"));
  }
}

TEST_CASE("chat_text: headers, turns, continuation lines, dated turns", "[connector][chat_formats]") {
  const std::string path = fixture("chat/text/ch-77.txt");
  auto s = pull_all(spec_of("transcripts", "chat_text", path));
  REQUIRE(s.bad.empty());
  REQUIRE(s.good.size() == 1);
  const RawFeedback& r = s.good[0];
  CHECK(r.channel == "chat");
  CHECK(r.external_id == "CH-77");
  CHECK(r.locator == path);
  CHECK(r.customer_key == "maria.lopez@example.com");
  CHECK(r.subject == "Lost parcel");
  CHECK(r.received_at == "2026-09-03T10:02:00Z");
  CHECK(r.metadata == Meta{{"channel", "web widget"}, {"preamble", "Chat transcript export"}});
  REQUIRE(r.turns.size() == 5);
  CHECK(r.turns[0].speaker == Speaker::bot);
  CHECK(r.turns[0].time == "2026-09-03T10:02:00Z");
  CHECK(r.turns[0].text == "Hi! How can I help?");
  CHECK(r.turns[1].speaker == Speaker::customer);
  CHECK(r.turns[1].time == "2026-09-03T10:02:30Z");
  CHECK(r.turns[1].text == "My parcel is lost.\nIt was due on Monday.\n\nThe tracking page says: delivered.");
  CHECK(r.turns[2].speaker == Speaker::agent);  // "Tom (Agent)"
  CHECK(r.turns[2].time == "2026-09-03T10:05:00Z");
  CHECK(r.turns[3].time == "2026-09-03T10:09:00Z");
  CHECK(r.turns[3].text == "Found it: it is at the depot.");
  CHECK(r.turns[4].speaker == Speaker::customer);
  CHECK(r.turns[4].time == "2026-09-03T10:10:00Z");
  CHECK(r.turns[4].text == "Great, thanks!");
}

TEST_CASE("chat_text: a conversation across midnight moves to the next day", "[connector][chat_formats]") {
  auto s = pull_all(spec_of("t", "chat_text", fixture("chat/text/night.txt")));
  REQUIRE(s.good.size() == 1);
  const RawFeedback& r = s.good[0];
  CHECK(r.external_id == "night");                 // no id header: the file name
  CHECK(r.received_at == "2026-09-03T23:55:00Z");  // the Date header has a time
  REQUIRE(r.turns.size() == 3);
  CHECK(r.turns[0].time == "2026-09-03T23:58:00Z");
  CHECK(r.turns[1].time == "2026-09-04T00:03:00Z");
  CHECK(r.turns[2].time == "2026-09-04T00:04:00Z");
  CHECK(r.turns[2].text == "ok");
}

TEST_CASE("chat_text: without a date, the file's mtime (UTC) gives it", "[connector][chat_formats]") {
  TempDir dir;
  std::string path = dir.write("plain.txt", "[09:15] Customer: hi\n[9:20 pm] Agent: hello\n  and goodbye\n");
  using namespace std::chrono;
  sys_seconds when = sys_days{year{2026} / 9 / 10} + hours{12};
  std::filesystem::last_write_time(path, file_clock::from_sys(when));
  auto s = pull_all(spec_of("t", "chat_text", path));
  REQUIRE(s.good.size() == 1);
  const RawFeedback& r = s.good[0];
  CHECK(r.external_id == "plain");
  REQUIRE(r.turns.size() == 2);
  CHECK(r.turns[0].time == "2026-09-10T09:15:00Z");
  CHECK(r.turns[1].time == "2026-09-10T21:20:00Z");
  CHECK(r.turns[1].text == "hello\n  and goodbye");
  CHECK(r.received_at == "2026-09-10T09:15:00Z");
  CHECK(r.metadata == Meta{{"date_from", "mtime"}});
}

TEST_CASE("chat_text: unknown speakers and files without turns are rejects, the folder goes on",
          "[connector][chat_formats]") {
  const std::string dir = fixture("chat/text");
  auto s = pull_all(spec_of("t", "chat_text", dir));
  REQUIRE(s.good.size() == 2);  // ch-77, night (name order)
  CHECK(s.good[0].external_id == "CH-77");
  CHECK(s.good[1].external_id == "night");
  REQUIRE(s.bad.size() == 2);  // notes, wizard
  CHECK(s.bad[0].locator == dir + "/notes.txt");
  CHECK(contains(s.bad[0].reason, "no \"[time] Speaker: text\" line"));
  CHECK(contains(s.bad[0].raw, "Just some notes"));
  CHECK(s.bad[1].locator == dir + "/wizard.txt:2");
  CHECK(contains(s.bad[1].reason, "unknown speaker 'Wizard'"));
  CHECK(contains(s.bad[1].raw, "poof"));

  // A "speakers" mapping accepts the name.
  auto mapped = pull_all(with_settings(spec_of("t", "chat_text", dir + "/wizard.txt"),
                                       R"({"fields": {"speakers": {"wizard": "bot"}}})"));
  REQUIRE(mapped.good.size() == 1);
  CHECK(mapped.good[0].turns[1].speaker == Speaker::bot);
  CHECK(mapped.good[0].turns[1].text == "poof");
}

TEST_CASE("detect_source: .jsonl is chat_jsonl, .txt is chat_text", "[connector][chat_formats]") {
  TempDir dir;
  auto jsonl = detect_source(dir.write("export.jsonl", "{}\n"));
  REQUIRE(jsonl);
  CHECK(jsonl->kind == "chat_jsonl");
  CHECK(jsonl->name == "export.jsonl");
  auto txt = detect_source(dir.write("Chat-1.TXT", "[10:00] Customer: hi\n"));
  REQUIRE(txt);
  CHECK(txt->kind == "chat_text");
  CHECK_FALSE(detect_source(dir.write("readme.txt", "Just notes.\n[see] the manual: page 4\n")));
  auto json = detect_source(dir.write("one.json", "{}"));
  REQUIRE(json);
  CHECK(json->kind == "chat_json");  // unchanged
}
