// Chat API connector (kind "chat_api"): conversations from an HTTP(S) JSON
// API, page by page, with a bearer token from the environment, retries, and
// an "updated since" cursor. Conversations are mapped with the entry's
// "fields" (chat_fields.h), exactly as chat_json maps files. It never writes
// anything and never puts the token in a URL, a locator or a message.
//
// Settings (the config entry):
//   url                    first page (http or https), required
//   token_env              NAME of the environment variable holding the bearer
//                          token; unset or empty = config error. Omitted = no
//                          Authorization header.
//   updated_since_param    query parameter carrying the cursor ("" = not sent)
//   updated_since_format   "iso" (2026-09-03T10:02:00Z, default) or "epoch"
//   pagination             {"mode": "token" | "page" | "next_url",
//                           "items_field": "conversations",   (dotted path;
//                                    a page that is a bare array is the items)
//                           "token_field": "next_page_token", "token_param": "page_token",
//                           "page_param": "page", "first_page": 1,
//                           "next_url_field": "next_page"}
//   timeout_seconds 30, max_retries 3, backoff_seconds 1 (doubled per retry),
//   max_backoff_seconds 30, max_retry_after_seconds 60, max_page_bytes 64 MiB,
//   ca_file (extra PEM CA for https), checkpoint "page" (default) | "end".
//
// State machine of one pull(sink, cursor):
//
//   FETCH(page) --ok--> HAND OVER each conversation --> CHECKPOINT(max updated)
//      |  ^                                                  |
//      |  +---- next token / page / URL, no stop requested --+--> DONE (no next,
//      |                                                          empty page, stop)
//      +-- 429, 5xx, connection error, timeout: retry after a backoff
//      |   (backoff_seconds, doubled each time, at most max_backoff_seconds;
//      |   a Retry-After in seconds replaces it, at most
//      |   max_retry_after_seconds); after max_retries --> ERROR naming the
//      |   source and URL (pull() fails; what was checkpointed stays)
//      +-- 401/403, other 4xx/3xx --> ERROR at once (retrying will not help)
//      +-- 200 with a truncated or invalid JSON body: retry as above; after
//      |   max_retries --> the page is QUARANTINED (locator = page URL, raw =
//      |   its bytes) and the pull ENDS with success ("completed with rejects")
//      +-- 200 with valid JSON but no items array --> QUARANTINED at once, END.
//
// Invariants:
//  1. checkpoint(c) is called only after every conversation of the pages
//     read so far was handed to the sink (as feedback or reject), and c is the
//     largest "updated" time among them (never below the incoming cursor).
//  2. "Loses nothing": a page that could not be read is never skipped over.
//     Its bytes go to the quarantine (so the failure is visible and counted),
//     and the pull stops there without moving the cursor past it; the next
//     run asks again from the last checkpoint, and gets the page's
//     conversations once the API serves it. Continuing to later pages would
//     move the cursor past conversations nobody has read. (The bad page is
//     quarantined again on each run until the API serves it properly.)
//  3. A malformed conversation in a good page is quarantined with locator
//     "<page URL>#<index>" and the cursor may move past it: its bytes are in
//     the quarantine, and it comes back if it changes (its updated time grows).
//  4. The cursor is only safe if the API returns conversations in ascending
//     "updated" order under updated_since (the usual incremental-export
//     contract). For an API that does not, set "checkpoint": "end": one
//     checkpoint after the last page, none on a partial pull.
//  5. external_id is the conversation id. The store dedupes by (source,
//     external_id), so a conversation fetched again because it gained turns
//     counts as a duplicate and the new turns are not stored. Known and
//     accepted for now.
//  6. An inclusive updated_since (>=) is the safe server semantics: the last
//     conversation then comes again on every pull and counts as a duplicate.
//     With a strict ">", conversations sharing the cursor's exact time across
//     a page boundary can be missed if a run stops between those pages.
//  7. The token is read from the environment at each pull, sent only in the
//     Authorization header and only to the origin of "url" (a next_url on
//     another host is an error), and never appears in a message or locator.
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <thread>

#include "connectors/chat/chat_fields.h"
#include "connectors/chat/http_client.h"
#include "connectors/email/mime_message.h"
#include "connectors/source_kinds.h"

namespace cxmap {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

enum class PageMode { token, page, next_url };
enum class CheckpointMode { page, end };

struct ApiConfig {
  std::string url;
  std::string token_env;
  std::string updated_since_param;
  bool updated_since_epoch = false;
  PageMode mode = PageMode::token;
  std::string items_field = "conversations";
  std::string token_field = "next_page_token";
  std::string token_param = "page_token";
  std::string page_param = "page";
  long long first_page = 1;
  std::string next_url_field = "next_page";
  int max_retries = 3;
  double backoff_seconds = 1;
  double max_backoff_seconds = 30;
  double max_retry_after_seconds = 60;
  CheckpointMode checkpoint = CheckpointMode::page;
  chat::HttpOptions http;
  chat::FieldMap fields;
};

// Settings readers: absent keys keep the default; a wrong type or range is a
// config error naming the key.
class SettingsReader {
 public:
  SettingsReader(const std::string& who, Object::Ptr obj) : who_(who), obj_(std::move(obj)) {}

  Status text(const char* key, std::string& out, bool allow_empty = true) {
    if (!obj_->has(key) || obj_->isNull(key)) return ok_status();
    Var v = obj_->get(key);
    if (!v.isString()) return bad(key, "must be a string");
    out = v.extract<std::string>();
    if (!allow_empty && out.empty()) return bad(key, "must not be empty");
    return ok_status();
  }

  Status number(const char* key, double& out, double lo, double hi) {
    if (!obj_->has(key) || obj_->isNull(key)) return ok_status();
    Var v = obj_->get(key);
    if (!v.isNumeric() || v.isBoolean()) return bad(key, "must be a number");
    double d = v.convert<double>();
    if (!(d >= lo && d <= hi)) return bad(key, "must be between " + fmt(lo) + " and " + fmt(hi));
    out = d;
    return ok_status();
  }

  template <typename Int>
  Status integer(const char* key, Int& out, double lo, double hi) {
    double d = static_cast<double>(out);
    if (auto s = number(key, d, lo, hi); !s) return s;
    if (d != std::floor(d)) return bad(key, "must be a whole number");
    out = static_cast<Int>(d);
    return ok_status();
  }

  Error bad(const std::string& key, const std::string& what) const {
    return make_error(ErrorKind::config, who_ + ": \"" + key + "\" " + what);
  }

 private:
  static std::string fmt(double d) {
    std::string t = std::to_string(d);
    while (t.back() == '0') t.pop_back();
    if (t.back() == '.') t.pop_back();
    return t;
  }
  std::string who_;
  Object::Ptr obj_;
};

Result<ApiConfig> read_config(const SourceSpec& spec) {
  const std::string who = "source '" + spec.name + "'";
  auto settings = chat::settings_object(spec);
  if (!settings) return settings.error();
  ApiConfig c;
  try {
    SettingsReader r(who, *settings);
    Status s = r.text("url", c.url, false);
    if (s) s = r.text("token_env", c.token_env);
    if (s) s = r.text("updated_since_param", c.updated_since_param);
    std::string since_format = "iso", checkpoint = "page";
    if (s) s = r.text("updated_since_format", since_format);
    if (s) s = r.text("checkpoint", checkpoint);
    if (s) s = r.number("timeout_seconds", c.http.timeout_seconds, 0.001, 3600);
    if (s) s = r.integer("max_retries", c.max_retries, 0, 100);
    if (s) s = r.number("backoff_seconds", c.backoff_seconds, 0, 3600);
    if (s) s = r.number("max_backoff_seconds", c.max_backoff_seconds, 0, 3600);
    if (s) s = r.number("max_retry_after_seconds", c.max_retry_after_seconds, 0, 3600);
    if (s) s = r.integer("max_page_bytes", c.http.max_body_bytes, 1, 1e10);
    if (s) s = r.text("ca_file", c.http.ca_file);
    if (!s) return s.error();
    if (c.url.empty()) return make_error(ErrorKind::config, who + ": missing \"url\"");
    if (since_format == "epoch")
      c.updated_since_epoch = true;
    else if (since_format != "iso")
      return r.bad("updated_since_format", "must be \"iso\" or \"epoch\"");
    if (checkpoint == "end")
      c.checkpoint = CheckpointMode::end;
    else if (checkpoint != "page")
      return r.bad("checkpoint", "must be \"page\" or \"end\"");
    if ((*settings)->has("pagination") && !(*settings)->isNull("pagination")) {
      Object::Ptr p = (*settings)->getObject("pagination");
      if (!p) return r.bad("pagination", "must be an object");
      SettingsReader pr(who + ": \"pagination\"", p);
      std::string mode = "token";
      s = pr.text("mode", mode);
      if (s) s = pr.text("items_field", c.items_field, false);
      if (s) s = pr.text("token_field", c.token_field, false);
      if (s) s = pr.text("token_param", c.token_param, false);
      if (s) s = pr.text("page_param", c.page_param, false);
      if (s) s = pr.integer("first_page", c.first_page, 0, 1e9);
      if (s) s = pr.text("next_url_field", c.next_url_field, false);
      if (!s) return s.error();
      if (mode == "page")
        c.mode = PageMode::page;
      else if (mode == "next_url")
        c.mode = PageMode::next_url;
      else if (mode != "token")
        return pr.bad("mode", "must be \"token\", \"page\" or \"next_url\"");
    }
  } catch (const Poco::Exception& e) {
    return make_error(ErrorKind::config, who + ": " + e.displayText());
  }
  auto fields = chat::read_field_map(spec, *settings);
  if (!fields) return fields.error();
  c.fields = std::move(fields).value();
  return c;
}

// "2026-09-03T10:02:00Z" -> "1788429720"; the text itself if it is not ISO.
std::string epoch_text(const std::string& iso) {
  try {
    int tzd = 0;
    Poco::DateTime dt = Poco::DateTimeParser::parse(Poco::DateTimeFormat::ISO8601_FORMAT, iso, tzd);
    dt.makeUTC(tzd);
    return std::to_string(dt.timestamp().epochTime());
  } catch (const Poco::Exception&) {
    return iso;
  }
}

std::string with_param(const std::string& url, const std::string& name, const std::string& value) {
  Poco::URI uri(url);
  uri.addQueryParameter(name, value);
  return uri.toString();
}

// What one page fetch came to.
struct Page {
  enum class Kind { ok, empty, bad, stopped } kind = Kind::ok;
  Var json;                // ok
  std::string body;        // ok, bad: the bytes received
  std::string bad_reason;  // bad
};

class ChatApiSource : public Source {
 public:
  explicit ChatApiSource(SourceSpec spec) : spec_(std::move(spec)), config_(read_config(spec_)) {}
  const SourceSpec& spec() const override { return spec_; }

  Status pull(RecordSink& sink, const std::string& cursor) override {
    if (!config_) return config_.error();
    const ApiConfig& c = *config_;
    headers_ = {{"Accept", "application/json"}};
    if (!c.token_env.empty()) {
      auto token = bearer_token(c.token_env);
      if (!token) return token.error();
      headers_.emplace_back("Authorization", "Bearer " + *token);
    }
    auto client = chat::HttpClient::make(c.url, c.http);
    if (!client) return make_error(ErrorKind::config, who() + ": \"url\": " + client.error().message);

    std::string base = c.url;
    if (!cursor.empty() && !c.updated_since_param.empty())
      base = with_param(base, c.updated_since_param, c.updated_since_epoch ? epoch_text(cursor) : cursor);
    std::string best = cursor;  // invariant 1
    long long page_no = c.first_page;
    std::string url =
        c.mode == PageMode::page ? with_param(base, c.page_param, std::to_string(page_no)) : base;
    std::string previous_token, previous_hash;
    for (bool first = true;; first = false) {
      if (!first && sink.stop_requested()) return ok_status();
      Result<Page> fetched = fetch(*client, url, sink);
      if (!fetched) return fetched.error();
      Page& page = *fetched;
      if (page.kind == Page::Kind::stopped) return ok_status();
      if (page.kind == Page::Kind::empty) break;
      if (page.kind == Page::Kind::bad) {
        quarantine_page(sink, url, page.bad_reason, page.body, best);  // invariant 2
        return ok_status();
      }
      Object::Ptr top;
      Array::Ptr items;
      if (page.json.type() == typeid(Array::Ptr)) {
        items = page.json.extract<Array::Ptr>();
      } else if (page.json.type() == typeid(Object::Ptr)) {
        top = page.json.extract<Object::Ptr>();
        Var v = chat::value_at(top, c.items_field);
        if (v.type() == typeid(Array::Ptr)) items = v.extract<Array::Ptr>();
      }
      if (!items) {
        quarantine_page(sink, url, "no \"" + c.items_field + "\" array in the page", page.body, best);
        return ok_status();
      }
      for (std::size_t i = 0; i < items->size(); ++i) hand_over(sink, items, i, url, best);
      if (c.checkpoint == CheckpointMode::page && !best.empty()) sink.checkpoint(best);
      if (items->size() == 0) break;
      std::string hash = content_hash(page.body);
      if (hash == previous_hash)
        return make_error(ErrorKind::input,
                          who() + ": " + url + " returned the same page as the one before it" +
                              (c.mode == PageMode::page ? " (is \"page_param\" right?)" : ""));
      previous_hash = hash;
      if (c.mode == PageMode::page) {
        url = with_param(base, c.page_param, std::to_string(++page_no));
      } else if (c.mode == PageMode::token) {
        std::string token = top ? chat::string_at(top, c.token_field) : "";
        if (token.empty()) break;
        if (token == previous_token)
          return make_error(ErrorKind::input, who() + ": " + url + " returned the same page token twice");
        previous_token = token;
        url = with_param(base, c.token_param, token);
      } else {
        std::string next = top ? chat::string_at(top, c.next_url_field) : "";
        if (next.empty() || next == url) break;
        if (!client->same_origin(next))
          return make_error(ErrorKind::input, who() + ": " + url +
                                                  " points to a next page on another host (" + next +
                                                  "); the token is only sent to " + c.url);
        url = next;
      }
    }
    if (c.checkpoint == CheckpointMode::end && !best.empty()) sink.checkpoint(best);
    return ok_status();
  }

 private:
  std::string who() const { return "source '" + spec_.name + "'"; }

  Result<std::string> bearer_token(const std::string& var) const {
    const char* value = std::getenv(var.c_str());
    std::string token = value ? value : "";
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front()))) token.erase(0, 1);
    if (token.empty())
      return make_error(ErrorKind::config, who() + ": environment variable " + var +
                                               " (named by \"token_env\") is not set or empty");
    for (char ch : token)
      if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f)
        return make_error(ErrorKind::config, who() + ": the token in " + var + " holds control characters");
    return token;
  }

  // Waits `seconds`, in slices, unless a stop is requested (then false).
  static bool pause(double seconds, RecordSink& sink) {
    auto until =
        std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                               std::chrono::duration<double>(seconds));
    for (;;) {
      if (sink.stop_requested()) return false;
      auto left = until - std::chrono::steady_clock::now();
      if (left <= std::chrono::steady_clock::duration::zero()) return true;
      std::this_thread::sleep_for(
          std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(50)));
    }
  }

  double backoff(int retry) const {
    const ApiConfig& c = *config_;
    return std::min(c.max_backoff_seconds, c.backoff_seconds * std::pow(2.0, retry - 1));
  }

  // One page with retries; see the state machine at the top.
  Result<Page> fetch(chat::HttpClient& client, const std::string& url, RecordSink& sink) {
    const ApiConfig& c = *config_;
    std::string last_error;
    bool last_was_body = false;
    Page page;
    double wait = 0;
    for (int attempt = 0; attempt <= c.max_retries; ++attempt) {
      if (attempt > 0 && !pause(wait, sink)) return Page{Page::Kind::stopped, {}, {}, {}};
      wait = backoff(attempt + 1);
      chat::HttpReply r = client.get(url, headers_);
      last_was_body = false;
      if (!r.connected) {
        last_error = r.error;
        continue;
      }
      std::string status = "HTTP " + std::to_string(r.status) + (r.reason.empty() ? "" : " " + r.reason);
      if (r.status == 429 || r.status >= 500) {
        // Retry-After (seconds; an HTTP date is not read) replaces the backoff,
        // capped by max_retry_after_seconds.
        last_error = status;
        char* end = nullptr;
        double after = r.retry_after.empty() ? -1 : std::strtod(r.retry_after.c_str(), &end);
        if (after >= 0 && end && *end == '\0') wait = std::min(after, c.max_retry_after_seconds);
        continue;
      }
      if (r.status == 401 || r.status == 403)
        return make_error(ErrorKind::config,
                          who() + ": GET " + url + ": " + status +
                              (c.token_env.empty() ? " (no \"token_env\" is configured)"
                                                   : " (check the token in " + c.token_env + ")"));
      if (r.status == 204) return Page{Page::Kind::empty, {}, {}, {}};
      if (r.status != 200 && r.status != 203)
        return make_error(ErrorKind::input, who() + ": GET " + url + ": " + status);
      page.body = std::move(r.body);
      last_was_body = true;
      if (!r.body_complete) {
        last_error = r.error;
        continue;
      }
      auto json = chat::parse_json(page.body);
      if (!json) {
        last_error = "invalid JSON: " + json.error().message;
        continue;
      }
      page.json = std::move(json).value();
      return page;
    }
    const std::string tries = std::to_string(c.max_retries + 1) + " attempt" + (c.max_retries ? "s" : "");
    if (last_was_body) {
      page.kind = Page::Kind::bad;
      page.bad_reason = last_error + " (after " + tries + ")";
      return page;
    }
    return make_error(ErrorKind::input,
                      who() + ": GET " + url + " failed after " + tries + ": " + last_error);
  }

  void quarantine_page(RecordSink& sink, const std::string& url, const std::string& reason,
                       const std::string& body, const std::string& cursor) {
    std::string why = "page " + url + " could not be read: " + reason +
                      "; the pull stopped here and the cursor stays at " +
                      (cursor.empty() ? std::string("the start") : "'" + cursor + "'") +
                      ", so the next run requests this page's conversations again";
    sink.reject(Quarantined{spec_.name, url, why, body.substr(0, email::kMaxQuarantineBytes)});
  }

  void hand_over(RecordSink& sink, const Array::Ptr& items, std::size_t i, const std::string& url,
                 std::string& best) {
    const std::string locator = url + "#" + std::to_string(i);
    Object::Ptr obj = items->getObject(static_cast<unsigned>(i));
    if (!obj) {
      std::string raw;
      try {
        raw = items->get(static_cast<unsigned>(i)).convert<std::string>();
      } catch (const Poco::Exception&) {
      }
      sink.reject(Quarantined{spec_.name, locator,
                              locator + ": conversation " + std::to_string(i) + " is not an object",
                              raw.substr(0, email::kMaxQuarantineBytes)});
      return;
    }
    auto conv = chat::conversation_from_json(obj, config_->fields, spec_.name, locator);
    if (!conv) {
      // Invariant 3: the cursor may pass a rejected conversation.
      if (auto t = chat::time_of(chat::value_at(obj, config_->fields.updated)); t && *t > best) best = *t;
      sink.reject(Quarantined{spec_.name, locator, locator + ": " + conv.error().message,
                              chat::json_text(obj).substr(0, email::kMaxQuarantineBytes)});
      return;
    }
    RawFeedback& record = conv->record;
    if (record.external_id.empty()) record.external_id = content_hash(chat::json_text(obj));
    if (conv->updated > best) best = conv->updated;
    sink.feedback(std::move(record));
  }

  SourceSpec spec_;
  Result<ApiConfig> config_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

}  // namespace

std::unique_ptr<Source> make_chat_api_source(const SourceSpec& spec) {
  return std::make_unique<ChatApiSource>(spec);
}

}  // namespace cxmap
