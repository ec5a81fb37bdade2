// Fuzz target: the journey definition loader (config/journey.json), which
// compiles user-supplied regular expressions with RE2. A bad file is an
// error naming what is wrong; nothing may throw or run away.
#include <string>

#include "fuzz_target.h"
#include "lexicons/journey_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto journey = cxmap::parse_journey_definition(text, "fuzz.json");
  if (!journey) FUZZ_CHECK(!journey.error().message.empty());
  return 0;
}
