// Fuzz target: one email message through the MIME reader. Any bytes must
// give either a record or a quarantine reason, never an exception or a crash.
#include <string>

#include "connectors/email/mime_message.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  auto parsed = cxmap::email::parse_message(bytes, "fuzz", "fuzz:1");
  if (parsed) {
    std::size_t text_bytes = 0;
    for (const auto& turn : parsed->turns) text_bytes += turn.text.size();
    FUZZ_CHECK(text_bytes <= size + 2 * 1024 * 1024);  // decoding may grow text, never without bound
    FUZZ_CHECK(parsed->subject.size() <= cxmap::email::kMaxSubjectBytes);
  } else {
    FUZZ_CHECK(!parsed.error().message.empty());  // the quarantine reason
  }
  return 0;
}
