// Loads every runtime resource file into one immutable Resources: the VADER
// valence lexicon (share/lexicons/vader.tsv, made at build/set-up time by
// cxmap-import-lexicon), the project's CX valence overrides and emotion
// lexicon, and the journey definition. The only file I/O of the tagging path;
// errors name the file (and line) at fault.
#pragma once

#include <memory>
#include <string>

#include "pipeline/resources.h"
#include "pipeline/result.h"

namespace cxmap {

// journey_path empty -> share_dir/journey.json.
Result<std::shared_ptr<const Resources>> load_resources(const std::string& share_dir,
                                                        const std::string& journey_path = "");

// Reads a whole file; the error names the path.
Result<std::string> read_text_file(const std::string& path);

}  // namespace cxmap
