// bench/generate: a deterministic, realistic feedback corpus for benchmarks
// and the kill test.
//
//   generate --kind email|chat|survey|mixed --n N --out DIR [--seed S] [--first-id K]
//
// Writes, under DIR: email/support.mbox and email/Maildir (N emails split
// between them), chat/conversations.jsonl and chat/json/*.json (chats),
// survey/responses.csv (survey rows), and DIR/cxmap.json, a sources config
// naming what was written. "mixed" writes N records split 40/30/30.
//
// Each record is a small story built from templates: a customer notices a
// problem, tries self-service, reaches out on a channel, waits or is
// transferred, and the issue is resolved or not. Customers are drawn from a
// pool a third the size of N, so one customer's contacts cross channels as in
// real feedback, and the journey links have something to join. The same seed
// and N give byte-identical output: the corpus is a fixture, not a sample.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// std::mt19937_64 is specified exactly by the standard, but the std
// distributions are not: pick() keeps the output identical across compilers.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(engine_() % n); }
  bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }

 private:
  std::mt19937_64 engine_;
};

const std::vector<std::string> kProducts = {"broadband", "mobile plan", "router", "SIM card", "bill",
                                            "roaming add-on", "eSIM", "direct debit", "app login", "fibre upgrade"};
const std::vector<std::string> kProblems = {"keeps dropping", "was charged twice", "stopped working",
                                            "won't activate", "shows the wrong amount", "is really slow",
                                            "never arrived", "locked me out"};

// Stage templates; {p} is a product, {x} a problem, {n} a number.
const std::vector<std::string> kNoticing = {
    "My {p} {x} since Monday.",
    "I noticed this morning that my {p} {x}.",
    "For the third time this month my {p} {x}, which is really frustrating.",
    "Hi, my {p} {x} and I'm not sure why.",
    "Quick question: my {p} {x}, is there an outage?",
};
const std::vector<std::string> kSelfService = {
    "I searched the FAQ for how to fix it but found nothing useful.",
    "I tried the troubleshooting guide on the website, it didn't help.",
    "The help centre article about the {p} was out of date.",
    "I followed the steps in the app and it still {x}.",
    "The chatbot kept sending me the same link in a loop.",
};
const std::vector<std::string> kReachingOut = {
    "So I called your support line.",
    "I sent an email to support on Tuesday.",
    "I started a live chat to get help.",
    "I messaged you on Twitter because nobody answered.",
    "I phoned the helpline twice.",
};
const std::vector<std::string> kWaiting = {
    "I was on hold for {n} minutes before anyone answered.",
    "I waited {n} minutes in the queue.",
    "I got transferred {n} times and had to repeat my story every time.",
    "Nobody called me back even though they promised.",
    "It took {n} days to get a reply to my email.",
};
const std::vector<std::string> kEngaging = {
    "The agent was friendly and knew what she was doing.",
    "Sam on the chat was patient and explained everything clearly.",
    "The advisor was rude and kept interrupting me.",
    "The person on the phone didn't seem to understand the problem.",
    "The agent escalated it to the technical team straight away.",
};
const std::vector<std::string> kResolution = {
    "It was finally resolved after a week, thank you.",
    "They fixed it within minutes, brilliant service!",
    "It's still not fixed and I'm thinking of leaving.",
    "They refunded the double charge, I'm relieved.",
    "The issue was sorted on the first call, great job.",
    "Still waiting for a fix, this is unacceptable.",
};
const std::vector<std::string> kFollowUp = {
    "I got a follow-up email asking for feedback.",
    "Nobody followed up afterwards to check it was working.",
    "They sent a text the next day to confirm everything was fine.",
    "",
    "",
};
const std::vector<std::string> kFirstNames = {"alex", "sam", "priya", "tom", "maria", "kai",
                                              "lena", "omar", "jo", "chen", "fatima", "luca"};
const std::vector<std::string> kSubjects = {"Problem with my {p}", "Complaint about my {p}", "{p} issue",
                                            "Help needed: {p}", "Re: your {p}", "Still waiting about my {p}"};

std::string fill(const std::string& tmpl, Rng& rng) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 2 < tmpl.size() && tmpl[i + 2] == '}') {
      const char slot = tmpl[i + 1];
      if (slot == 'p') out += rng.pick(kProducts);
      else if (slot == 'x') out += rng.pick(kProblems);
      else if (slot == 'n') out += std::to_string(2 + rng.below(88));
      i += 2;
      continue;
    }
    out += tmpl[i];
  }
  return out;
}

// One customer story: 3 to 7 sentences along the journey.
std::vector<std::string> story(Rng& rng) {
  std::vector<std::string> s;
  s.push_back(fill(rng.pick(kNoticing), rng));
  if (rng.chance(55)) s.push_back(fill(rng.pick(kSelfService), rng));
  if (rng.chance(70)) s.push_back(fill(rng.pick(kReachingOut), rng));
  if (rng.chance(50)) s.push_back(fill(rng.pick(kWaiting), rng));
  if (rng.chance(60)) s.push_back(fill(rng.pick(kEngaging), rng));
  s.push_back(fill(rng.pick(kResolution), rng));
  const std::string f = fill(rng.pick(kFollowUp), rng);
  if (!f.empty()) s.push_back(f);
  return s;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::string json_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string csv_field(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

struct Clock {
  // Minutes since 2026-01-01T00:00Z, advanced a little per record so dates
  // spread over months as in a real archive.
  std::int64_t minutes = 0;
  std::string iso() const {
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    std::int64_t day = minutes / 1440 % 365;
    int month = 0;
    while (day >= kDays[month]) day -= kDays[month++];
    char buf[32];
    std::snprintf(buf, sizeof buf, "2026-%02d-%02lldT%02lld:%02lld:00Z", month + 1, static_cast<long long>(day + 1),
                  static_cast<long long>(minutes / 60 % 24), static_cast<long long>(minutes % 60));
    return buf;
  }
  std::string rfc2822() const {
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::string i = iso();
    return i.substr(8, 2) + " " + kMonths[std::stoi(i.substr(5, 2)) - 1] + " 2026 " + i.substr(11, 8) + " +0000";
  }
};

std::string customer(Rng& rng, std::size_t pool) {
  const std::size_t k = rng.below(pool);
  return kFirstNames[k % kFirstNames.size()] + "." + std::to_string(k) + "@example.com";
}

std::string email_message(Rng& rng, std::size_t i, const Clock& clock, std::size_t pool) {
  const std::string from = customer(rng, pool);
  std::string m;
  m += "From: " + from + "\n";
  m += "To: support@kestrel.example\n";
  m += "Subject: " + fill(rng.pick(kSubjects), rng) + "\n";
  m += "Date: " + clock.rfc2822() + "\n";
  m += "Message-ID: <gen-" + std::to_string(i) + "@generated.example>\n";
  m += "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n";
  m += "Hello,\n\n" + join(story(rng), " ") + "\n\nThanks,\n" + from.substr(0, from.find('.')) + "\n";
  return m;
}

std::string chat_json(Rng& rng, std::size_t i, const Clock& clock, std::size_t pool) {
  std::string j = "{\"conversation_id\": \"GEN-" + std::to_string(i) + "\", \"customer\": \"" + customer(rng, pool) +
                  "\", \"started_at\": \"" + clock.iso() + "\", \"turns\": [";
  j += "{\"speaker\": \"agent\", \"time\": \"" + clock.iso() + "\", \"text\": \"Hi, how can I help today?\"}";
  for (const std::string& s : story(rng)) {
    j += ", {\"speaker\": \"customer\", \"time\": \"" + clock.iso() + "\", \"text\": \"" + json_escape(s) + "\"}";
    if (rng.chance(40))
      j += ", {\"speaker\": \"agent\", \"time\": \"" + clock.iso() +
           "\", \"text\": \"I'm sorry to hear that, let me check.\"}";
  }
  return j + "]}";
}

std::string survey_row(Rng& rng, std::size_t i, const Clock& clock, std::size_t pool) {
  const auto lines = story(rng);
  // Scores follow the story's ending, loosely, as real ones do.
  const std::string& last = lines.back();
  const bool unhappy = last.find("still") != std::string::npos || last.find("Still") != std::string::npos ||
                       last.find("unacceptable") != std::string::npos || last.find("Nobody") != std::string::npos;
  const std::size_t nps = unhappy ? rng.below(7) : 6 + rng.below(5);
  const std::size_t csat = unhappy ? 1 + rng.below(3) : 3 + rng.below(3);
  return "G_" + std::to_string(i) + "," + clock.iso() + "," + customer(rng, pool) + "," + std::to_string(nps) + "," +
         std::to_string(csat) + "," + csv_field(join(lines, " ")) + "\n";
}

int usage(const char* why) {
  std::cerr << "generate: " << why
            << "\nusage: generate --kind email|chat|survey|mixed --n N --out DIR [--seed S] [--first-id K]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string kind = "mixed", out;
  std::size_t n = 0;
  std::uint64_t seed = 42;
  std::size_t first_id = 0;  // records are numbered from here: a later corpus adds new feedback
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      usage("writes a deterministic feedback corpus and a sources config (DIR/cxmap.json)");
      return 0;
    }
    if (i + 1 >= argc) return usage(("missing value after " + a).c_str());
    const std::string v = argv[++i];
    if (a == "--kind") kind = v;
    else if (a == "--n") n = std::stoul(v);
    else if (a == "--out") out = v;
    else if (a == "--seed") seed = std::stoull(v);
    else if (a == "--first-id") first_id = std::stoul(v);
    else return usage(("unknown option " + a).c_str());
  }
  if (out.empty() || n == 0) return usage("--n and --out are required");
  if (kind != "email" && kind != "chat" && kind != "survey" && kind != "mixed")
    return usage(("unknown kind " + kind).c_str());

  std::size_t emails = 0, chats = 0, surveys = 0;
  if (kind == "email") emails = n;
  if (kind == "chat") chats = n;
  if (kind == "survey") surveys = n;
  if (kind == "mixed") {
    emails = n * 4 / 10;
    chats = n * 3 / 10;
    surveys = n - emails - chats;
  }
  const std::size_t pool = std::max<std::size_t>(1, n / 3);
  Rng rng(seed);
  Clock clock;
  std::vector<std::string> sources;
  fs::create_directories(out);

  if (emails > 0) {
    fs::create_directories(fs::path(out) / "email/Maildir/cur");
    fs::create_directories(fs::path(out) / "email/Maildir/new");
    fs::create_directories(fs::path(out) / "email/Maildir/tmp");
    std::ofstream mbox(fs::path(out) / "email/support.mbox", std::ios::binary);
    for (std::size_t i = 0; i < emails; ++i) {
      clock.minutes += 7 + static_cast<std::int64_t>(rng.below(90));
      const std::string m = email_message(rng, first_id + i, clock, pool);
      if (i % 2 == 0) {
        mbox << "From generator " << clock.rfc2822() << "\n" << m << "\n";
      } else {
        std::ofstream(fs::path(out) / "email/Maildir/cur" / (std::to_string(first_id + i) + ".gen:2,S"), std::ios::binary) << m;
      }
    }
    sources.push_back(R"({"name": "gen-mbox", "kind": "mbox", "path": "email/support.mbox"})");
    sources.push_back(R"({"name": "gen-maildir", "kind": "maildir", "path": "email/Maildir"})");
  }
  if (chats > 0) {
    fs::create_directories(fs::path(out) / "chat/json");
    std::ofstream jsonl(fs::path(out) / "chat/conversations.jsonl", std::ios::binary);
    for (std::size_t i = 0; i < chats; ++i) {
      clock.minutes += 5 + static_cast<std::int64_t>(rng.below(60));
      const std::string c = chat_json(rng, first_id + i, clock, pool);
      jsonl << c << "\n";
      std::ofstream(fs::path(out) / "chat/json" / ("conv-" + std::to_string(first_id + i) + ".json"), std::ios::binary) << c;
    }
    sources.push_back(R"({"name": "gen-chat", "kind": "chat_json", "path": "chat/json"})");
  }
  if (surveys > 0) {
    fs::create_directories(fs::path(out) / "survey");
    std::ofstream csv(fs::path(out) / "survey/responses.csv", std::ios::binary);
    csv << "ResponseId,SubmittedAt,Email,NPS,CSAT,Comment\n";
    for (std::size_t i = 0; i < surveys; ++i) {
      clock.minutes += 3 + static_cast<std::int64_t>(rng.below(40));
      csv << survey_row(rng, first_id + i, clock, pool);
    }
    sources.push_back(
        R"({"name": "gen-survey", "kind": "survey_csv", "path": "survey/responses.csv", "columns": {"id": "ResponseId", "date": "SubmittedAt", "customer": "Email", "nps": "NPS", "csat": "CSAT", "text": ["Comment"]}})");
  }
  std::ofstream config(fs::path(out) / "cxmap.json");
  config << "{\n  \"sources\": [\n    " << join(sources, ",\n    ") << "\n  ]\n}\n";
  std::cout << "generate: " << emails << " emails, " << chats << " chats, " << surveys << " survey rows, "
            << pool << " customers (seed " << seed << ") in " << out << "\n";
  return 0;
}
