// Fuzz target: one chat transcript in JSON through the chat field mapping.
// Truncated or hostile JSON is a parse error, an object that is not a
// conversation is a reason; neither may throw.
#include <Poco/JSON/Object.h>

#include <string>

#include "connectors/chat/chat_fields.h"
#include "fuzz_target.h"

using namespace cxmap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto parsed = chat::parse_json(text);
  if (!parsed) {
    FUZZ_CHECK(!parsed.error().message.empty());
    return 0;
  }
  if (parsed->type() != typeid(Poco::JSON::Object::Ptr)) return 0;
  auto obj = parsed->extract<Poco::JSON::Object::Ptr>();
  const chat::FieldMap fields;
  auto conversation = chat::conversation_from_json(obj, fields, "fuzz", "fuzz:1");
  if (!conversation) FUZZ_CHECK(!conversation.error().message.empty());
  (void)chat::json_text(obj);
  return 0;
}
