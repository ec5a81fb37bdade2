// JSON forms of shared record types.
#include "report/record_json.h"

namespace cxmap {

void write_pains(JsonWriter& j, const std::vector<PainPoint>& pains) {
  j.begin_array();
  for (const PainPoint& p : pains) {
    j.begin_object().key("kind").value(p.kind);
    if (!p.unit.empty()) j.key("value").value(p.value, 1).key("unit").value(p.unit);
    j.end_object();
  }
  j.end_array();
}

}  // namespace cxmap
