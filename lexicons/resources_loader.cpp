// File reading and assembly of Resources.
#include "lexicons/resources_loader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "lexicons/journey_loader.h"
#include "pipeline/lexicon.h"

namespace cxmap {

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorKind::config, path + ": cannot open (" + std::strerror(errno) + ")");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return make_error(ErrorKind::config, path + ": read error");
  return ss.str();
}

Result<std::shared_ptr<const Resources>> load_resources(const std::string& share_dir, const std::string& journey_path) {
  auto res = std::make_shared<Resources>();
  const std::string lex = share_dir + "/lexicons/";

  const std::string vader_path = lex + "vader.tsv";
  auto vader_text = read_text_file(vader_path);
  if (!vader_text)
    return make_error(ErrorKind::config, vader_text.error().message +
                                             "; the VADER lexicon is made at set-up: run scripts/setup or rebuild "
                                             "the cxmap_share target");
  auto vader = parse_valence_tsv(*vader_text, vader_path);
  if (!vader) return vader.error();
  if (vader->empty()) return make_error(ErrorKind::config, vader_path + ": no entries; rebuild the cxmap_share target");
  res->valence.add_all(*vader, ValenceLayer::base);

  const std::string cx_path = lex + "cx_valence.tsv";
  auto cx_text = read_text_file(cx_path);
  if (!cx_text) return cx_text.error();
  auto cx = parse_valence_tsv(*cx_text, cx_path);
  if (!cx) return cx.error();
  res->valence.add_all(*cx, ValenceLayer::cx);

  const std::string em_path = lex + "cx_emotions.tsv";
  auto em_text = read_text_file(em_path);
  if (!em_text) return em_text.error();
  auto em = parse_emotion_tsv(*em_text, em_path);
  if (!em) return em.error();
  res->emotions = std::move(em).value();

  const std::string jpath = journey_path.empty() ? share_dir + "/journey.json" : journey_path;
  auto jtext = read_text_file(jpath);
  if (!jtext) return jtext.error();
  auto journey = parse_journey_definition(*jtext, jpath);
  if (!journey) return journey.error();
  res->journey = std::move(journey).value();
  return std::shared_ptr<const Resources>(std::move(res));
}

}  // namespace cxmap
