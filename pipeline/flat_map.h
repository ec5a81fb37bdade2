// FlatMap: a string -> value hash map for the tagger's hot lookups.
//
// Every token is looked up in the valence and emotion vocabularies and the
// stem cache; with std::unordered_map those lookups (a byte-wise hash, a
// pointer chase per bucket, a node per entry) were the largest share of
// tagging time. This map hashes eight bytes at a time, keeps open-addressed
// slots (hash tag + index) in one array with linear probing at load <= 1/2,
// and keeps keys and values in insertion order in a second array. Built at
// load time, read concurrently afterwards (find is const and allocates
// nothing). Pointers from find() stay valid until the next insertion. A
// caller that looks one key up in several maps can hash it once
// (find(key, flat_hash(key))).
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
  // The last 0-7 bytes: two overlapping loads or single bytes, which is
  // cheaper than a memcpy of variable length (most keys are short words).
  std::uint64_t w = 0;
  if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    w = (static_cast<std::uint64_t>(b) << 32) | a;
  } else if (n > 0) {
    w = static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) |
        static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
        static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
  }
  h = (h ^ w) * 0x94d049bb133111ebull;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  return h ^ (h >> 32);
}

// Equality of n bytes, sizeof(Word) <= n <= 2 * sizeof(Word), as a Word
// at each end (they overlap when n is short of twice the width).
template <typename Word>
inline bool ends_equal(const char* a, const char* b, std::size_t n) {
  Word a0, b0, a1, b1;
  std::memcpy(&a0, a, sizeof(Word));
  std::memcpy(&b0, b, sizeof(Word));
  std::memcpy(&a1, a + n - sizeof(Word), sizeof(Word));
  std::memcpy(&b1, b + n - sizeof(Word), sizeof(Word));
  return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

// Equality of two keys of the same length n. Keys are mostly short words,
// for which a call to memcmp cost more than the comparison: up to 16 bytes
// are compared as two overlapping words.
inline bool flat_equal(const char* a, const char* b, std::size_t n) {
  if (n > 16) return std::memcmp(a, b, n) == 0;
  if (n >= 8) return ends_equal<std::uint64_t>(a, b, n);
  if (n >= 4) return ends_equal<std::uint32_t>(a, b, n);
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

template <typename V>
class FlatMap {
 public:
  const V* find(std::string_view key) const { return find(key, flat_hash(key)); }
  // With h = flat_hash(key), for a caller that looks one key up in several
  // maps.
  const V* find(std::string_view key, std::uint64_t h) const {
    if (slots_.empty()) return nullptr;
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.index == 0) return nullptr;
      if (s.tag != tag) continue;
      const std::string& k = items_[s.index - 1].first;
      if (k.size() == key.size() && flat_equal(k.data(), key.data(), key.size())) return &items_[s.index - 1].second;
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
