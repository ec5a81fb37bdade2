// The records that flow through cxmap: what a connector yields (RawFeedback,
// Quarantined) and what the pipeline makes of it (AnalyzedFeedback, Event).
//
// These are plain structs with no behaviour and no dependencies, so that
// connectors/, pipeline/, db/ and report/ can all share them. Text is always
// UTF-8. Times are ISO-8601 UTC strings ("2026-09-03T10:02:00Z"); an empty
// string means unknown.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cxmap {

enum class Speaker { customer, agent, bot };

const char* speaker_name(Speaker s);
// Parses "customer", "agent", "bot" (case-insensitive; "user"/"client" are
// customer, "system"/"assistant"/"chatbot" are bot). Unknown -> nullopt.
std::optional<Speaker> parse_speaker(const std::string& name);

// One contiguous piece of text by one speaker: a chat turn, an email body,
// a survey answer.
struct Turn {
  Speaker speaker = Speaker::customer;
  std::string time;  // ISO-8601 UTC or empty
  std::string text;  // raw UTF-8 (may still hold invalid sequences)
};

// What a connector yields for one piece of feedback. Connectors do format
// parsing only: no tagging happens here.
struct RawFeedback {
  std::string source;       // source name from config ("support-mbox")
  std::string channel;      // email | chat | survey
  std::string external_id;  // Message-ID, conversation id, response id, or content hash
  std::string locator;      // where it came from, for messages: "file.mbox:1234"
  std::string customer_key; // normalised identity (lowercased email, ...)
  std::string received_at;  // ISO-8601 UTC
  std::string subject;
  std::optional<int> nps, csat, ces;
  std::vector<Turn> turns;
  std::vector<std::pair<std::string, std::string>> metadata;  // ordered key/value
  // A version stamp from the source (an API conversation's updated time,
  // ISO-8601), or empty. A stored feedback with an older revision is
  // replaced by this one; without a revision a stored id is a duplicate.
  std::string revision;
};

// A record a connector could not turn into RawFeedback. It is stored in the
// quarantine with its reason; the run goes on.
struct Quarantined {
  std::string source;
  std::string locator;  // file and line/offset, or message number
  std::string reason;   // for a person: what was wrong
  std::string raw;      // the offending bytes (may be truncated by the store)
};

struct Sentiment {
  double compound = 0, pos = 0, neu = 1, neg = 0;
};

// A pain point found in one sentence; value and unit are optional
// (long_wait: value 45, unit "min"; transfer: value 3, unit "count").
struct PainPoint {
  std::string kind;
  double value = 0;
  std::string unit;
};

// One sentence of the feedback, placed on the journey.
struct Event {
  int ordinal = 0;           // 0-based position within the feedback
  Speaker speaker = Speaker::customer;
  std::size_t start = 0;     // byte offsets into AnalyzedFeedback::text
  std::size_t end = 0;
  std::string sentence;      // normalised text of the sentence
  Sentiment sentiment;
  std::string emotion = "neutral";                   // dominant emotion
  std::vector<std::pair<std::string, double>> emotions;  // label -> weight, weight desc
  std::string touchpoint = "none";
  std::string stage = "none";
  std::vector<PainPoint> pains;
};

// The pipeline's output for one RawFeedback.
struct AnalyzedFeedback {
  std::string id;        // stable: feedback_id(source, external_id)
  RawFeedback raw;       // as received (turn texts are not rewritten here)
  std::string text;      // normalised text of all turns, joined by "\n"
  std::string language;  // "en", or another ISO 639-1 code, or "und"
  int invalid_utf8 = 0;  // sequences replaced by U+FFFD during normalisation
  std::vector<Event> events;
  // Personal data replaced by placeholders, by type in the order email,
  // phone, card, iban, secret (pipeline/redact.h, RedactionType).
  std::array<int, 5> redactions{};
};

// Stable 16-hex-digit id of a feedback: a 64-bit FNV-1a hash of
// source + '\x1f' + external_id. Stable across runs and machines.
std::string feedback_id(const std::string& source, const std::string& external_id);

// 16-hex-digit FNV-1a 64 of arbitrary bytes (content hashes, checksums).
std::string content_hash(const std::string& bytes);

}  // namespace cxmap
