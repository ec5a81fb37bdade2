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

std::string pain_text(const PainPoint& p) {
  if (p.unit.empty()) return p.kind;
  return p.kind + " " + format_fixed(p.value, 0) + " " + p.unit;
}

std::string pains_text(const std::vector<PainPoint>& pains) {
  std::string out;
  for (const PainPoint& p : pains) out += "  [" + pain_text(p) + "]";
  return out;
}

}  // namespace cxmap
