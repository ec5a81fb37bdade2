// Small helpers over the record types: speaker names and stable ids.
#include "pipeline/record.h"

#include <cstdint>
#include <cstdio>

namespace cxmap {

const char* speaker_name(Speaker s) {
  switch (s) {
    case Speaker::customer: return "customer";
    case Speaker::agent: return "agent";
    case Speaker::bot: return "bot";
  }
  return "customer";
}

std::optional<Speaker> parse_speaker(const std::string& name) {
  std::string n;
  for (char c : name) n += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (n == "customer" || n == "user" || n == "client" || n == "visitor" || n == "end-user")
    return Speaker::customer;
  if (n == "agent" || n == "staff" || n == "advisor" || n == "operator" || n == "support")
    return Speaker::agent;
  if (n == "bot" || n == "chatbot" || n == "system" || n == "assistant" || n == "virtual agent")
    return Speaker::bot;
  return std::nullopt;
}

static std::uint64_t fnv1a64(const std::string& bytes, std::uint64_t h = 0xcbf29ce484222325ULL) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

static std::string hex16(std::uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string feedback_id(const std::string& source, const std::string& external_id) {
  return hex16(fnv1a64(source + '\x1f' + external_id));
}

std::string content_hash(const std::string& bytes) { return hex16(fnv1a64(bytes)); }

}  // namespace cxmap
