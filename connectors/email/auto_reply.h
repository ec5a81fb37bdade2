// Mail that no person wrote: auto-replies, bounces and other machine
// messages, recognised from the top-level header so they can be skipped with
// a reason instead of being read as customer feedback.
//
// Signals, checked in this order; the first that fires gives the reason:
//  1. Content-Type multipart/report (RFC 6522), or message/delivery-status:
//     "bounce (multipart/report; report-type=delivery-status)",
//     "read receipt (multipart/report; report-type=disposition-notification)",
//     else (no or another report-type) "automated report (multipart/report...)"
//     unless rule 2 names it a bounce.
//  2. From a mailer daemon: local part "mailer-daemon" (or a display name
//     "MAILER DAEMON" with no address): "bounce (From: MAILER-DAEMON@host)".
//     From "postmaster" only together with a bounce subject ("Undeliverable",
//     "Delivery Status Notification", "failure notice", "Returned mail", ...)
//     or an empty Return-Path (<>) or a multipart/report: a shop's
//     postmaster can be a customer.
//  3. Auto-Submitted (RFC 3834) with any value but "no":
//     "auto-reply (Auto-Submitted: auto-replied)", or for auto-generated and
//     auto-notified "automated message (Auto-Submitted: auto-generated)".
//  4. X-Autoreply or X-Autorespond present and not "no"/"false"/"0":
//     "auto-reply (X-Autoreply: yes)".
//  5. Precedence bulk, junk or auto_reply together with an out-of-office or
//     automatic-reply subject ("Out of Office", "Automatic reply",
//     "Abwesenheitsnotiz", "Réponse automatique", ...):
//     "auto-reply (Precedence: bulk; Subject: Out of Office: ...)".
// Not signals on their own: an out-of-office subject (a customer may write
// "Out of office hours support was useless"), Precedence bulk or list (list
// mail is written by people), X-Auto-Response-Suppress (a request, not a
// mark), words in the body, and anything inside a forwarded message.
#pragma once

#include <string>
#include <vector>

#include "connectors/email/mail_headers.h"

namespace cxmap::email {

// The reason to skip a message with this header, or "" when a person wrote it.
std::string automatic_message_reason(const std::vector<HeaderField>& fields);

// True if a (decoded) subject reads as an out-of-office or automatic reply.
bool is_out_of_office_subject(std::string_view subject);

}  // namespace cxmap::email
