// Result<T>: how errors cross module borders in cxmap.
//
// A function that can fail returns Result<T>: either a value or an Error with
// a kind (which maps to one CLI exit code) and a message meant for a person,
// naming the file, line or entry at fault. Exceptions from third-party
// libraries are converted to Error at the one wrapper per library; they never
// cross a module border. This is a small stand-in for std::expected (C++23),
// which g++ 12 does not ship.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace cxmap {

enum class ErrorKind {
  usage,      // bad command line or query: exit 2
  config,     // bad configuration or journey definition: exit 3
  input,      // a source could not be read at all: exit 4
  store,      // SQLite or Xapian failed: exit 5
  busy,       // another process holds the data dir's writer lock: exit 6
  internal,   // a bug: exit 70
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;
};

inline Error make_error(ErrorKind kind, std::string message) {
  return Error{kind, std::move(message)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() { return Ok{}; }

}  // namespace cxmap
