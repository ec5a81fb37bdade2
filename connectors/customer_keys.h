// Customer keys: one identity per customer across sources, so that an email,
// a chat and a survey answer of the same person form one journey.
//
// normalize_customer_key(): an email address (also "Name <addr>") is
// lowercased; a phone number becomes "+<digits>" when written with a country
// code ("+44 7700 900123", "0044 7700 900123") and "<digits>" otherwise
// ("07700 900123" -> "07700900123"); anything else (an account id) is kept,
// trimmed. CustomerAliases maps normalised keys to one chosen key, from the
// optional top-level "customers" section of a sources config:
//   {"customers": {"aliases": {"ACC-1234": "maria.lopez@example.com",
//                              "+447700900123": "maria.lopez@example.com"}}}
// Both sides are normalised; a target that is itself an alias is followed
// (cycles are a config error).
//
// Privacy mode: with "customers": {"hmac_key_env": "NAME"} (or "hmac_key_file":
// a file readable by its owner only), resolve() returns "hmac:" and the first
// 128 bits of HMAC-SHA256(key, resolved key) in hex instead of the identity,
// so journeys still join across channels but the store holds no address or
// phone number. The same key must be given to every command that names a
// customer (ingest, schedule, forget --config).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "pipeline/result.h"

namespace cxmap {

std::string normalize_customer_key(std::string_view raw);

class CustomerAliases {
 public:
  // Adds one alias; false when alias and target normalise to the same key.
  bool add(std::string_view alias, std::string_view target);
  // The normalised key, mapped through the aliases, then pseudonymised when
  // an HMAC key is set. An empty key stays empty (unknown customer).
  std::string resolve(std::string_view raw) const;
  void set_hmac_key(std::string key) { hmac_key_ = std::move(key); }
  bool pseudonymised() const { return !hmac_key_.empty(); }
  bool empty() const { return map_.empty(); }
  std::size_t size() const { return map_.size(); }
  // Config error when following aliases loops.
  Status check() const;

 private:
  std::map<std::string, std::string> map_;
  std::string hmac_key_;
};

// "hmac:" + 32 hex digits of HMAC-SHA256(key, identity).
std::string hmac_customer_key(const std::string& key, std::string_view identity);

// Reads the "customers" section of a sources config file (none: no aliases,
// no pseudonyms). Errors are ErrorKind::config naming the file and the entry;
// an HMAC key variable that is unset or empty, or a key file that others can
// read, is an error (privacy mode never silently falls back to identities).
Result<CustomerAliases> load_customer_aliases(const std::string& config_path);

}  // namespace cxmap
