// cxmap-import-lexicon --format vader|afinn IN OUT
// Converts a third-party valence lexicon into the project's valence TSV.
// Prints "N entries" and exits 0; prints a clear error and exits non-zero
// (2 usage, 3 bad input, 4 unreadable or unwritable file) otherwise.
#include <cstdio>
#include <fstream>
#include <string>

#include "lexicons/importer.h"
#include "lexicons/resources_loader.h"

int main(int argc, char** argv) {
  std::string format, in, out;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--format" && i + 1 < argc) format = argv[++i];
    else if (a.rfind("--format=", 0) == 0) format = a.substr(9);
    else if (a == "-h" || a == "--help") {
      std::printf("usage: cxmap-import-lexicon --format vader|afinn IN OUT\n");
      return 0;
    } else if (in.empty()) in = a;
    else if (out.empty()) out = a;
    else {
      std::fprintf(stderr, "cxmap-import-lexicon: unexpected argument '%s'\n", a.c_str());
      return 2;
    }
  }
  if (format.empty() || in.empty() || out.empty()) {
    std::fprintf(stderr, "usage: cxmap-import-lexicon --format vader|afinn IN OUT\n");
    return 2;
  }
  auto fmt = cxmap::parse_lexicon_format(format);
  if (!fmt) {
    std::fprintf(stderr, "cxmap-import-lexicon: %s\n", fmt.error().message.c_str());
    return 2;
  }
  auto text = cxmap::read_text_file(in);
  if (!text) {
    std::fprintf(stderr, "cxmap-import-lexicon: %s\n", text.error().message.c_str());
    return 4;
  }
  auto lex = cxmap::import_lexicon(*text, *fmt, in);
  if (!lex) {
    std::fprintf(stderr, "cxmap-import-lexicon: %s\n", lex.error().message.c_str());
    return 3;
  }
  std::string tmp = out + ".tmp";
  {
    std::ofstream o(tmp, std::ios::binary | std::ios::trunc);
    o << lex->tsv;
    o.close();
    if (!o) {
      std::fprintf(stderr, "cxmap-import-lexicon: cannot write %s\n", tmp.c_str());
      return 4;
    }
  }
  if (std::rename(tmp.c_str(), out.c_str()) != 0) {
    std::fprintf(stderr, "cxmap-import-lexicon: cannot rename %s to %s\n", tmp.c_str(), out.c_str());
    return 4;
  }
  std::printf("%zu entries written to %s\n", lex->entries, out.c_str());
  return 0;
}
