// Removes what the customer did not write from a plain-text mail body:
// quoted replies and signatures.
//
// Rules, in order:
//  1. An attribution line ("On <date>, <name> wrote:", possibly wrapped over
//     two lines; also "Am ... schrieb", "Le ... a écrit", "El ... escribió")
//     followed by ">" lines is dropped (the ">" lines go in step 3); followed by
//     anything else, it and everything after it are cut.
//  2. Cut at the first of: an Outlook "-----Original Message-----" line, a
//     "From:" line followed within three lines by "Sent:" or "Date:", a "-- "
//     signature separator, "Sent from my iPhone/Android/...", "Get Outlook for".
//  2a. An inline forward marker ("---------- Forwarded message ---------",
//     "-------- Forwarded Message --------", "Begin forwarded message:") cuts
//     like rule 2 when the customer wrote something above it. With nothing
//     above (a forward without comment) the marker and the forwarded header
//     lines (From:, Date:, Subject:, To:, ...) are dropped and the forwarded
//     text is kept: the same choice as for message/rfc822 parts (mime_body.h).
//  3. Lines starting with ">" are dropped (interleaved replies keep the
//     customer's lines in between).
//  4. A trailing sign-off ("Kind regards,", "Thanks,", ...) followed by at
//     most four short lines (a name, a title) is cut.
//  5. A bare name (up to three capitalised words) after a blank line at the
//     very end, followed by at most three phone, address or short title
//     lines, is cut.
// Line ends become "\n"; the result is trimmed. It never fails; a body that
// is all quote yields "".
#pragma once

#include <string>
#include <string_view>

namespace cxmap::email {

std::string strip_reply(std::string_view body);

}  // namespace cxmap::email
