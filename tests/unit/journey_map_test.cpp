// Focus: the journey map renderer (report/journey_map.h) on hand-built stage
// tables: columns in journey order with the export's figures as data
// attributes, the curve and its gaps, the lanes' choices (top emotions,
// touchpoints, pains), two segments, escaping of customer text, nothing
// loaded from outside, and byte-identical output for the same input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "report/journey_map.h"

using namespace cxmap;

namespace {

using Attributes = std::map<std::string, std::string>;

// The attributes of every <tag ...> start tag whose class is `cls` or starts
// with "cls ", in document order. A small scanner rather than std::regex:
// start tags here are machine-written, and g++ 12 warns inside <regex> in
// sanitizer builds.
std::vector<Attributes> elements(const std::string& html, const std::string& tag, const std::string& cls) {
  std::vector<Attributes> found;
  const std::string open = "<" + tag + " ";
  for (std::size_t p = html.find(open); p != std::string::npos; p = html.find(open, p + 1)) {
    Attributes a;
    std::size_t i = p + open.size();
    while (i < html.size() && html[i] != '>') {
      if (html[i] == ' ' || html[i] == '/') {
        ++i;
        continue;
      }
      const std::size_t eq = html.find_first_of("= >", i);
      if (eq == std::string::npos || html[eq] != '=' || html.compare(eq, 2, "=\"") != 0) break;
      const std::size_t close = html.find('"', eq + 2);
      if (close == std::string::npos) break;
      a[html.substr(i, eq - i)] = html.substr(eq + 2, close - eq - 2);
      i = close + 1;
    }
    const auto c = a.find("class");
    if (c != a.end() && (c->second == cls || c->second.rfind(cls + " ", 0) == 0))
      found.push_back(std::move(a));
  }
  return found;
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

// The part of the document inside the first element that starts with `open`.
std::string section(const std::string& html, const std::string& open, const std::string& close = "</g>") {
  const std::size_t b = html.find(open);
  if (b == std::string::npos) return "";
  return html.substr(b, html.find(close, b) - b);
}

// The commands of an SVG path written as "M x,y L x,y ...".
struct PathStep {
  char op;
  double x, y;
};
std::vector<PathStep> path_steps(const std::string& d) {
  std::vector<PathStep> steps;
  std::istringstream in(d);
  std::string token;
  while (in >> token) {
    const std::size_t comma = token.find(',');
    steps.push_back(
        PathStep{token[0], std::stod(token.substr(1, comma - 1)), std::stod(token.substr(comma + 1))});
  }
  return steps;
}

// The text of every <text ... class="cls"> element, in order.
std::vector<std::string> texts(const std::string& html, const std::string& cls) {
  std::vector<std::string> out;
  const std::string open = "class=\"" + cls + "\">";
  for (std::size_t p = html.find(open); p != std::string::npos; p = html.find(open, p + 1)) {
    const std::size_t b = p + open.size();
    out.push_back(html.substr(b, html.find("</text>", b) - b));
  }
  return out;
}

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

const std::vector<std::string> kEmotions = {"frustrated", "impatient", "satisfied", "grateful", "neutral"};

StageRow row(const std::string& stage, std::int64_t feedback, std::int64_t events, double mean, double half) {
  StageRow r;
  r.stage = stage;
  r.feedback_n = feedback;
  r.events_n = events;
  r.mean = mean;
  r.ci_low = mean - half;
  r.ci_high = mean + half;
  r.emotion_share.assign(kEmotions.size(), 0.0);
  r.pain_rate.assign(pain_kinds().size(), 0.0);
  return r;
}

StageRow touchpoint_row(const std::string& stage, const std::string& touchpoint, std::int64_t events) {
  StageRow r = row(stage, events, events, 0, 0);
  r.group = {touchpoint};
  return r;
}

StageQuote quote(const std::string& id, int ordinal, const std::string& sentence, double compound) {
  StageQuote q;
  q.feedback_id = id;
  q.ordinal = ordinal;
  q.sentence = sentence;
  q.compound = compound;
  return q;
}

std::vector<JourneyMapStage> journey_stages() {
  std::vector<JourneyMapStage> stages;
  for (const char* name : {"aware", "self_service", "contact", "engage"}) {
    JourneyMapStage s;
    s.name = name;
    s.description = std::string("What ") + name + " means.";
    stages.push_back(s);
  }
  return stages;
}

// aware, self_service and engage have sentences, contact none; a "none"
// row (no stage cue) is not a column. Rows are given out of journey order on
// purpose: the columns follow the stage list, not the table.
JourneyMapSegment all_feedback() {
  JourneyMapSegment seg;
  seg.label = "all feedback";
  seg.by_stage.emotions = kEmotions;
  StageRow engage = row("engage", 7, 9, 0.2504, 0.1);
  StageRow aware = row("aware", 45, 123, -0.4123, 0.05);
  aware.emotion_share = {0.10, 0.25, 0.05, 0.10, 0.50};  // impatient first, then the tie in table order
  aware.pain_rate[1] = 0.05;                             // transfer
  aware.pain_rate[0] = 0.31;                             // long_wait
  aware.pain_rate[8] = 0.05;                             // churn_risk (ties with transfer: kind order)
  aware.pain_rate[3] = 0.02;                             // dead_end: fourth, not shown
  aware.mean_nps = 4.25;
  aware.most_negative = quote("aaaa000011112222", 3, "I waited for 45 minutes on hold.", -0.65);
  aware.most_positive = quote("bbbb000011112222", 0, "The agent was lovely.", 0.52);
  StageRow self = row("self_service", 3, 4, -0.0004, 0.2);
  StageRow none = row("none", 5, 6, 0.1, 0.1);
  seg.by_stage.rows = {engage, aware, self, none};
  seg.by_touchpoint.group_by = {"touchpoint"};
  seg.by_touchpoint.emotions = kEmotions;
  seg.by_touchpoint.rows = {touchpoint_row("aware", "app", 20),   touchpoint_row("aware", "billing", 30),
                            touchpoint_row("aware", "email", 30), touchpoint_row("aware", "none", 25),
                            touchpoint_row("aware", "phone", 10), touchpoint_row("aware", "sms", 8),
                            touchpoint_row("engage", "phone", 9)};
  return seg;
}

std::string render(const JourneyMap& map) {
  std::ostringstream out;
  write_journey_map(map, out);
  return out.str();
}

JourneyMap one_segment_map() {
  JourneyMap map;
  map.stages = journey_stages();
  map.segments = {all_feedback()};
  return map;
}

}  // namespace

TEST_CASE("journey map: one column per journey stage, in order, with the export's figures", "[unit][map]") {
  const std::string html = render(one_segment_map());
  const auto stages = elements(html, "g", "stage");
  REQUIRE(stages.size() == 4);
  CHECK(stages[0].at("data-stage") == "aware");
  CHECK(stages[1].at("data-stage") == "self_service");
  CHECK(stages[2].at("data-stage") == "contact");
  CHECK(stages[3].at("data-stage") == "engage");
  // Figures as write_stage_table prints them: counts, the mean with 3 decimals.
  CHECK(stages[0].at("data-events") == "123");
  CHECK(stages[0].at("data-feedback") == "45");
  CHECK(stages[0].at("data-mean") == "-0.412");
  CHECK(stages[1].at("data-mean") == format_fixed(-0.0004, 3));
  CHECK(stages[1].at("data-mean") == "0.000");
  CHECK(stages[3].at("data-mean") == "0.250");
  // A stage without sentences keeps its column, with no mean.
  CHECK(stages[2].at("data-events") == "0");
  CHECK(stages[2].at("data-mean").empty());
  // "none" is not a column; its sentences are counted in a note.
  CHECK(html.find("data-stage=\"none\"") == std::string::npos);
  const auto unplaced = elements(html, "p", "unplaced");
  REQUIRE(unplaced.size() == 1);
  CHECK(unplaced[0].at("data-events") == "6");
  // The CI and the mean NPS of the segment.
  const auto segs = elements(html, "g", "segment");
  REQUIRE(segs.size() == 4);
  CHECK(segs[0].at("data-ci-low") == "-0.462");
  CHECK(segs[0].at("data-ci-high") == "-0.362");
  CHECK(segs[0].at("data-nps") == "4.25");
  CHECK(segs[0].at("data-csat").empty());
}

TEST_CASE("journey map: the curve joins stages with data and breaks at a stage without", "[unit][map]") {
  const std::string html = render(one_segment_map());
  const auto curves = elements(html, "path", "curve");
  REQUIRE(curves.size() == 1);
  const std::string d = curves[0].at("d");
  // aware -> self_service, then a new subpath at engage (contact has no data).
  CHECK(count(d, "M") == 2);
  CHECK(count(d, "L") == 1);
  CHECK(elements(html, "polygon", "band").size() == 2);

  // Higher means are drawn higher (smaller y): engage > self_service > aware.
  const auto steps = path_steps(d);
  REQUIRE(steps.size() == 3);
  CHECK(steps[0].op == 'M');
  CHECK(steps[1].op == 'L');
  CHECK(steps[2].op == 'M');
  const double aware_x = steps[0].x, aware_y = steps[0].y;
  const double self_x = steps[1].x, self_y = steps[1].y;
  const double engage_x = steps[2].x, engage_y = steps[2].y;
  CHECK(aware_x < self_x);
  CHECK(self_x < engage_x);
  CHECK(aware_y > self_y);
  CHECK(self_y > engage_y);
  // Columns are evenly spaced: contact's slot lies between.
  CHECK((engage_x - self_x) == Approx(2 * (self_x - aware_x)));
}

TEST_CASE("journey map: top emotions, touchpoints and pains per stage", "[unit][map]") {
  const std::string html = render(one_segment_map());
  const std::string aware =
      section(html, "<g class=\"stage\" data-stage=\"aware\"", "<g class=\"stage\" data-stage=\"self");

  // Emotions: the top three apart from neutral, highest first, ties in table order.
  const auto emotions = elements(aware, "g", "emotion");
  REQUIRE(emotions.size() == 3);
  CHECK(emotions[0].at("data-emotion") == "impatient");
  CHECK(emotions[0].at("data-share") == "0.250");
  CHECK(emotions[1].at("data-emotion") == "frustrated");
  CHECK(emotions[2].at("data-emotion") == "grateful");
  CHECK(aware.find("neutral 50%") != std::string::npos);

  // Touchpoints: by volume, ties by name, "none" apart, at most four shown.
  const auto touchpoints = elements(aware, "g", "touchpoint");
  REQUIRE(touchpoints.size() == 4);
  CHECK(touchpoints[0].at("data-touchpoint") == "billing");
  CHECK(touchpoints[0].at("data-events") == "30");
  CHECK(touchpoints[1].at("data-touchpoint") == "email");
  CHECK(touchpoints[2].at("data-touchpoint") == "app");
  CHECK(touchpoints[3].at("data-touchpoint") == "phone");
  CHECK(aware.find("1 more: 8") != std::string::npos);
  CHECK(aware.find("none named: 25") != std::string::npos);

  // Pains: the same three, in the same order, as top_pains_text.
  const auto pains = elements(aware, "g", "pain");
  REQUIRE(pains.size() == 3);
  CHECK(pains[0].at("data-pain") == "long_wait");
  CHECK(pains[0].at("data-rate") == "0.310");
  CHECK(pains[1].at("data-pain") == "transfer");
  CHECK(pains[2].at("data-pain") == "churn_risk");
  const auto segment = elements(aware, "g", "segment");
  REQUIRE(segment.size() == 1);
  StageRow r = row("aware", 1, 1, 0, 0);
  r.pain_rate[1] = 0.05;
  r.pain_rate[0] = 0.31;
  r.pain_rate[8] = 0.05;
  r.pain_rate[3] = 0.02;
  CHECK(segment[0].at("data-pains") == top_pains_text(r, 3));
  std::string shown;
  for (const auto& p : pains)
    shown += (shown.empty() ? "" : "; ") + p.at("data-pain") + " " + p.at("data-rate");
  CHECK(shown == top_pains_text(r, 3));

  // Quotes: the most negative, then the most positive, with where they come from.
  const auto quotes = elements(aware, "g", "quote");
  REQUIRE(quotes.size() == 2);
  CHECK(quotes[0].at("class") == "quote negative");
  CHECK(quotes[0].at("data-feedback-id") == "aaaa000011112222");
  CHECK(quotes[0].at("data-ordinal") == "3");
  CHECK(quotes[0].at("data-compound") == "-0.650");
  CHECK(quotes[1].at("class") == "quote positive");
  CHECK(aware.find("I waited for 45 minutes on hold.") != std::string::npos);
}

TEST_CASE("journey map: customer text is escaped everywhere", "[unit][map]") {
  JourneyMap map = one_segment_map();
  const std::string nasty = "I typed <script>alert(\"x\")</script> & 'nothing' happened";
  StageRow& aware = map.segments[0].by_stage.rows[1];
  REQUIRE(aware.stage == "aware");
  aware.most_negative->sentence = nasty;
  map.segments[0].label = "refund & <b>\"late\"</b>";
  map.title = "Map <i>of</i> & more";
  const std::string html = render(map);

  std::string lower = html;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  CHECK(lower.find("<script") == std::string::npos);
  CHECK(lower.find("</script") == std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(html.find("<i>") == std::string::npos);
  // The full sentence, escaped, in the quote's tooltip; the label in attributes and text.
  CHECK(html.find("<title>I typed &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;nothing&#39; "
                  "happened</title>") != std::string::npos);
  CHECK(html.find("data-label=\"refund &amp; &lt;b&gt;&quot;late&quot;&lt;/b&gt;\"") != std::string::npos);
  CHECK(html.find("<h1>Map &lt;i&gt;of&lt;/i&gt; &amp; more</h1>") != std::string::npos);
  // Every '&' starts an entity.
  for (std::size_t p = html.find('&'); p != std::string::npos; p = html.find('&', p + 1)) {
    const std::string rest = html.substr(p, 6);
    CHECK((rest.rfind("&amp;", 0) == 0 || rest.rfind("&lt;", 0) == 0 || rest.rfind("&gt;", 0) == 0 ||
           rest.rfind("&quot;", 0) == 0 || rest.rfind("&#39;", 0) == 0));
  }
  CHECK(html_escape(std::string("a\x01\x7f"
                                "b\n",
                                5)) == "a  b\n");
}

TEST_CASE("journey map: self-contained, nothing loaded from elsewhere", "[unit][map]") {
  const std::string html = render(one_segment_map());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<meta charset=\"utf-8\">") != std::string::npos);
  CHECK(count(html, "<svg") == 1);
  for (const char* outside : {"<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "url(",
                              " src=", "href=", "https:"})
    CHECK(html.find(outside) == std::string::npos);
  // The only URL is the SVG namespace name, which is never fetched.
  CHECK(count(html, "http:") == 1);
  CHECK(html.find("xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
}

TEST_CASE("journey map: the same tables give byte-identical output", "[unit][map]") {
  const JourneyMap a = one_segment_map();
  const JourneyMap b = one_segment_map();
  CHECK(render(a) == render(b));
  CHECK(render(a) == render(a));
}

TEST_CASE("journey map: a second segment gets its own curve, colour, legend entry and figures",
          "[unit][map]") {
  JourneyMap map = one_segment_map();
  JourneyMapSegment chat;
  chat.label = "channel:chat";
  chat.by_stage.emotions = kEmotions;
  chat.by_stage.rows = {row("self_service", 4, 6, 0.3, 0.05), row("contact", 2, 2, -0.7, 0.3)};
  map.segments.push_back(chat);
  map.segments[0].label = "channel:email";
  const std::string html = render(map);

  const auto legend = elements(html, "g", "legend-entry");
  REQUIRE(legend.size() == 2);
  CHECK(legend[0].at("data-label") == "channel:email");
  CHECK(legend[1].at("data-label") == "channel:chat");
  CHECK(legend[0].at("data-events") == "136");  // 123 + 4 + 9 on the map; "none" apart
  CHECK(legend[1].at("data-events") == "8");

  const auto curves = elements(html, "path", "curve");
  REQUIRE(curves.size() == 2);
  CHECK(curves[0].at("stroke") != curves[1].at("stroke"));
  CHECK(curves[0].at("d") != curves[1].at("d"));
  CHECK(count(curves[1].at("d"), "M") == 1);  // self_service -> contact, contiguous
  CHECK(count(curves[1].at("d"), "L") == 1);

  // The stage column carries the first segment; each segment its own group.
  const std::string contact =
      section(html, "<g class=\"stage\" data-stage=\"contact\"", "<g class=\"stage\" data-stage=\"engage\"");
  const auto stage = elements(contact, "g", "stage");
  REQUIRE(stage.size() == 1);
  CHECK(stage[0].at("data-events") == "0");
  const auto segs = elements(contact, "g", "segment");
  REQUIRE(segs.size() == 2);
  CHECK(segs[0].at("data-segment") == "0");
  CHECK(segs[0].at("data-events") == "0");
  CHECK(segs[1].at("data-segment") == "1");
  CHECK(segs[1].at("data-label") == "channel:chat");
  CHECK(segs[1].at("data-events") == "2");
  CHECK(segs[1].at("data-mean") == "-0.700");
  // Mean labels sit on the side away from the other segment's point: at
  // self_service the second segment (0.3) is above the first (0.000).
  const std::string self = section(html, "<g class=\"stage\" data-stage=\"self_service\"",
                                   "<g class=\"stage\" data-stage=\"contact\"");
  std::vector<double> point_y, label_y;
  for (const auto& c : elements(self, "circle", "point")) point_y.push_back(std::stod(c.at("cy")));
  for (const auto& t : elements(self, "text", "point-label")) label_y.push_back(std::stod(t.at("y")));
  REQUIRE(point_y.size() == 2);
  REQUIRE(label_y.size() == 2);
  CHECK(point_y[1] < point_y[0]);  // higher mean, higher on the page
  CHECK(label_y[0] > point_y[0]);  // first segment: label below its point
  CHECK(label_y[1] < point_y[1]);  // second: above

  // The <title> names both segments.
  CHECK(html.find("<title>Customer journey map: channel:email vs channel:chat</title>") != std::string::npos);
}

TEST_CASE("journey map: long and non-ASCII quotes wrap on code points and end in an ellipsis",
          "[unit][map]") {
  JourneyMap map = one_segment_map();
  std::string longest;
  for (int i = 0; i < 40; ++i) longest += "Ça coûte très cher ";
  longest += "fin";
  StageRow& aware = map.segments[0].by_stage.rows[1];
  aware.most_positive->sentence = longest;
  aware.most_negative->sentence =
      std::string(120, 'x') + " \xE2\x82\xAC";  // one unbroken word, then a euro sign
  const std::string html = render(map);
  CHECK(valid_utf8(html));
  const std::string positive = section(html, "<g class=\"quote positive\"");
  // Five lines are shown, the last ends in an ellipsis; the full text is the tooltip.
  CHECK(count(positive, "class=\"quote-text\"") == 5);
  CHECK(positive.find("\xE2\x80\xA6\xE2\x80\x9D</text>") != std::string::npos);  // "…”"
  CHECK(positive.find("fin\xE2\x80\x9D") == std::string::npos);
  CHECK(positive.find(longest) != std::string::npos);
  // An unbroken word longer than a line is cut into pieces; nothing is lost
  // before the line limit, and the euro sign stays whole.
  const std::string negative = section(html, "<g class=\"quote negative\"");
  const std::vector<std::string> lines = texts(negative, "quote-text");
  REQUIRE(lines.size() >= 4);
  CHECK(lines.size() < 5);
  std::string joined;
  for (const std::string& l : lines) joined += l;
  CHECK(std::count(joined.begin(), joined.end(), 'x') == 120);
  CHECK(lines.back().size() > 7);
  CHECK(lines.back().substr(lines.back().size() - 7) == " \xE2\x82\xAC\xE2\x80\x9D");  // " €”"
  for (std::size_t k = 0; k + 1 < lines.size(); ++k) CHECK(lines[k].find(' ') == std::string::npos);
}

TEST_CASE("journey map: no segment or an empty table still draws the journey's columns", "[unit][map]") {
  JourneyMap map;
  map.stages = journey_stages();
  const std::string none = render(map);
  CHECK(elements(none, "g", "stage").size() == 4);
  CHECK(elements(none, "path", "curve").empty());

  JourneyMapSegment empty;
  empty.label = "nothing matched";
  map.segments.push_back(empty);
  const std::string html = render(map);
  const auto stages = elements(html, "g", "stage");
  REQUIRE(stages.size() == 4);
  for (const auto& s : stages) CHECK(s.at("data-events") == "0");
  CHECK(count(html, "no customer sentences") == 4);
}
