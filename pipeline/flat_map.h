// FlatMap: a string -> value hash map for the tagger's hot lookups.
//
// Every token is looked up in the valence and emotion vocabularies and the
// stem cache; with std::unordered_map those lookups (a byte-wise hash, a
// pointer chase per bucket, a node per entry) were the largest share of
// tagging time. This map hashes eight bytes at a time, keeps open-addressed
// slots (hash tag + index) in one array with linear probing at load <= 1/2,
// and keeps keys and values in insertion order in a second array. Built at
// load time, read concurrently afterwards (find is const and allocates
// nothing). Pointers from find() stay valid until the next insertion.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxmap {

inline std::uint64_t flat_hash(std::string_view s) {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (s.size() * 0xff51afd7ed558ccdull);
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  std::uint64_t w = 0;
  std::memcpy(&w, p, n);
  h = (h ^ w) * 0x94d049bb133111ebull;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  return h ^ (h >> 32);
}

template <typename V>
class FlatMap {
 public:
  const V* find(std::string_view key) const {
    if (slots_.empty()) return nullptr;
    const std::uint64_t h = flat_hash(key);
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.index == 0) return nullptr;
      if (s.tag == tag && items_[s.index - 1].first == key) return &items_[s.index - 1].second;
    }
  }
  V* find(std::string_view key) { return const_cast<V*>(std::as_const(*this).find(key)); }

  // The value for key, inserted default-constructed when missing.
  V& operator[](std::string_view key) {
    if (V* v = find(key)) return *v;
    if ((items_.size() + 1) * 2 > slots_.size()) grow();
    items_.emplace_back(std::string(key), V{});
    place(flat_hash(key), static_cast<std::uint32_t>(items_.size()));
    return items_.back().second;
  }

  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void clear() {
    items_.clear();
    slots_.clear();
    mask_ = 0;
  }
  // Entries in insertion order.
  const std::vector<std::pair<std::string, V>>& items() const { return items_; }

 private:
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t index = 0;  // into items_ + 1; 0: empty
  };

  void place(std::uint64_t h, std::uint32_t index) {
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_)
      if (slots_[i].index == 0) {
        slots_[i] = {static_cast<std::uint32_t>(h >> 32), index};
        return;
      }
  }

  void grow() {
    const std::size_t n = slots_.empty() ? 16 : slots_.size() * 2;
    slots_.assign(n, Slot{});
    mask_ = n - 1;
    for (std::size_t k = 0; k < items_.size(); ++k)
      place(flat_hash(items_[k].first), static_cast<std::uint32_t>(k + 1));
  }

  std::vector<Slot> slots_;
  std::vector<std::pair<std::string, V>> items_;
  std::size_t mask_ = 0;
};

}  // namespace cxmap
