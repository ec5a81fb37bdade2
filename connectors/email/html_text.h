// HTML to plain text for mail bodies that have no text/plain part.
//
// Not a browser: a single pass over the markup that drops <script>, <style>,
// <head> and <blockquote> (quoted replies) with their content, turns block
// tags (<br>, <p>, <div>, <li>, <tr>, headings) into line breaks and other
// tags into spaces, collapses white space as HTML does, and decodes character
// references (named ones in common use, &#NN; and &#xHH;). Input and output
// are UTF-8; it never fails.
#pragma once

#include <string>
#include <string_view>

namespace cxmap::email {

std::string html_to_text(std::string_view html);

// Appends the UTF-8 encoding of code point cp (invalid ones become U+FFFD).
void append_utf8(std::string& out, unsigned long cp);

}  // namespace cxmap::email
