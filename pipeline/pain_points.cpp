// Pain-point detection. Durations are parsed from tokens because number words
// and units vary too much for one readable regex; the other kinds are small
// RE2 pattern sets (linear time, compiled once per process).
#include "pipeline/pain_points.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <unordered_map>

namespace cxmap {

namespace {

double number_word(std::string_view w) {
  static const std::unordered_map<std::string_view, double> words = {
      {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6}, {"seven", 7},
      {"eight", 8}, {"nine", 9}, {"ten", 10}, {"eleven", 11}, {"twelve", 12}, {"thirteen", 13},
      {"fourteen", 14}, {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18},
      {"nineteen", 19}, {"twenty", 20}, {"thirty", 30}, {"forty", 40}, {"fifty", 50},
      {"sixty", 60}, {"seventy", 70}, {"eighty", 80}, {"ninety", 90}, {"a", 1}, {"an", 1},
      {"several", 3}, {"few", 3}, {"couple", 2}, {"dozen", 12}};
  auto it = words.find(w);
  return it == words.end() ? 0 : it->second;
}

double unit_minutes(std::string_view u) {
  static const std::pair<std::string_view, double> units[] = {
      {"minute", 1}, {"minutes", 1}, {"min", 1}, {"mins", 1}, {"mn", 1}, {"hour", 60}, {"hours", 60},
      {"hr", 60}, {"hrs", 60}, {"h", 60}, {"day", 1440}, {"days", 1440}, {"week", 10080},
      {"weeks", 10080}, {"month", 43200}, {"months", 43200}};
  for (auto& [k, v] : units)
    if (k == u) return v;
  return 0;
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
// number words ("forty-five") by simply being skipped.
std::vector<std::size_t> word_indexes(const std::vector<Token>& t) {
  std::vector<std::size_t> w;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i].kind != TokenKind::punct) w.push_back(i);
  return w;
}

}  // namespace

std::vector<Duration> find_durations(const std::vector<Token>& tokens) {
  std::vector<Duration> out;
  auto w = word_indexes(tokens);
  auto word = [&](std::size_t k) -> std::string_view {
    return k < w.size() ? std::string_view(tokens[w[k]].folded) : std::string_view();
  };
  for (std::size_t k = 0; k < w.size(); ++k) {
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
    if (word(j + 1) == "and" && word(j + 2) == "a" && word(j + 3) == "half") {
      minutes += 0.5 * u;  // an hour and a half
      last = j + 3;
    }
    out.push_back({minutes, w[k], w[std::min(last, w.size() - 1)]});
    k = last;
  }
  return out;
}

std::optional<Duration> find_wait(const std::vector<Token>& tokens) {
  auto durations = find_durations(tokens);
  if (durations.empty()) return std::nullopt;
  bool sentence_context = false, has_before = false, has_reply = false;
  for (const Token& t : tokens) {
    const std::string& s = t.stem;
    if (s == "hold" || s == "wait" || s == "queue" || s == "queu" || s == "took" || s == "take" ||
        s == "spent" || s == "spend" || s == "line")
      sentence_context = true;
    if (t.folded == "before" || t.folded == "until" || t.folded == "till") has_before = true;
    if (s == "repli" || s == "respons" || s == "respond" || s == "answer" || s == "heard" || s == "callback")
      has_reply = true;
  }
  std::optional<Duration> best;
  for (const Duration& d : durations) {
    bool ctx = sentence_context;
    // the word before the duration (skipping punctuation)
    std::string_view prev, prev2, next;
    for (std::size_t i = d.first, seen = 0; i-- > 0 && seen < 2;) {
      if (tokens[i].kind == TokenKind::punct) continue;
      (seen == 0 ? prev : prev2) = tokens[i].folded;
      ++seen;
    }
    for (std::size_t i = d.last + 1; i < tokens.size(); ++i)
      if (tokens[i].kind != TokenKind::punct) {
        next = tokens[i].folded;
        break;
      }
    if (prev == "after" || prev2 == "after" || next == "later") ctx = true;
    if ((prev == "for" || prev2 == "for" || prev == "over" || prev == "nearly" || prev == "almost") && (has_before || has_reply))
      ctx = true;
    if (ctx && (!best || d.minutes > best->minutes)) best = d;
  }
  return best;
}

namespace {

// One RE2 per pain kind: the alternatives are joined so a sentence is
// scanned once per kind.
struct PatternSet {
  std::unique_ptr<RE2> re;
  explicit PatternSet(std::initializer_list<const char*> patterns) {
    std::string joined;
    for (const char* p : patterns) {
      if (!joined.empty()) joined += '|';
      joined += "(?:";
      joined += p;
      joined += ')';
    }
    RE2::Options o;
    o.set_log_errors(false);
    o.set_never_capture(true);
    re = std::make_unique<RE2>(joined, o);
  }
  bool any(std::string_view s) const { return re->ok() && RE2::PartialMatch(s, *re); }
};

const char* const kNot = R"((?:n't|n’t|\bnot|\bnever|\bno))";

double transfer_count(const std::vector<Token>& tokens) {
  // "transferred three times", "passed between four agents", "5 different people"
  auto w = word_indexes(tokens);
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

}  // namespace

std::vector<PainPoint> detect_pain_points(const std::vector<Token>& tokens, std::string_view folded) {
  std::vector<PainPoint> out;
  if (auto wait = find_wait(tokens)) out.push_back({"long_wait", wait->minutes, "min"});

  static const PatternSet transfer{
      R"(\btransfer(?:red|ring|s)?\b)", R"(\b(?:passed|bounced|shunted|handed|kicked|shuffled|sent)\s+(?:me\s+)?(?:around|between|back and forth|from one|over to another|on to another|to another))",
      R"(\bput (?:me )?through to (?:another|a different))"};
  if (transfer.any(folded)) out.push_back({"transfer", transfer_count(tokens), "count"});

  static const PatternSet repeat{
      R"(\b(?:explain|explained|explaining|repeat|repeated|repeating|tell|told|telling|go|went|going)\b.{0,40}\b(?:again|all over|every time|each time|to everyone|to each)\b)",
      R"(\brepeat(?:ed|ing)? (?:my|the|myself|everything|all)\b)", R"(\bhad to explain\b)",
      R"(\bstart(?:ed|ing)? (?:from scratch|over|again from)\b)", R"(\bsame (?:questions|information|details|story) (?:again|over)\b)"};
  if (repeat.any(folded)) out.push_back({"repeat_explanation", 1, ""});

  static const std::string dead_end_1 =
      std::string(R"(\b(?:faq|faqs|help (?:article|page|centre|center|section)|article|chatbot|bot|app|website|site|search|help)\b.{0,40})") +
      kNot + R"(\s*(?:help|work|answer|cover|explain|mention|say))";
  static const PatternSet dead_end{
      dead_end_1.c_str(),
      R"((?:couldn't|could not|can't|cannot|couldn’t|can’t|unable to|impossible to|no way to)\s+(?:find|locate|get any|work out)\b)",
      R"(\b(?:round|around) in circles\b)", R"(\bno option\b)", R"(\bdead[- ]end\b)",
      R"(\b(?:kept|keeps) (?:looping|sending me back|going back|repeating)\b)", R"(\bnot (?:an|one) option\b)",
      R"(\bnothing (?:helped|worked|useful)\b)"};
  if (dead_end.any(folded)) out.push_back({"dead_end", 1, ""});

  static const PatternSet no_response{
      R"(\bno (?:reply|response|answer|callback|call back|one (?:called|got|came|rang|replied|responded|answered)))",
      R"(\b(?:never|haven't|have not|hasn't|didn't|did not|still haven't)\s+(?:heard back|got a reply|received a reply|got back|had a reply|called (?:me )?back|replied|responded|answered))",
      R"(\bignored\b)", R"(\bstill waiting for (?:a |an )?(?:reply|response|answer|call))"};
  if (no_response.any(folded)) out.push_back({"no_response", 1, ""});

  static const PatternSet churn{
      R"(\b(?:cancel|cancell?ing|close|closing|terminate|end)\s+(?:my|our|the)\s+(?:account|subscription|contract|membership|plan|service)\b)",
      R"(\b(?:switch|switching|move|moving|go|going|take my business)\s+(?:to|elsewhere)\b.{0,30}\b(?:provider|company|bank|competitor|elsewhere|another|someone else)\b)",
      R"(\b(?:take|taking) my business elsewhere\b)", R"(\bnever (?:use|using|buy|buying|order|ordering|fly|flying) (?:you|your|this|them|with)\b)",
      R"(\b(?:leaving|leave) (?:you|for)\b)", R"(\blooking (?:at|for) (?:other|another|alternatives))", R"(\bwill be (?:leaving|switching|cancelling|canceling)\b)",
      R"(\b(?:last|final) (?:time|straw)\b)"};
  if (churn.any(folded)) out.push_back({"churn_risk", 1, ""});
  return out;
}

}  // namespace cxmap
