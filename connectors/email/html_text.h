// HTML to plain text for mail bodies that have no text/plain part.
//
// Not a browser: a single pass over the markup that
//  - drops <script>, <style>, <head> (ended by </head> or <body>), <title>
//    and <blockquote> (quoted replies) with their content, and comments;
//  - turns block tags (<br>, <p>, <div>, <tr>, headings, ...) into line
//    breaks, with a blank line after paragraphs, headings, tables and lists;
//  - writes list items on their own line: "- " in <ul>, "1. ", "2. ", ... in
//    <ol> (honouring start="N"), nested lists counted separately;
//  - separates table cells and other inline tags with a space, collapses
//    white space as HTML does, except inside <pre> (line breaks and runs of
//    spaces kept); every line is trimmed at the end;
//  - decodes character references: the HTML 4 named set plus &apos;, &#NN;
//    and &#xHH; (0x80-0x9F read as windows-1252, as HTML5 does); &nbsp;
//    becomes a space and &shy; disappears.
// Input and output are UTF-8; linear in the input; it never fails.
#pragma once

#include <string>
#include <string_view>

namespace cxmap::email {

std::string html_to_text(std::string_view html);

// The charset an HTML document declares in its first 4 KB
// (<meta charset="..."> or <meta http-equiv content="...; charset=...">),
// or "" if none.
std::string html_charset(std::string_view html);

// Appends the UTF-8 encoding of code point cp (invalid ones become U+FFFD).
void append_utf8(std::string& out, unsigned long cp);

}  // namespace cxmap::email
