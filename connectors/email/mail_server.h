// Mail servers (the pop3 and imap kinds): the settings both read from the
// config entry, and the connection both open. Internal to connectors/email.
//
// Settings are the source's config entry (SourceSpec::settings, JSON):
//   host             server name or address (required)
//   port             default 110 / 143, or 995 / 993 with "tls"
//   user             login name (required)
//   password_env     NAME of the environment variable holding the password
//                    (required); a "password" key is refused, so a password
//                    never sits in a config file in clear
//   tls              true: TLS from the first byte (pop3s, imaps)
//   starttls         true: plain connect, then STLS / STARTTLS; a server that
//                    refuses it is an error (never a silent fall back to clear)
//   ca_file          PEM file of extra CA certificates to trust (a private CA
//                    or a self-signed server); the system CAs are always trusted
//   timeout_seconds  connect, read and write timeout (default 30)
//   delete_after     pop3 only (see pop3_source.cpp)
//   folders          imap only (default ["INBOX"])
// Every problem is a config error naming the source and the key. Certificates
// are always verified (chain and host name): there is no switch to turn that
// off. Poco exceptions do not leave mail_server.cpp except from the
// connect/start_tls calls, which the connectors convert in one place.
#pragma once

#include <Poco/Exception.h>
#include <Poco/Net/StreamSocket.h>

#include <cstdint>
#include <string>
#include <vector>

#include "connectors/source.h"
#include "pipeline/result.h"

namespace cxmap::email {

struct MailServerSettings {
  std::string host;
  std::uint16_t port = 0;
  std::string user;
  std::string password_env;
  std::string password;  // the value of $password_env, read at pull() time
  bool tls = false;
  bool starttls = false;
  std::string ca_file;
  int timeout_seconds = 30;
  bool delete_after = false;
  std::vector<std::string> folders;

  // "host:port", for error messages and locators.
  std::string where() const { return host + ":" + std::to_string(port); }
};

// Reads and checks the settings of `spec` (see above); `plain_port` and
// `tls_port` are the kind's default ports.
Result<MailServerSettings> read_mail_settings(const SourceSpec& spec, std::uint16_t plain_port,
                                              std::uint16_t tls_port);

// Connects within the timeout (TLS handshake included when settings.tls) and
// sets the read/write timeouts. Throws Poco::Exception.
Poco::Net::StreamSocket connect_mail_server(const MailServerSettings& settings);

// Turns a connected plain socket into a TLS one, after the server accepted
// STLS / STARTTLS; no byte may be buffered on the plain side. Throws.
Poco::Net::StreamSocket start_tls(const Poco::Net::StreamSocket& plain, const MailServerSettings& settings);

// A network or TLS failure for a person: Poco's text, plus a hint when the
// server's certificate was not trusted.
std::string network_error_text(const Poco::Exception& e);

// "\r\n" -> "\n": a message fetched from a server (always CRLF on the wire)
// then hashes like the same message read from an mbox or a Maildir file.
std::string crlf_to_lf(const std::string& bytes);

// A JSON string literal (quotes included) for cursor text.
std::string json_quote(const std::string& s);

}  // namespace cxmap::email
