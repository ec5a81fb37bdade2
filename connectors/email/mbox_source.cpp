// mbox connector: one file of messages separated by "From " lines, read one
// message at a time so memory stays bounded by the largest message.
//
// Invariants:
//  1. A message starts at an envelope line ("From sender date") that is the
//     first line of the file or follows an empty line; its locator is "path:offset" with the
//     byte offset of that "From " line.
//  2. Body lines ">From ", ">>From ", ... (mboxrd escaping) lose one '>'.
//  3. The "From " line itself is not part of the message bytes.
#include <fstream>
#include <string>

#include "connectors/email/mime_message.h"
#include "connectors/source_kinds.h"

namespace cxmap {

namespace {

// "From sender date..." : a sender word, then text holding a digit (the date).
// Keeps an unescaped "From here on, ..." sentence in a body from splitting.
bool is_envelope(const std::string& line) {
  if (line.compare(0, 5, "From ") != 0) return false;
  std::size_t sp = line.find(' ', 5);
  if (sp == std::string::npos || sp == 5) return false;
  return line.find_first_of("0123456789", sp) != std::string::npos;
}

bool is_escaped_from(const std::string& line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == '>') ++i;
  return i > 0 && line.compare(i, 5, "From ") == 0;
}

class MboxSource : public Source {
 public:
  explicit MboxSource(SourceSpec spec) : spec_(std::move(spec)) {}
  const SourceSpec& spec() const override { return spec_; }

  Status pull(RecordSink& sink, const std::string& /*cursor*/) override {
    std::ifstream in(spec_.path, std::ios::binary);
    if (!in) return make_error(ErrorKind::input, "cannot open mbox " + spec_.path);
    std::string line, message;
    std::uint64_t offset = 0, message_offset = 0;
    bool in_message = false, prev_blank = true;
    auto flush = [&] {
      if (in_message) {
        // The blank line before the next "From " belongs to the separator.
        if (message.size() >= 2 && message.compare(message.size() - 2, 2, "\n\n") == 0) message.pop_back();
        else if (message.size() >= 4 && message.compare(message.size() - 4, 4, "\r\n\r\n") == 0)
          message.resize(message.size() - 2);
        email::deliver_message(message, spec_.name, spec_.path + ":" + std::to_string(message_offset), sink);
      }
      message.clear();
    };
    while (std::getline(in, line)) {
      std::uint64_t line_offset = offset;
      bool had_newline = !in.eof();
      offset += line.size() + (had_newline ? 1 : 0);
      std::string bare = line;
      if (!bare.empty() && bare.back() == '\r') bare.pop_back();
      if (prev_blank && is_envelope(bare)) {
        flush();
        in_message = true;
        message_offset = line_offset;
        prev_blank = false;
        continue;
      }
      if (!in_message) {
        // Text before the first "From " line: not a message; skip it.
        prev_blank = bare.empty();
        continue;
      }
      if (is_escaped_from(bare)) line.erase(0, 1);
      message += line;
      if (had_newline) message += '\n';
      prev_blank = bare.empty();
    }
    if (in.bad()) {
      flush();
      return make_error(ErrorKind::input, "read error in mbox " + spec_.path);
    }
    flush();
    return ok_status();
  }

 private:
  SourceSpec spec_;
};

}  // namespace

std::unique_ptr<Source> make_mbox_source(const SourceSpec& spec) { return std::make_unique<MboxSource>(spec); }

}  // namespace cxmap
