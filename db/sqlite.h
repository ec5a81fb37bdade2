// A thin RAII wrapper over the SQLite C API: one connection, prepared
// statements, and the conversion of SQLite errors into cxmap Errors.
//
// This is the only file that talks to sqlite3_* directly. Statements are
// always prepared and bound (never built by string concatenation of values),
// so user strings can never change a statement.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pipeline/result.h"

namespace cxmap::sql {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  Statement& operator=(Statement&& o) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binding is 1-based, as in SQLite.
  Statement& bind(int i, std::string_view v);
  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Statement& bind(int i, double v);
  Statement& bind(int i, const std::optional<int>& v);
  Statement& bind_null(int i);
  Statement& bind_blob(int i, std::string_view bytes);

  // Steps once: true when a row is available, false when done. Errors are
  // returned as Error (ErrorKind::store) with SQLite's message.
  Result<bool> step();
  // Steps to the end, for statements that return no rows.
  Status run();
  // Steps to the end, appending column 0 of every row to `out` (ids, keys).
  Status collect(std::vector<std::int64_t>& out);
  Status collect(std::vector<std::string>& out);
  void reset();

  std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  int integer(int col) const { return sqlite3_column_int(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::optional<int> opt_int(int col) const;
  std::string text(int col) const;
  // The column's text without a copy; valid until the next step() or reset().
  std::string_view text_view(int col) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

struct StatementPool;

// A statement lent by Connection::reuse(): it goes back to the connection's
// pool, reset and unbound, when the lease ends.
class PooledStatement {
 public:
  PooledStatement(StatementPool* pool, std::string sql, std::unique_ptr<Statement> st)
      : pool_(pool), sql_(std::move(sql)), st_(std::move(st)) {}
  PooledStatement(PooledStatement&&) noexcept = default;
  PooledStatement& operator=(PooledStatement&&) = delete;
  PooledStatement(const PooledStatement&) = delete;
  PooledStatement& operator=(const PooledStatement&) = delete;
  ~PooledStatement();

  Statement* operator->() const { return st_.get(); }
  Statement& operator*() const { return *st_; }

 private:
  StatementPool* pool_;
  std::string sql_;
  std::unique_ptr<Statement> st_;
};

// Prepared statements kept per SQL text for reuse. Several leases of the
// same text at once (a nested loop) each get their own statement.
struct StatementPool {
  std::unordered_map<std::string, std::vector<std::unique_ptr<Statement>>> idle;
};

class Connection {
 public:
  // Opens (creating when allowed) the database file with WAL journaling and
  // foreign keys on. busy_timeout lets readers and the writer wait briefly.
  static Result<Connection> open(const std::string& path, bool read_only);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;

  Result<Statement> prepare(std::string_view sql) const;
  // A prepared statement for sql from this connection's pool, prepared on
  // first use: for statements run once per customer, feedback or event,
  // where preparing each time cost more than running them.
  Result<PooledStatement> reuse(std::string_view sql) const;
  Status exec(const std::string& sql) const;  // for migrations and pragmas
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }
  sqlite3* handle() const { return db_.get(); }
  const std::string& path() const { return path_; }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  Connection(sqlite3* db, std::string path)
      : db_(db), path_(std::move(path)), pool_(std::make_unique<StatementPool>()) {}
  std::unique_ptr<sqlite3, Closer> db_;
  std::string path_;
  // After db_, so pooled statements are finalized before the connection closes.
  std::unique_ptr<StatementPool> pool_;
};

}  // namespace cxmap::sql
