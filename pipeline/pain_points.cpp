// Pain-point detection. Durations are parsed from tokens because number words
// and units vary too much for one readable regex; the other kinds are RE2
// patterns, one per kind, all found in one scan of the sentence (a
// PatternBank: linear time, compiled once per process).
#include "pipeline/pain_points.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <string>
#include <utility>

#include "pipeline/flat_map.h"
#include "pipeline/pattern_bank.h"
#include "pipeline/word_facts.h"

namespace cxmap {

namespace {

double number_word(std::string_view w) {
  static const FlatMap<double> words = [] {
    FlatMap<double> m;
    for (const auto& [word, value] : std::initializer_list<std::pair<std::string_view, double>>{
             {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6}, {"seven", 7},
             {"eight", 8}, {"nine", 9}, {"ten", 10}, {"eleven", 11}, {"twelve", 12}, {"thirteen", 13},
             {"fourteen", 14}, {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18},
             {"nineteen", 19}, {"twenty", 20}, {"thirty", 30}, {"forty", 40}, {"fifty", 50},
             {"sixty", 60}, {"seventy", 70}, {"eighty", 80}, {"ninety", 90}, {"a", 1}, {"an", 1},
             {"several", 3}, {"few", 3}, {"couple", 2}, {"dozen", 12}})
      m[word] = value;
    return m;
  }();
  const double* v = words.find(w);
  return v ? *v : 0;
}

// "45min", "2hrs", "1.5h"
double glued(std::string_view w) {
  std::size_t i = 0;
  while (i < w.size() && ((w[i] >= '0' && w[i] <= '9') || w[i] == '.')) ++i;
  if (i == 0 || i == w.size()) return 0;
  double u = unit_minutes(w.substr(i));
  if (u == 0) return 0;
  return std::strtod(std::string(w.substr(0, i)).c_str(), nullptr) * u;
}

bool is_number_token(const Token& t, double& v) {
  if (t.kind == TokenKind::number) {
    std::string s;
    for (char c : t.folded)
      if (c != ',') s += c;
    v = std::strtod(s.c_str(), nullptr);
    return v > 0;
  }
  v = number_word(t.folded);
  return v > 0;
}

// Indexes of the non-punctuation tokens, except that a hyphen joins
// number words ("forty-five") by simply being skipped. Written into `w`
// (each caller keeps its own buffer, so nothing is allocated per sentence).
void word_indexes(const std::vector<Token>& t, std::vector<std::size_t>& w) {
  w.clear();
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i].kind != TokenKind::punct) w.push_back(i);
}

}  // namespace

int weekday_of(std::string_view iso) {
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return -1;
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return -1;
      v = v * 10 + (iso[i] - '0');
    }
    return v;
  };
  int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return -1;
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return -1;
  return static_cast<int>(std::chrono::weekday(std::chrono::sys_days(ymd)).c_encoding());
}

namespace {

int weekday_word(std::string_view w) {
  static const std::string_view names[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
  for (int i = 0; i < 7; ++i)
    if (w == names[i] || (w.size() == 3 && names[i].substr(0, 3) == w)) return i;
  return -1;
}

}  // namespace

// True when some word is a time unit, alone or glued to its number ("45min",
// "1.5h"): every duration below ends in one, except "since <day>", which
// needs a reference date. Most sentences have none and stop here, before
// number words and cues are read for every token (the sentiment scorer asks
// find_wait() about every sentence).
bool names_time_unit(const std::vector<Token>& tokens) {
  for (const Token& t : tokens)
    if (t.kind != TokenKind::punct && names_time_unit_of(t)) return true;
  return false;
}

namespace {

// find_durations() over w = word_indexes(tokens), which find_wait() also
// needs: each computes it once.
std::vector<Duration> durations_in(const std::vector<Token>& tokens, const std::vector<std::size_t>& w,
                                   std::string_view reference_date) {
  std::vector<Duration> out;
  auto word = [&](std::size_t k) -> std::string_view {
    return k < w.size() ? std::string_view(tokens[w[k]].folded) : std::string_view();
  };
  const int ref_wd = reference_date.empty() ? -1 : weekday_of(reference_date);
  for (std::size_t k = 0; k < w.size(); ++k) {
    if (ref_wd >= 0 && word(k) == "since" && k + 1 < w.size()) {
      std::size_t j = k + 1;
      if (word(j) == "last" && k + 2 < w.size()) ++j;
      int wd = weekday_word(word(j));
      int days = wd >= 0 ? (ref_wd - wd + 7) % 7 : (word(j) == "yesterday" ? 1 : -1);
      if (wd >= 0 && days == 0) days = 7;
      if (days > 0) {
        out.push_back({days * 1440.0, w[k], w[j]});
        k = j;
        continue;
      }
    }
    if (double g = glued(word(k)); g > 0) {
      out.push_back({g, w[k], w[k]});
      continue;
    }
    std::size_t j = k;
    double factor = 1;
    if (word(j) == "half" && (word(j + 1) == "an" || word(j + 1) == "a")) {
      factor = 0.5;
      j += 1;
    }
    double n = 0;
    if (word(j) == "a" && word(j + 1) == "couple" && word(j + 2) == "of") {
      n = 2;
      j += 3;
    } else if (word(j) == "a" && word(j + 1) == "few") {
      n = 3;
      j += 2;
    } else if (word(j) == "couple" && word(j + 1) == "of") {
      n = 2;
      j += 2;
    } else if (j < w.size() && is_number_token(tokens[w[j]], n)) {
      ++j;
      double units = 0;
      if (n >= 20 && n < 100 && static_cast<int>(n) % 10 == 0 && j < w.size() &&
          tokens[w[j]].kind != TokenKind::number && (units = number_word(word(j))) > 0 && units < 10 &&
          word(j) != "a" && word(j) != "an") {
        n += units;  // forty five, forty-five
        ++j;
      }
    } else {
      continue;
    }
    if (word(j) == "and" && word(j + 1) == "a" && word(j + 2) == "half") {
      n += 0.5;  // one and a half hours
      j += 3;
    }
    double u = unit_minutes(word(j));
    if (u == 0) {
      // "45 more minutes", "20 long minutes"
      if (j + 1 < w.size() && (word(j) == "more" || word(j) == "long" || word(j) == "whole" || word(j) == "full"))
        u = unit_minutes(word(++j));
      if (u == 0) continue;
    }
    double minutes = n * u * factor;
    std::size_t last = j;
    double n2 = 0, u2 = 0;
    if (word(j + 1) == "and" && word(j + 2) == "a" && word(j + 3) == "half") {
      minutes += 0.5 * u;  // an hour and a half
      last = j + 3;
    } else if (word(j + 1) == "and" && j + 2 < w.size() && is_number_token(tokens[w[j + 2]], n2) &&
               (u2 = unit_minutes(word(j + 3))) > 0 && u2 < u) {
      minutes += n2 * u2;  // one hour and 20 minutes
      last = j + 3;
    }
    out.push_back({minutes, w[k], w[std::min(last, w.size() - 1)]});
    k = last;
  }
  return out;
}

}  // namespace

std::vector<Duration> find_durations(const std::vector<Token>& tokens, std::string_view reference_date) {
  if (reference_date.empty() && !names_time_unit(tokens)) return {};
  thread_local std::vector<std::size_t> w;
  word_indexes(tokens, w);
  return durations_in(tokens, w, reference_date);
}

namespace {

// What makes a duration a wait. A duration alone is not one: "we spent two
// weeks in France", "for two weeks I used it happily", "a two-week trial".
// It is one when a waiting word sits near it in the same clause (on hold,
// waited, the queue, in line, hung on, get through), when it is what
// something took ("it took three days to get a reply"; not "I took two weeks
// off"), or when the sentence is about an answer that did not come: "for ...
// before anyone answered", "after three days I got an answer", "two weeks
// later they replied", "since Monday with no reply", "the callback came two
// hours late", "two weeks for a reply".
constexpr std::size_t kWaitWindow = 8;  // words between a waiting word and the duration

// What a word can mean to find_wait(), as bits: a sentence with a duration
// is read with one lookup per word (by its folded form and by its stem)
// instead of a chain of comparisons.
enum WaitRole : std::uint32_t {
  kWaitingStem = 1u << 0,   // hold, wait, queue: a waiting word (except "holder")
  kHolder = 1u << 1,        // holder, holders
  kHeldHung = 1u << 2,      // held, hung: waiting when "for" or "on" follows
  kLine = 1u << 3,          // line: waiting in "in line", "on the line"
  kThrough = 1u << 4,       // through: waiting in "get through"; a contact after "until"
  kReplyStem = 1u << 5,     // reply, response, answer, heard, callback, acknowledge
  kBack = 1u << 6,          // back: a reply after get, got, call, called
  kGetCall = 1u << 7,       // get, got, call, called
  kStill = 1u << 8,         // still, nothing
  kNegation = 1u << 9,      // no, not, never, nobody, without, nothing
  kContactStem = 1u << 10,  // email, call, phone, rang, contact, ticket, complaint, message, wrote, chase, letter
  kUntil = 1u << 11,        // before, until, till
  kContactAfter = 1u << 12  // a contact after "until": anyone, agent, answered, spoke, got through, picked up...
};

void mark(FlatMap<std::uint32_t>& m, std::initializer_list<std::string_view> words, std::uint32_t role) {
  for (std::string_view w : words) m[w] |= role;
}

std::uint32_t wait_roles(const Token& t) {
  static const FlatMap<std::uint32_t> by_folded = [] {
    FlatMap<std::uint32_t> m;
    mark(m, {"holder", "holders"}, kHolder);
    mark(m, {"held", "hung"}, kHeldHung);
    mark(m, {"line"}, kLine);
    mark(m, {"through"}, kThrough);
    mark(m, {"back"}, kBack);
    mark(m, {"get", "got", "call", "called"}, kGetCall);
    mark(m, {"still", "nothing"}, kStill);
    mark(m, {"no", "not", "never", "nobody", "without", "nothing"}, kNegation);
    mark(m, {"before", "until", "till"}, kUntil);
    mark(m, {"anyone", "someone", "somebody", "anybody", "agent", "human", "person", "through", "spoke", "giving",
          "gave", "hung", "picked", "getting", "got"},
         kContactAfter);
    return m;
  }();
  static const FlatMap<std::uint32_t> by_stem = [] {
    FlatMap<std::uint32_t> m;
    mark(m, {"hold", "wait", "queue", "queu"}, kWaitingStem);
    mark(m, {"repli", "respons", "respond", "answer", "heard", "callback", "acknowledg"}, kReplyStem);
    mark(m, {"email", "call", "phone", "rang", "contact", "ticket", "complaint", "messag", "wrote", "chase", "letter"},
         kContactStem);
    mark(m, {"answer", "repli", "respond", "speak", "talk", "connect", "hang", "pick"}, kContactAfter);
    return m;
  }();
  std::uint32_t r = 0;
  if (const std::uint32_t* f = by_folded.find(t.folded)) r |= *f;
  if (const std::uint32_t* s = by_stem.find(t.stem)) r |= *s;
  return r;
}

bool is_wait_cue(const std::vector<Token>& t, const std::vector<std::size_t>& w, std::size_t k, std::uint32_t roles) {
  auto word = [&](std::size_t j) -> std::string_view {
    return j < w.size() ? std::string_view(t[w[j]].folded) : "";
  };
  if (roles & kWaitingStem) return !(roles & kHolder);
  if (roles & kHeldHung) return word(k + 1) == "for" || word(k + 1) == "on";
  // "in line", "on the line", not "the phone line cut me off"
  if (roles & kLine)
    return k > 0 && (word(k - 1) == "in" ||
                     (word(k - 1) == "the" && k > 1 && (word(k - 2) == "on" || word(k - 2) == "in")));
  if (roles & kThrough)
    return k > 0 && (word(k - 1) == "get" || word(k - 1) == "got" || word(k - 1) == "getting");
  return false;
}

bool is_take(std::string_view f) {
  return f == "take" || f == "takes" || f == "took" || f == "taking" || f == "taken";
}

// Words that end a clause: a waiting word beyond one does not reach the
// duration ("I've had it for two months and waited an hour").
bool is_boundary(const Token& t) {
  if (t.kind == TokenKind::punct)
    return t.folded == ";" || t.folded == "." || t.folded == "!" || t.folded == "?";
  return t.folded == "and" || t.folded == "but";
}

// Durations of a pastime or an offer, not of waiting ("the flight took two
// hours", "a two-week trial"): when one of these is near, only a waiting
// word makes the duration a wait.
bool is_activity(std::string_view f) {
  static const std::string_view words[] = {"holiday", "holidays",  "vacation", "trip",  "trips",   "flight",
                                           "journey", "honeymoon", "cruise",   "film",  "movie",   "meeting",
                                           "lesson",  "class",     "course",   "trial", "workout", "drive",
                                           "ride",    "walk",      "stay"};
  return std::find(std::begin(words), std::end(words), f) != std::end(words);
}

}  // namespace

std::optional<Duration> find_wait(const std::vector<Token>& tokens, std::string_view reference_date) {
  if (reference_date.empty() && !names_time_unit(tokens)) return std::nullopt;
  thread_local std::vector<std::size_t> w;
  word_indexes(tokens, w);
  const std::vector<Duration> durations = durations_in(tokens, w, reference_date);
  if (durations.empty()) return std::nullopt;
  auto word = [&](std::size_t k) -> std::string_view {
    return k < w.size() ? std::string_view(tokens[w[k]].folded) : "";
  };
  std::vector<std::size_t> pos(tokens.size(), SIZE_MAX);  // token index -> word index
  for (std::size_t k = 0; k < w.size(); ++k) pos[w[k]] = k;

  thread_local std::vector<std::uint32_t> roles;
  roles.resize(w.size());
  for (std::size_t k = 0; k < w.size(); ++k) roles[k] = wait_roles(tokens[w[k]]);

  std::vector<std::size_t> replies;  // word indexes of reply words
  bool has_reply = false, has_still = false, has_contact = false, has_negation = false,
       before_contact = false;
  std::vector<std::size_t> cues;  // word indexes of waiting words
  for (std::size_t k = 0; k < w.size(); ++k) {
    const Token& t = tokens[w[k]];
    const std::uint32_t r = roles[k];
    if (is_wait_cue(tokens, w, k, r)) cues.push_back(k);
    if ((r & kReplyStem) || ((r & kBack) && k > 0 && (roles[k - 1] & kGetCall))) {
      has_reply = true;
      replies.push_back(k);
    }
    if (r & kStill) has_still = true;
    if ((r & kNegation) || (t.folded.size() > 3 && t.folded.compare(t.folded.size() - 3, 3, "n't") == 0))
      has_negation = true;
    if (r & kContactStem) has_contact = true;
    // "... before anyone answered", "until I got through": the wait ended in a contact.
    if (r & kUntil)
      for (std::size_t j = k + 1; j < w.size() && j <= k + 3; ++j)
        if (roles[j] & kContactAfter) before_contact = true;
  }

  std::optional<Duration> best;
  for (const Duration& d : durations) {
    const std::size_t first = pos[d.first], last = pos[d.last];
    if (first == SIZE_MAX || last == SIZE_MAX) continue;
    // A waiting word in the same clause, within the window either side.
    bool near_cue = false, near_activity = false;
    for (std::size_t c : cues) {
      std::size_t from = c < first ? c : last, to = c < first ? first : c;
      if (c >= first && c <= last) continue;
      if (to - from > kWaitWindow) continue;
      bool crossed = false;
      for (std::size_t i = w[from] + 1; i < w[to] && !crossed; ++i) crossed = is_boundary(tokens[i]);
      if (!crossed) near_cue = true;
    }
    for (std::size_t k = first >= 3 ? first - 3 : 0; k < w.size() && k <= last + 3; ++k)
      near_activity |= is_activity(word(k));
    // What something took: "it took (me) three days", "the reply took a
    // week", "chat took a while to connect (about 15 minutes)"; "I took two
    // weeks off" is the customer's own time.
    bool took = false;
    for (std::size_t k = first >= kWaitWindow ? first - kWaitWindow : 0; k < first; ++k)
      if (is_take(word(k))) {
        std::string_view subject = k > 0 ? word(k - 1) : "";
        bool own = subject == "i" || subject == "we" || subject == "i've" || subject == "we've";
        bool crossed = false;
        for (std::size_t i = w[k] + 1; i < w[first] && !crossed; ++i) crossed = is_boundary(tokens[i]);
        if (!own && !crossed) took = true;
      }
    std::string_view prev = first > 0 ? word(first - 1) : "", prev2 = first > 1 ? word(first - 2) : "";
    std::string_view next = word(last + 1);
    // Time spent getting hold of the company is a wait too: "spent over six
    // hours on the phone", "spent a week chasing them".
    bool spent_on_contact = false;
    if (prev == "spent" || prev2 == "spent" || prev == "spend" || prev2 == "spend" || prev == "spending" ||
        prev2 == "spending") {
      std::string_view a = word(last + 1), b = word(last + 2), c = word(last + 3);
      auto channel = [](std::string_view x) {
        return x == "phone" || x == "phones" || x == "telephone" || x == "line" || x == "helpline" ||
               x == "calls" || x == "call" || x == "chat" || x == "hold";
      };
      spent_on_contact = (a == "on" && (channel(b) || (b == "the" && channel(c)))) || a == "chasing" ||
                         a == "trying" || a == "calling" || a == "phoning" || a == "ringing" ||
                         a == "emailing";
    }
    // "the callback came two hours late": the reply itself was late, not a
    // parcel in a sentence that also mentions an email.
    bool reply_late = false;
    if (next == "late")
      for (std::size_t r : replies)
        if (r < first && first - r <= kWaitWindow) {
          bool crossed = false;
          for (std::size_t i = w[r] + 1; i < w[first] && !crossed; ++i) crossed = is_boundary(tokens[i]);
          reply_late |= !crossed;
        }
    bool ctx = near_cue || (took && !near_activity) || spent_on_contact || reply_late;
    if (!near_activity) {
      if ((prev == "after" || prev2 == "after") && has_reply) ctx = true;
      if (next == "later" && (has_reply || before_contact)) ctx = true;
      if (next == "for" && has_reply) ctx = true;  // "two weeks for a reply"
      if (tokens[d.first].folded == "since" && (has_reply || (has_still && has_contact))) ctx = true;
      // "for two weeks ... with no reply": the reply must be one that did not come.
      if ((prev == "for" || prev2 == "for" || prev == "over" || prev == "nearly" || prev == "almost") &&
          (before_contact || (has_reply && has_negation)))
        ctx = true;
    }
    // "in under a minute", "within 14 days": how quick, or a deadline, not how long.
    if (prev == "under" || prev == "within" || prev == "inside" || (prev == "than" && prev2 == "less"))
      ctx = false;
    if (ctx && (!best || d.minutes > best->minutes)) best = d;
  }
  return best;
}

namespace {

// The alternatives of one pain kind joined into one pattern.
std::string joined(std::initializer_list<const char*> patterns) {
  std::string out;
  for (const char* p : patterns) {
    if (!out.empty()) out += '|';
    out += "(?:";
    out += p;
    out += ')';
  }
  return out;
}

const char* const kNot = R"((?:n't|n’t|\bnot|\bnever|\bno))";

double transfer_count(const std::vector<Token>& tokens) {
  // "transferred three times", "passed between four agents", "5 different people"
  thread_local std::vector<std::size_t> w;
  word_indexes(tokens, w);
  for (std::size_t k = 0; k + 1 < w.size(); ++k) {
    double n = 0;
    if (!is_number_token(tokens[w[k]], n) || tokens[w[k]].folded == "a" || tokens[w[k]].folded == "an") continue;
    std::size_t j = k + 1;
    if (tokens[w[j]].folded == "different" || tokens[w[j]].folded == "separate" || tokens[w[j]].folded == "other") {
      if (j + 1 >= w.size()) continue;
      ++j;
    }
    const std::string& s = tokens[w[j]].stem;
    if (s == "time" || s == "agent" || s == "peopl" || s == "person" || s == "depart" || s == "team" ||
        s == "rep" || s == "repres" || s == "advisor" || s == "advis" || s == "colleagu")
      return n;
  }
  return 1;
}

// Every pain kind's pattern in one bank, so a sentence is scanned once.
enum PainPattern : std::size_t {
  kTransferStrong,
  kTransferWeak,
  kTransferThing,
  kRepeat,
  kDeadEnd,
  kNoResponse,
  kChurn,
  kBroken,
  kEscalation,
  kRepeatContact,
  kPainPatterns
};

struct PainBank {
  PatternBank bank;
  // bank index of each PainPattern; -1 when RE2 rejected it (never matches)
  int index[kPainPatterns];
};

const PainBank& pain_bank() {
  static const PainBank built = [] {
    // A person being passed on, not money or a phone number being moved.
    const std::string transfer_strong = joined({
        R"(\btransferr?(?:ed|ing)? (?:me\b|us\b|(?:\w+ )?(?:times|twice)\b|between|around|back and forth|from one))",
        R"(\btransferr?(?:ed|ing)? (?:me )?to (?:another|a different|yet another|someone|somebody|the \w+ (?:team|department|dept|line)|(?:a |an |the )?(?:agent|manager|supervisor|colleague|specialist|department|team)))",
        R"(\b(?:passed|bounced|shunted|handed|kicked|shuffled|sent)\s+(?:me\s+)?(?:around|between|back and forth|from one|over to another|on to another|to another))",
        R"(\bput (?:me )?through to (?:another|a different))", R"(\btransfers? between (?:agents|departments|teams))"});
    const std::string transfer_weak = joined({R"(\b(?:was|were|got|been|being|get|keep|kept|keeps) (?:\w+ )?transferr?(?:ed|ing)\b)",
                                          R"(\b(?:another|one more|a third|a second|the) transfer\b)"});
    const std::string transfer_thing = joined({
        R"(\b(?:money|funds|cash|payment|refund|balance|amount|sum|credit|number|data|contacts|photos|files|ownership|bank|wire|balance)\b.{0,25}\btransfer)",
        R"(\btransferr?(?:ed|ing|s)?\s+(?:\w+\s+){0,2}(?:money|funds|cash|payment|balance|amount|credit|number|data|contacts|£|€|\$|\d))"});

    const std::string repeat = joined({
        R"(\b(?:explain|explained|explaining|repeat|repeated|repeating|tell|told|telling|go|went|going)\b.{0,40}\b(?:again|all over|every time|each time|to everyone|to each)\b)",
        R"(\b(?:i|we) (?:had to |have to |kept |keep |was made to )?repeat(?:ed|ing)? (?:my|the|myself|everything|all|it)\b)",
        R"(\b(?:made|make|makes|asked|asking|asks) (?:me|us) (?:to )?repeat\b)", R"(\bhad to explain\b)",
        R"(\bstart(?:ed|ing)? (?:from scratch|over|again from)\b)", R"(\bsame (?:questions|information|details|story) (?:again|over)\b)",
        R"(\b(?:give|gave|giving) (?:my|the same) (?:\w+ ){0,2}(?:details|number|information) to (?:two|three|four|five|several|every|each|\d+))"});

    const std::string dead_end_1 =
        std::string(R"(\b(?:faq|faqs|help (?:article|page|centre|center|section)|articles?|chatbot|bot|assistant|links?|guide|tutorial|video|forum|portal|manual|instructions|troubleshooting|app|website|site|search|help)\b.{0,40})") +
        kNot + R"(\s*(?:help|work|answer|cover|explain|mention|say|understand))";
    const std::string dead_end = joined({
        dead_end_1.c_str(),
        R"((?:couldn't|could not|can't|cannot|couldn’t|can’t|unable to|impossible to|no way to)\s+(?:find|locate|get any|work out)\b)",
        R"(\b(?:round|around) in circles\b)", R"(\bno option\b)", R"(\bdead[- ]end\b)",
        R"(\b(?:kept|keeps) (?:looping|sending me back|going back|repeating)\b)", R"(\bnot (?:an|one) option\b)",
        R"(\bnothing (?:helped|worked|useful)\b)", R"(\blooked everywhere\b)", R"(\bout of date\b)",
        R"(\b(?:search|searched|searching)\b.{0,40}\b(?:returns?|returned|found|finds|gave|gives) nothing\b)",
        R"(\bno way to\b)", R"(\b(?:bot|chatbot|assistant)\b.{0,40}\b(?:didn't|did not|doesn't|does not|don't|wouldn't|won't|couldn't|could not)\b)",
        R"(\b(?:bot|chatbot|assistant)\b.{0,30}\bkept (?:saying|repeating|sending|asking)\b)"});

    const std::string no_response = joined({
        R"(\bno (?:reply|response|answer|callback|call back|one (?:called|got|came|rang|replied|responded|answered)))",
        R"(\b(?:never|haven't|have not|hasn't|didn't|did not|still haven't|still have not)\s+(?:heard back|got a reply|received a reply|got back|had a reply|called (?:me )?back|replied|responded|answered))",
        R"(\b(?:nobody|no one|no-one|noone) (?:has |have |had |ever )?(?:called|rang|phoned|got|came|replied|responded|answered|emailed|joined|did)\b)",
        R"(\bheard nothing\b)", R"(\bnothing back\b)", R"(\bignored\b)",
        R"(\bstill waiting for (?:a |an )?(?:reply|response|answer|call))", R"(\bstill waiting for (?:someone|anyone|somebody) to (?:answer|reply|respond|call|get back))",
        R"(\bcall ?back\b.{0,40}\b(?:never (?:came|did|happened)|didn't happen|did not happen|never)\b)",
        R"(\b(?:never|has never been|have never been|was never|were never) (?:been )?(?:answered|acknowledged)\b)"});

    const std::string churn = joined({
        R"(\b(?:cancel|cancell?ing|close|closing|terminate|terminating|end)\s+(?:my|our|the)\s+(?:\w+ )?(?:account|subscription|contract|membership|plan|service|policy)\b)",
        R"(\b(?:switch|switching|switched|move|moving|moved|go|going|take my business)\s+(?:to|elsewhere)\b.{0,30}\b(?:provider|supplier|company|bank|competitor|elsewhere|another|someone else|insurer)\b)",
        R"(\b(?:moved|moving|switched|taken|took) (?:my|our) (?:\w+ ){0,2}(?:to|elsewhere)\b.{0,30}\b(?:another|other|a different|competitor|elsewhere)\b)",
        R"(\b(?:switching|switch) (?:banks|providers|suppliers|insurers|networks)\b)", R"(\bgoing elsewhere\b)",
        R"(\b(?:not|won't|will not|never) (?:be )?renew(?:ing)?\b)",
        R"(\b(?:take|taking) my business (?:elsewhere|to)\b)", R"(\bnever (?:use|using|buy|buying|order|ordering|fly|flying|shop|shopping) (?:you|your|this|them|with|here|there|again)\b)",
        R"(\b(?:leaving|leave) (?:you|for)\b)", R"(\blooking (?:at|for) (?:other|another|alternatives))", R"(\bwill be (?:leaving|switching|cancelling|canceling)\b)",
        R"(\b(?:last|final) (?:time|straw)\b)"});

    const std::string broken = joined({
        R"(\b(?:broken|dead) link\b)", R"(\blink\b.{0,30}\b(?:doesn't|does not|didn't|did not|won't|wouldn't|never) (?:work|open|load))",
        R"(\b(?:error|err) ?(?:404|500|503|code)\b)", R"(\b404\b)", R"(\bpage not found\b)",
        R"(\b(?:error message|an error (?:message|when|each|every|at)|gave (?:me )?an error|threw (?:up )?an error|shows? (?:me )?an error|got an error|showed an error|returns? an error)\b)",
        R"(\b(?:app|website|site|page|form|checkout|portal|payment page|login page)\b.{0,20}\b(?:crash|crashes|crashed|crashing|froze|freezes|frozen|(?:won't|wouldn't|didn't|doesn't|does not|did not) (?:load|submit|open|work)|timed out|times out|is broken|was broken|keeps (?:crashing|freezing|logging me out)))",
        R"(\b(?:keeps|kept) (?:crashing|freezing)\b)",
        R"(\b(?:couldn't|could not|can't|cannot|unable to|wouldn't let me|won't let me|didn't let me)\s+(?:submit|upload|complete the|finish the|check out|load the))",
        R"(\b(?:submit|send|pay|continue|next) button\b.{0,20}\b(?:doesn't|does not|didn't|did not|won't|wouldn't)\b)",
        R"(\b(?:blank|white) (?:page|screen)\b)", R"(\b(?:took|takes|sent|sends|kicked|throws) me (?:straight )?back to the (?:login|log in|sign in|home|start)\b)",
        R"(\bstuck on (?:the )?(?:loading|spinner|payment|verification|login)\b)",
        R"(\b(?:logs|logged|logging|kicks|kicked) me out\b)", R"(\b(?:won't|wouldn't|doesn't|didn't) let me (?:upload|submit|pay|log|sign|continue|finish))"});

    const std::string escalation = joined({
        R"(\bescalat(?:e|ed|es|ing|ion)\b)",
        R"(\b(?:speak|talk|spoke|spoken|talked|put me through|asked|ask|demanded|demand)\s+(?:to|with|for)\s+(?:a|the|your|their|his|her)\s+(?:manager|supervisor|team leader|line manager|senior|someone senior))",
        R"(\bformal complaint\b)", R"(\bombudsman\b)", R"(\btrading standards\b)", R"(\blegal action\b)",
        R"(\bmy (?:solicitor|lawyer)\b)", R"(\breport(?:ed|ing)? (?:you|this|them) to\b)", R"(\bcomplaints? (?:department|team)\b)"});

    const std::string repeat_contact = joined({
        R"(\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th|umpteenth|nth) time (?:i've|i have|i am|i'm|that i've|we've|i)\s*(?:called|contacted|written|emailed|chatted|rung|phoned|had to|reached|been in touch|asked|complained))",
        R"(\b(?:called|phoned|rang|emailed|contacted|written|wrote|chased|messaged|sent|raised)\b(?:\s+[\w']+){0,3}?\s+(?:two|three|four|five|six|several|multiple|many|numerous|countless|\d+)\s+(?:times|emails|messages|letters|tickets)\b)",
        R"(\b(?:called|phoned|rang|emailed|contacted|written|wrote|chased|messaged)\b(?:\s+[\w']+){0,3}?\s+twice\b)",
        R"(\b(?:two|three|four|five|several|multiple) (?:emails|calls|messages|letters|chats)\b)",
        R"(\b(?:keep|kept) having to (?:call|chase|contact|ring|email|phone)\b)", R"(\bcalled (?:back )?again\b)"});
    PainBank b;
    const std::string* in_order[kPainPatterns] = {&transfer_strong, &transfer_weak, &transfer_thing, &repeat,
                                                  &dead_end,        &no_response,   &churn,          &broken,
                                                  &escalation,      &repeat_contact};
    for (std::size_t k = 0; k < kPainPatterns; ++k) b.index[k] = b.bank.add(*in_order[k], nullptr);
    b.bank.compile();
    return b;
  }();
  return built;
}

}  // namespace

std::vector<PainPoint> detect_pain_points(const std::vector<Token>& tokens, std::string_view folded,
                                          std::string_view reference_date) {
  std::vector<PainPoint> out;
  if (auto wait = find_wait(tokens, reference_date)) out.push_back({"long_wait", wait->minutes, "min"});

  const PainBank& pains = pain_bank();
  thread_local std::vector<char> hit;
  pains.bank.matches(folded, hit);
  auto found = [&](PainPattern k) { return pains.index[k] >= 0 && hit[static_cast<std::size_t>(pains.index[k])] != 0; };
  // A person being passed on, not money or a phone number being moved.
  if (found(kTransferStrong) || (found(kTransferWeak) && !found(kTransferThing)))
    out.push_back({"transfer", transfer_count(tokens), "count"});
  if (found(kRepeat)) out.push_back({"repeat_explanation", 1, ""});
  if (found(kDeadEnd)) out.push_back({"dead_end", 1, ""});
  if (found(kNoResponse)) out.push_back({"no_response", 1, ""});
  if (found(kChurn)) out.push_back({"churn_risk", 1, ""});
  if (found(kBroken)) out.push_back({"broken_flow", 1, ""});
  if (found(kEscalation)) out.push_back({"escalation", 1, ""});
  if (found(kRepeatContact)) out.push_back({"repeat_contact", 1, ""});
  return out;
}

std::vector<Duration> find_durations(const std::vector<Token>& tokens) { return find_durations(tokens, {}); }
std::optional<Duration> find_wait(const std::vector<Token>& tokens) { return find_wait(tokens, {}); }
std::vector<PainPoint> detect_pain_points(const std::vector<Token>& tokens, std::string_view folded) {
  return detect_pain_points(tokens, folded, {});
}

}  // namespace cxmap
