// format=flowed decoding; see flowed.h.
#include "connectors/email/flowed.h"

namespace cxmap::email {

std::string unflow(std::string_view text, bool delsp) {
  std::string out;
  out.reserve(text.size());
  std::string para;  // the logical line being joined
  std::size_t para_depth = 0;
  bool open = false;  // para continues (last physical line was flowed)
  bool any = false;   // at least one logical line was emitted
  auto emit = [&] {
    if (any) out += '\n';
    if (para_depth > 0) {
      out.append(para_depth, '>');
      out += ' ';
    }
    out += para;
    para.clear();
    any = true;
  };
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    bool last = nl == std::string_view::npos;
    std::string_view line = text.substr(pos, (last ? text.size() : nl) - pos);
    pos = last ? text.size() + 1 : nl + 1;
    if (last && line.empty()) break;  // text ended with a line end
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t depth = 0;
    while (depth < line.size() && line[depth] == '>') ++depth;
    std::string_view content = line.substr(depth);
    if (!content.empty() && content.front() == ' ') content.remove_prefix(1);
    bool sig = content == "-- ";
    bool flowed = !sig && !content.empty() && content.back() == ' ';
    if (open && depth != para_depth) {
      emit();  // rule 1: depth changed, the open paragraph ends
      open = false;
    }
    if (!open) para_depth = depth;
    if (flowed && delsp) content.remove_suffix(1);
    para.append(content);
    if (flowed) {
      open = true;
    } else {
      emit();
      open = false;
    }
  }
  if (open) emit();
  return out;
}

}  // namespace cxmap::email
