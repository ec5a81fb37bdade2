// Fuzz target: the search language's checker. Whatever the text, it returns
// tokens or one error whose column lies inside the query (or just past it),
// and the caret line can always be drawn.
#include <string>

#include "fuzz_target.h"
#include "search/query_syntax.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string query(reinterpret_cast<const char*>(data), size);
  cxmap::CheckedQuery checked = cxmap::check_query(query);
  if (checked.error) {
    FUZZ_CHECK(checked.error->column >= 1 && checked.error->column <= size + 1);
    FUZZ_CHECK(!checked.error->message.empty());
    (void)cxmap::point_at(query, *checked.error);
  }
  for (const cxmap::QueryToken& t : checked.tokens) {
    FUZZ_CHECK(t.column >= 1 && t.column <= size);
    FUZZ_CHECK(!t.text.empty());
  }
  return 0;
}
