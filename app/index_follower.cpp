// The index follower's thread: one catch-up pass per request (db/index.h
// index_new_events), requests that pile up while a pass runs are served by
// the next single pass.
#include "app/index_follower.h"

#include <chrono>
#include <exception>

#include "pipeline/elapsed.h"

namespace cxmap {

Result<std::unique_ptr<IndexFollower>> IndexFollower::start(const std::string& data_dir, Index& index) {
  auto store = Store::open(data_dir, OpenMode::read_only);
  if (!store) return store.error();
  std::unique_ptr<IndexFollower> f(new IndexFollower(std::move(*store), index));
  if (index.shard_count() > 1)
    for (int k = 0; k < index.shard_count(); ++k) {
      auto shard_store = Store::open(data_dir, OpenMode::read_only);
      if (!shard_store) return shard_store.error();
      f->shard_stores_.push_back(std::move(*shard_store));
    }
  f->thread_ = std::thread([raw = f.get()] { raw->run(); });
  return f;
}

IndexFollower::IndexFollower(Store store, Index& index) : store_(std::move(store)), index_(index) {}

IndexFollower::~IndexFollower() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t IndexFollower::request() {
  std::uint64_t ticket;
  {
    std::lock_guard lock(mutex_);
    ticket = ++requested_;
  }
  changed_.notify_all();
  return ticket;
}

Status IndexFollower::wait(std::uint64_t ticket) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return done_ >= ticket || !error_.message.empty(); });
  if (!error_.message.empty()) return error_;
  return ok_status();
}

Status IndexFollower::wait() {
  std::uint64_t all;
  {
    std::lock_guard lock(mutex_);
    all = requested_;
  }
  return wait(all);
}

std::int64_t IndexFollower::indexed() const {
  std::lock_guard lock(mutex_);
  return indexed_;
}

double IndexFollower::busy_seconds() const {
  std::lock_guard lock(mutex_);
  return busy_seconds_;
}

Result<std::int64_t> IndexFollower::pass(double& seconds) {
  const auto started = std::chrono::steady_clock::now();
  if (shard_stores_.empty()) {
    auto n = index_new_events(store_, index_);
    seconds = seconds_since(started);
    return n;
  }
  auto up_to = store_.max_event_id();
  if (!up_to) return up_to.error();
  const int n = index_.shard_count();
  std::vector<Result<std::int64_t>> done(static_cast<std::size_t>(n), std::int64_t{0});
  std::vector<double> thread_seconds(static_cast<std::size_t>(n), 0.0);
  std::vector<std::thread> threads;
  for (int k = 0; k < n; ++k)
    threads.emplace_back([&, k] {
      const auto thread_started = std::chrono::steady_clock::now();
      try {
        done[static_cast<std::size_t>(k)] = index_shard_events(shard_stores_[static_cast<std::size_t>(k)], index_, k, *up_to);
      } catch (const std::exception& e) {
        done[static_cast<std::size_t>(k)] = make_error(ErrorKind::store, std::string("index follower: ") + e.what());
      }
      thread_seconds[static_cast<std::size_t>(k)] = seconds_since(thread_started);
    });
  for (auto& t : threads) t.join();
  seconds = 0;
  for (double x : thread_seconds) seconds += x;
  std::int64_t total = 0;
  for (auto& d : done) {
    if (!d) return d.error();
    total += *d;
  }
  return total;
}

void IndexFollower::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || requested_ > done_; });
    if (requested_ == done_ || !error_.message.empty()) {
      if (stopping_) return;
      continue;
    }
    // Every request made before the pass starts is covered by it: the pass
    // reads all events committed by then.
    const std::uint64_t serving = requested_;
    lock.unlock();
    double took = 0;
    Result<std::int64_t> n = make_error(ErrorKind::store, "index follower: pass did not run");
    try {
      n = pass(took);
    } catch (const std::exception& e) {
      n = make_error(ErrorKind::store, std::string("index follower: ") + e.what());
    }
    lock.lock();
    busy_seconds_ += took;
    if (n) {
      indexed_ += *n;
      done_ = serving;
    } else {
      error_ = n.error();
    }
    changed_.notify_all();
  }
}

}  // namespace cxmap
