// format=flowed plain text (RFC 3676) back to paragraphs.
//
// A flowed line ends in a space and continues on the next line; a fixed line
// does not. Rules applied (section 4):
//  1. Quote depth is the number of leading '>'; lines of different depth are
//     never joined (a flowed line followed by another depth ends there).
//  2. One leading space after the quote marks is space-stuffing and removed.
//  3. The signature separator "-- " is always a fixed line.
//  4. With DelSp=yes the trailing space of a flowed line is deleted when
//     joining (it was inserted by the sender); otherwise it stays.
// Quoted paragraphs come out as ">" x depth, a space, then the text, so the
// reply stripper still sees them. Line ends become "\n". Linear, never fails.
#pragma once

#include <string>
#include <string_view>

namespace cxmap::email {

std::string unflow(std::string_view text, bool delsp);

}  // namespace cxmap::email
