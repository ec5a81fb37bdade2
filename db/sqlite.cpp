// SQLite wrapper: statements, connections, error conversion.
#include "db/sqlite.h"

namespace cxmap::sql {

static Error sqlite_error(sqlite3* db, std::string_view what) {
  return make_error(ErrorKind::store,
                    std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    if (stmt_) sqlite3_finalize(stmt_);
    db_ = o.db_;
    stmt_ = o.stmt_;
    o.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Statement& Statement::bind(int i, double v) {
  sqlite3_bind_double(stmt_, i, v);
  return *this;
}
Statement& Statement::bind(int i, const std::optional<int>& v) {
  if (v) sqlite3_bind_int64(stmt_, i, *v);
  else sqlite3_bind_null(stmt_, i);
  return *this;
}
Statement& Statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}
Statement& Statement::bind_blob(int i, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(db_, std::string("executing \"") + sqlite3_sql(stmt_) + "\"");
}

namespace {

template <class T, class Read>
Status collect_column(Statement& st, std::vector<T>& out, Read read) {
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return ok_status();
    out.push_back(read(st));
  }
}

}  // namespace

Status Statement::collect(std::vector<std::int64_t>& out) {
  return collect_column(*this, out, [](const Statement& st) { return st.int64(0); });
}

Status Statement::collect(std::vector<std::string>& out) {
  return collect_column(*this, out, [](const Statement& st) { return st.text(0); });
}

Status Statement::run() {
  for (;;) {
    auto r = step();
    if (!r) {
      reset();
      return r.error();
    }
    if (!*r) break;
  }
  reset();
  return ok_status();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::optional<int> Statement::opt_int(int col) const {
  if (is_null(col)) return std::nullopt;
  return sqlite3_column_int(stmt_, col);
}

std::string Statement::text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::string_view Statement::text_view(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (!p) return {};
  return std::string_view(reinterpret_cast<const char*>(p),
                          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

Result<Connection> Connection::open(const std::string& path, bool read_only) {
  sqlite3* db = nullptr;
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error e = sqlite_error(db, "opening " + path);
    sqlite3_close_v2(db);
    return e;
  }
  Connection c(db, path);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_extended_result_codes(db, 1);
  std::string pragmas = "PRAGMA foreign_keys = ON;";
  if (!read_only) pragmas += "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
  if (auto s = c.exec(pragmas); !s) return s.error();
  return c;
}

Result<Statement> Connection::prepare(std::string_view sql) const {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK)
    return sqlite_error(db_.get(), "preparing \"" + std::string(sql) + "\"");
  return Statement(db_.get(), stmt);
}

PooledStatement::~PooledStatement() {
  if (!st_) return;  // moved from
  st_->reset();
  pool_->idle[sql_].push_back(std::move(st_));
}

Result<PooledStatement> Connection::reuse(std::string_view sql) const {
  std::string key(sql);
  auto it = pool_->idle.find(key);
  if (it != pool_->idle.end() && !it->second.empty()) {
    std::unique_ptr<Statement> st = std::move(it->second.back());
    it->second.pop_back();
    return PooledStatement(pool_.get(), std::move(key), std::move(st));
  }
  auto st = prepare(sql);
  if (!st) return st.error();
  return PooledStatement(pool_.get(), std::move(key), std::make_unique<Statement>(std::move(*st)));
}

Status Connection::exec(const std::string& sql) const {
  char* msg = nullptr;
  int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &msg);
  if (rc != SQLITE_OK) {
    std::string m = msg ? msg : sqlite3_errstr(rc);
    sqlite3_free(msg);
    return make_error(ErrorKind::store, path_ + ": " + m);
  }
  return ok_status();
}

}  // namespace cxmap::sql
