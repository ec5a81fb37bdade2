// Journey map rendering: stage tables in, one self-contained HTML page with an
// inline SVG out. The SVG is laid out by hand on a fixed grid (a gutter for
// lane titles, one column per stage, one lane per kind of figure) so the
// output depends on nothing but the input: no fonts are measured, no clock is
// read, and every number goes through format_fixed.
//
// Drawing order matters in SVG (later is on top): the background layer
// (stripes, lane titles, axis, zones), then the CI bands and curves, then the
// stage columns with their points, so the points sit on the curves.
#include "report/journey_map.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace cxmap {

namespace {

// Layout, in SVG user units (px at 100%).
constexpr double kGutter = 136;  // lane titles and the curve's axis
constexpr double kColumn = 206;  // one stage
constexpr double kRight = 12;    // margin after the last column
constexpr double kInset = 10;    // text inset inside a column
constexpr double kLegendH = 38;
constexpr double kHeaderH = 90;     // chevron and three lines of description
constexpr double kVolumeSegH = 36;  // two lines: counts, NPS/CSAT
constexpr double kCurveH = 250;
constexpr double kCurveTop = 44;  // room for the lane title above the plot
constexpr double kCurveBottom = 22;
constexpr double kRowH = 18;  // one bar row (label, value, bar)
constexpr double kSubH = 16;  // segment sub-heading in compare mode
constexpr double kLanePad = 8;
constexpr std::size_t kTopEmotions = 3, kTopTouchpoints = 4, kTopPains = 3;
// Quotes are wrapped by code points, an estimate of width for 11px text in
// a column; longer quotes end in an ellipsis and keep their full text in a
// tooltip.
constexpr std::size_t kQuoteChars = 31, kQuoteLines = 5;
constexpr double kQuoteLineH = 14;
// Caption line, the quote's lines, the feedback id line, a gap.
constexpr double kQuoteH = 16 + kQuoteLines * kQuoteLineH + 14 + 8;

// Segment colours: blue and orange stay apart for the common colour-vision
// deficiencies.
const char* const kColours[kJourneyMapMaxSegments] = {"#2563eb", "#ea580c"};

const char* const kStyle =
    "body{margin:24px;font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\","
    "Arial,sans-serif;color:#1f2937;background:#fff}"
    "h1{font-size:22px;margin:0 0 4px}"
    "p{font-size:13px;color:#4b5563;margin:4px 0}"
    "svg{max-width:100%;height:auto;display:block;margin:12px 0}"
    "svg text{font-size:11px;fill:#1f2937}"
    "svg .lane-title{font-size:12px;font-weight:600}"
    "svg .note,svg .muted,svg .desc,svg .meta,svg .axis{fill:#6b7280}"
    "svg .note,svg .desc,svg .axis{font-size:10px}"
    "svg .meta{font-size:9.5px}"
    "svg .stage-name{fill:#fff;font-size:13px;font-weight:600}"
    "svg .quote-text{font-style:italic}"
    "svg .point-label{font-size:10.5px;font-weight:600}"
    "svg .legend-label{font-size:12px}";

std::string num(double v, int decimals = 1) {
  return format_fixed(v, decimals);
}

// Concatenation by appending: g++ 12 reports a false -Wrestrict on
// `"literal" + std::string&&`, so text is built this way instead.
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::string s;
  (s.append(std::string_view(parts)), ...);
  return s;
}

// A mean for people: two decimals with its sign, "+0.27" / "-0.14".
std::string signed2(double v) {
  std::string s = format_fixed(v, 2);
  return (s[0] != '-' && s != "0.00") ? cat("+", s) : s;
}

std::string percent(double fraction) {
  return format_fixed(100.0 * fraction, 0) + "%";
}

bool continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += !continuation(c);
  return n;
}

// The first `n` code points of s.
std::string_view prefix(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    if (!continuation(static_cast<unsigned char>(s[i]))) {
      if (n == 0) break;
      --n;
    }
  }
  return s.substr(0, i);
}

std::string ellipsize(std::string_view s, std::size_t width) {
  if (code_points(s) <= width) return std::string(s);
  return std::string(prefix(s, width - 1)) + "\u2026";
}

// Greedy word wrap by code points; a word longer than a line is cut; text
// beyond max_lines is dropped and the last line ends in an ellipsis.
std::vector<std::string> wrap(std::string_view text, std::size_t width, std::size_t max_lines) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t line_n = 0;
  auto push = [&] {
    lines.push_back(std::move(line));
    line.clear();
    line_n = 0;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t b = text.find_first_not_of(" \t\r\n", i);
    if (b == std::string_view::npos) break;
    std::size_t e = text.find_first_of(" \t\r\n", b);
    if (e == std::string_view::npos) e = text.size();
    std::string_view word = text.substr(b, e - b);
    i = e;
    while (code_points(word) > width) {  // cut an over-long word into pieces
      if (line_n > 0) push();
      std::string_view piece = prefix(word, width);
      line = std::string(piece);
      line_n = width;
      push();
      word.remove_prefix(piece.size());
    }
    const std::size_t n = code_points(word);
    if (n == 0) continue;
    if (line_n > 0 && line_n + 1 + n > width) push();
    if (line_n > 0) {
      line += ' ';
      ++line_n;
    }
    line += word;
    line_n += n;
  }
  if (line_n > 0) push();
  if (lines.size() > max_lines) {
    lines.resize(max_lines);
    std::string& last = lines.back();
    last = std::string(prefix(last, std::min(code_points(last), width - 1))) + "\u2026";
  }
  return lines;
}

const StageRow* find_stage(const StageTable& table, const std::string& stage) {
  for (const StageRow& r : table.rows)
    if (r.stage == stage && r.group.empty()) return &r;
  return nullptr;
}

// Vertical scale of the emotion curve: symmetric around zero so that above
// the line is always "better than neutral", at least +-0.1 and in steps of
// 0.1 so that the axis labels are round.
struct Scale {
  double extent = 0.1;
  double top = 0, bottom = 0;
  double y(double v) const {
    const double mid = (top + bottom) / 2;
    return mid - std::clamp(v, -extent, extent) / extent * (bottom - top) / 2;
  }
};

class Renderer {
 public:
  Renderer(const JourneyMap& map, std::ostream& out) : map_(map), out_(out) {
    const std::size_t n = std::min(map.segments.size(), kJourneyMapMaxSegments);
    for (std::size_t i = 0; i < n; ++i) segments_.push_back(&map.segments[i]);
    compare_ = segments_.size() > 1;
    layout();
  }

  void write() {
    std::string title = map_.title;
    for (std::size_t s = 0; s < segments_.size(); ++s) title += cat(s ? " vs " : ": ", segments_[s]->label);
    out_ << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         << "<meta name=\"generator\" content=\"cxmap map\">\n"
         << "<title>" << html_escape(title) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n"
         << "<h1>" << html_escape(map_.title) << "</h1>\n"
         << "<p>Stages of the journey from left to right. Figures are over customer sentences; agents' and "
            "bots' turns are context. Sentiment is the VADER compound score in [-1, 1].</p>\n";
    write_svg();
    write_notes();
    out_ << "</body>\n</html>\n";
  }

 private:
  // Lane tops (y) and heights, in drawing order.
  struct Lane {
    const char* title;
    const char* note;
    double y = 0, h = 0;
  };

  void layout() {
    const double nseg = static_cast<double>(std::max<std::size_t>(segments_.size(), 1));
    const double sub = compare_ ? kSubH : 0;
    lanes_ = {
        {"Stage", "", 0, kHeaderH},
        {"Volume", "counts, mean scores", 0, nseg * kVolumeSegH + kLanePad},
        {"Emotion curve", "mean sentiment with its 95% CI", 0, kCurveH},
        {"Feelings", "top emotions; neutral apart", 0, nseg * (sub + (kTopEmotions + 1) * kRowH) + kLanePad},
        {"Touchpoints", "sentences per touchpoint", 0,
         nseg * (sub + (kTopTouchpoints + 1) * kRowH) + kLanePad},
        {"Pain points", "share of the stage's sentences", 0, nseg * (sub + kTopPains * kRowH) + kLanePad},
        {"Quotes", "the most negative and the most positive sentence", 0,
         nseg * (sub + 2 * kQuoteH) + kLanePad},
    };
    double y = kLegendH;
    for (Lane& l : lanes_) {
      l.y = y;
      y += l.h;
    }
    height_ = y + 8;
    width_ = kGutter + kColumn * static_cast<double>(map_.stages.size()) + kRight;

    // The curve's scale covers every drawn mean and CI bound.
    double extent = 0.1;
    for (const JourneyMapSegment* seg : segments_)
      for (const JourneyMapStage& st : map_.stages)
        if (const StageRow* r = find_stage(seg->by_stage, st.name))
          for (double v : {r->mean, r->ci_low, r->ci_high})
            if (std::isfinite(v)) extent = std::max(extent, std::abs(v));
    scale_.extent = std::min(1.0, std::ceil(extent * 10 - 1e-9) / 10);
    const Lane& c = lanes_[kCurve];
    scale_.top = c.y + kCurveTop;
    scale_.bottom = c.y + c.h - kCurveBottom;
  }

  static constexpr std::size_t kHeader = 0, kVolume = 1, kCurve = 2, kFeelings = 3, kTouchpoints = 4,
                               kPains = 5, kQuotes = 6;

  double column_x(std::size_t i) const { return kGutter + kColumn * static_cast<double>(i); }
  double column_mid(std::size_t i) const { return column_x(i) + kColumn / 2; }
  const char* colour(std::size_t s) const { return kColours[s]; }

  void text(double x, double y, std::string_view cls, std::string_view content, std::string_view extra = "") {
    out_ << "<text x=\"" << num(x) << "\" y=\"" << num(y) << '"';
    if (!cls.empty()) out_ << " class=\"" << cls << '"';
    if (!extra.empty()) out_ << ' ' << extra;
    out_ << '>' << html_escape(content) << "</text>\n";
  }

  void write_svg() {
    out_ << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"journey-map\" width=\"" << num(width_, 0)
         << "\" height=\"" << num(height_, 0) << "\" viewBox=\"0 0 " << num(width_, 0) << ' '
         << num(height_, 0) << "\" role=\"img\" aria-label=\"" << html_escape(map_.title) << "\">\n";
    write_legend();
    write_background();
    write_curves();
    for (std::size_t i = 0; i < map_.stages.size(); ++i) write_column(i);
    out_ << "</svg>\n";
  }

  void write_legend() {
    out_ << "<g class=\"legend\">\n";
    double x = kGutter;
    for (std::size_t s = 0; s < segments_.size(); ++s) {
      const JourneyMapSegment& seg = *segments_[s];
      std::int64_t placed = 0;
      for (const JourneyMapStage& st : map_.stages)
        if (const StageRow* r = find_stage(seg.by_stage, st.name)) placed += r->events_n;
      const std::string label = ellipsize(seg.label, 60);
      const std::string count = std::to_string(placed) + " sentences on the map";
      out_ << "<g class=\"legend-entry\" data-segment=\"" << s << "\" data-label=\"" << html_escape(seg.label)
           << "\" data-events=\"" << placed << "\">\n";
      out_ << "<rect x=\"" << num(x) << "\" y=\"10\" width=\"30\" height=\"14\" fill=\"" << colour(s)
           << "\" fill-opacity=\"0.18\"/>\n";
      out_ << "<line x1=\"" << num(x) << "\" y1=\"17\" x2=\"" << num(x + 30) << "\" y2=\"17\" stroke=\""
           << colour(s) << "\" stroke-width=\"2.5\"/>\n";
      text(x + 38, 22, "legend-label", label, "font-weight=\"600\"");
      const double label_w = 7.6 * static_cast<double>(code_points(label));
      text(x + 44 + label_w, 22, "muted", count);
      out_ << "</g>\n";
      x += 44 + label_w + 6.0 * static_cast<double>(count.size()) + 28;
    }
    out_ << "</g>\n";
  }

  void write_background() {
    out_ << "<g class=\"background\">\n";
    const double top = lanes_.front().y, bottom = lanes_.back().y + lanes_.back().h;
    for (std::size_t i = 0; i < map_.stages.size(); ++i)
      out_ << "<rect x=\"" << num(column_x(i)) << "\" y=\"" << num(top) << "\" width=\"" << num(kColumn)
           << "\" height=\"" << num(bottom - top) << "\" fill=\"" << (i % 2 ? "#ffffff" : "#f8fafc")
           << "\"/>\n";
    // Above zero is better than neutral: a faint green, below a faint red.
    const double zero = scale_.y(0), x0 = kGutter, x1 = width_ - kRight;
    out_ << "<rect x=\"" << num(x0) << "\" y=\"" << num(scale_.top) << "\" width=\"" << num(x1 - x0)
         << "\" height=\"" << num(zero - scale_.top) << "\" fill=\"#16a34a\" fill-opacity=\"0.06\"/>\n";
    out_ << "<rect x=\"" << num(x0) << "\" y=\"" << num(zero) << "\" width=\"" << num(x1 - x0)
         << "\" height=\"" << num(scale_.bottom - zero) << "\" fill=\"#dc2626\" fill-opacity=\"0.06\"/>\n";
    out_ << "<g class=\"axis\">\n";
    for (int k = -2; k <= 2; ++k) {
      const double v = scale_.extent * k / 2;
      const double y = scale_.y(v);
      out_ << "<line x1=\"" << num(x0) << "\" y1=\"" << num(y) << "\" x2=\"" << num(x1) << "\" y2=\""
           << num(y) << "\" stroke=\"" << (k == 0 ? "#6b7280" : "#e5e7eb") << '"'
           << (k == 0 ? " stroke-dasharray=\"4 3\"" : "") << "/>\n";
      text(x0 - 6, y + 3.5, "axis", k == 0 ? "0" : signed2(v), "text-anchor=\"end\"");
    }
    out_ << "</g>\n";
    for (std::size_t l = 0; l < lanes_.size(); ++l) {
      const Lane& lane = lanes_[l];
      if (l > 0)
        out_ << "<line x1=\"0\" y1=\"" << num(lane.y) << "\" x2=\"" << num(width_) << "\" y2=\""
             << num(lane.y) << "\" stroke=\"#e5e7eb\"/>\n";
      out_ << "<g class=\"lane-title\" data-lane=\"" << l << "\">\n";
      const double ty = l == kHeader ? lane.y + 24 : lane.y + 18;
      text(8, ty, "lane-title", lane.title);
      double y = ty + 14;
      for (const std::string& line : wrap(lane.note, 22, 3)) {
        text(8, y, "note", line);
        y += 12;
      }
      out_ << "</g>\n";
    }
    out_ << "</g>\n";
  }

  // One path per segment (a gap where a stage has no sentences) and one band
  // polygon per run of consecutive stages with data.
  void write_curves() {
    for (std::size_t s = 0; s < segments_.size(); ++s) {
      const JourneyMapSegment& seg = *segments_[s];
      std::vector<std::vector<std::pair<std::size_t, const StageRow*>>> runs(1);
      for (std::size_t i = 0; i < map_.stages.size(); ++i) {
        const StageRow* r = find_stage(seg.by_stage, map_.stages[i].name);
        if (r && r->events_n > 0)
          runs.back().emplace_back(i, r);
        else if (!runs.back().empty())
          runs.emplace_back();
      }
      if (runs.back().empty()) runs.pop_back();
      out_ << "<g class=\"segment-curve\" data-segment=\"" << s << "\">\n";
      for (const auto& run : runs) {
        std::string points;
        const double half = run.size() == 1 ? 4 : 0;  // a lone stage: a narrow bar
        auto point = [&](double x, double v) { points += cat(num(x), ",", num(scale_.y(v)), " "); };
        for (const auto& [i, r] : run) {
          point(column_mid(i) - half, r->ci_high);
          if (half > 0) point(column_mid(i) + half, r->ci_high);
        }
        for (auto it = run.rbegin(); it != run.rend(); ++it) {
          if (half > 0) point(column_mid(it->first) + half, it->second->ci_low);
          point(column_mid(it->first) - half, it->second->ci_low);
        }
        points.pop_back();
        out_ << "<polygon class=\"band\" data-segment=\"" << s << "\" points=\"" << points << "\" fill=\""
             << colour(s) << "\" fill-opacity=\"0.16\" stroke=\"none\"/>\n";
      }
      std::string d;
      for (const auto& run : runs)
        for (std::size_t k = 0; k < run.size(); ++k)
          d += cat(d.empty() ? "" : " ", k == 0 ? "M" : "L", num(column_mid(run[k].first)), ",",
                   num(scale_.y(run[k].second->mean)));
      out_ << "<path class=\"curve\" data-segment=\"" << s << "\" data-label=\"" << html_escape(seg.label)
           << "\" d=\"" << d << "\" fill=\"none\" stroke=\"" << colour(s)
           << "\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>\n";
      out_ << "</g>\n";
    }
  }

  void write_column(std::size_t i) {
    const JourneyMapStage& stage = map_.stages[i];
    const StageRow* first = segments_.empty() ? nullptr : find_stage(segments_[0]->by_stage, stage.name);
    out_ << "<g class=\"stage\" data-stage=\"" << html_escape(stage.name) << "\" data-index=\"" << i
         << "\" data-events=\"" << (first ? first->events_n : 0) << "\" data-feedback=\""
         << (first ? first->feedback_n : 0) << "\" data-mean=\"" << (first ? num(first->mean, 3) : "")
         << "\">\n";
    write_header(i);
    for (std::size_t s = 0; s < segments_.size(); ++s) write_segment_cells(i, s);
    out_ << "</g>\n";
  }

  void write_header(std::size_t i) {
    const JourneyMapStage& stage = map_.stages[i];
    const double x0 = column_x(i) + 3, x1 = column_x(i) + kColumn - 3, tip = 12;
    const double top = lanes_[kHeader].y + 8, bottom = top + 34, mid = (top + bottom) / 2;
    // A chevron: the journey reads left to right; the first stage has no notch.
    out_ << "<polygon class=\"chevron\" points=\"" << num(x0) << ',' << num(top) << ' ' << num(x1 - tip)
         << ',' << num(top) << ' ' << num(x1) << ',' << num(mid) << ' ' << num(x1 - tip) << ',' << num(bottom)
         << ' ' << num(x0) << ',' << num(bottom);
    if (i > 0) out_ << ' ' << num(x0 + tip) << ',' << num(mid);
    out_ << "\" fill=\"#1e3a5f\"/>\n";
    text(column_mid(i), mid + 4.5, "stage-name", ellipsize(stage.name, 24), "text-anchor=\"middle\"");
    double y = bottom + 14;
    for (const std::string& line : wrap(stage.description, 38, 3)) {
      text(column_x(i) + kInset, y, "desc", line);
      y += 12;
    }
  }

  // A segment's sub-heading inside a lane, when two segments share the map.
  double sub_heading(std::size_t i, std::size_t s, double y) {
    if (!compare_) return y;
    out_ << "<circle cx=\"" << num(column_x(i) + kInset + 4) << "\" cy=\"" << num(y + 8)
         << "\" r=\"4\" fill=\"" << colour(s) << "\"/>\n";
    text(column_x(i) + kInset + 12, y + 11.5, "meta", ellipsize(segments_[s]->label, 32));
    return y + kSubH;
  }

  // One bar row: label on the left, value on the right, a thin bar below.
  void bar_row(std::size_t i, std::size_t s, double y, std::string_view label, std::string_view value,
               double fraction) {
    const double x0 = column_x(i) + kInset, w = kColumn - 2 * kInset;
    text(x0, y + 11, "", label);
    text(x0 + w, y + 11, "muted", value, "text-anchor=\"end\"");
    out_ << "<rect x=\"" << num(x0) << "\" y=\"" << num(y + 13.5) << "\" width=\"" << num(w)
         << "\" height=\"3\" fill=\"#e5e7eb\"/>\n";
    out_ << "<rect x=\"" << num(x0) << "\" y=\"" << num(y + 13.5) << "\" width=\""
         << num(w * std::clamp(fraction, 0.0, 1.0)) << "\" height=\"3\" fill=\"" << colour(s) << "\"/>\n";
  }

  void write_segment_cells(std::size_t i, std::size_t s) {
    const JourneyMapSegment& seg = *segments_[s];
    const JourneyMapStage& stage = map_.stages[i];
    const StageRow* r = find_stage(seg.by_stage, stage.name);
    const double x0 = column_x(i) + kInset;
    out_ << "<g class=\"segment\" data-segment=\"" << s << "\" data-label=\"" << html_escape(seg.label)
         << "\" data-events=\"" << (r ? r->events_n : 0) << "\" data-feedback=\"" << (r ? r->feedback_n : 0)
         << "\" data-mean=\"" << (r ? num(r->mean, 3) : "") << "\" data-ci-low=\""
         << (r ? num(r->ci_low, 3) : "") << "\" data-ci-high=\"" << (r ? num(r->ci_high, 3) : "")
         << "\" data-nps=\"" << (r && r->mean_nps ? num(*r->mean_nps, 2) : "") << "\" data-csat=\""
         << (r && r->mean_csat ? num(*r->mean_csat, 2) : "") << "\" data-pains=\""
         << (r ? html_escape(top_pains_text(*r, kTopPains)) : "") << "\">\n";

    // Volume.
    double y = lanes_[kVolume].y + 6 + kVolumeSegH * static_cast<double>(s);
    double tx = x0;
    if (compare_) {
      out_ << "<circle cx=\"" << num(x0 + 4) << "\" cy=\"" << num(y + 9) << "\" r=\"4\" fill=\"" << colour(s)
           << "\"/>\n";
      tx += 12;
    }
    if (!r || r->events_n == 0) {
      text(tx, y + 13, "muted", "no customer sentences");
      out_ << "</g>\n";
      return;
    }
    out_ << "<text x=\"" << num(tx) << "\" y=\"" << num(y + 13)
         << "\" class=\"volume\"><tspan font-weight=\"600\">" << r->feedback_n
         << "</tspan> feedback \u00b7 <tspan font-weight=\"600\">" << r->events_n
         << "</tspan> sentences</text>\n";
    std::string scores;
    if (r->mean_nps) scores += cat("NPS ", num(*r->mean_nps, 1));
    if (r->mean_csat) scores += cat(scores.empty() ? "" : " \u00b7 ", "CSAT ", num(*r->mean_csat, 1));
    text(tx, y + 28, "muted", scores.empty() ? std::string("no NPS or CSAT given") : cat("mean ", scores));

    write_point(i, s, *r);
    write_feelings(i, s, *r);
    write_touchpoints(i, s, *r);
    write_pains(i, s, *r);
    write_quotes(i, s, *r);
    out_ << "</g>\n";
  }

  void write_point(std::size_t i, std::size_t s, const StageRow& r) {
    const double cx = column_mid(i), cy = scale_.y(r.mean);
    out_ << "<circle class=\"point\" cx=\"" << num(cx) << "\" cy=\"" << num(cy)
         << "\" r=\"4.5\" fill=\"#fff\" stroke=\"" << colour(s) << "\" stroke-width=\"2\"><title>"
         << html_escape(cat(map_.stages[i].name, " \u00b7 ", segments_[s]->label, ": mean ", num(r.mean, 3),
                            " (95% CI ", num(r.ci_low, 3), " to ", num(r.ci_high, 3), "), ",
                            std::to_string(r.events_n), " sentences"))
         << "</title></circle>\n";
    // The label goes on the side away from the other segment's point, so
    // two close means do not print over each other; ties: first above.
    bool above = true;
    if (compare_) {
      const StageRow* other = find_stage(segments_[1 - s]->by_stage, map_.stages[i].name);
      if (other && other->events_n > 0) above = r.mean > other->mean || (r.mean == other->mean && s == 0);
    }
    text(cx + 8, above ? cy - 8 : cy + 16, "point-label", signed2(r.mean),
         std::string("fill=\"") + colour(s) + "\"");
  }

  void write_feelings(std::size_t i, std::size_t s, const StageRow& r) {
    const StageTable& t = segments_[s]->by_stage;
    double y = sub_heading(i, s, lanes_[kFeelings].y + 6 + segment_block(kFeelings, s));
    std::vector<std::size_t> order;
    std::size_t neutral = t.emotions.size();
    for (std::size_t k = 0; k < t.emotions.size() && k < r.emotion_share.size(); ++k) {
      if (t.emotions[k] == "neutral")
        neutral = k;
      else if (r.emotion_share[k] > 0)
        order.push_back(k);
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return r.emotion_share[a] > r.emotion_share[b]; });
    if (order.size() > kTopEmotions) order.resize(kTopEmotions);
    for (std::size_t k : order) {
      out_ << "<g class=\"emotion\" data-emotion=\"" << html_escape(t.emotions[k]) << "\" data-share=\""
           << num(r.emotion_share[k], 3) << "\">\n";
      bar_row(i, s, y, t.emotions[k], percent(r.emotion_share[k]), r.emotion_share[k]);
      out_ << "</g>\n";
      y += kRowH;
    }
    if (order.empty()) {
      text(column_x(i) + kInset, y + 11, "muted", "no emotion beyond neutral");
      y += kRowH;
    }
    if (neutral < r.emotion_share.size())
      text(column_x(i) + kInset, y + 11, "muted", cat("neutral ", percent(r.emotion_share[neutral])),
           cat("data-share=\"", num(r.emotion_share[neutral], 3), "\""));
  }

  void write_touchpoints(std::size_t i, std::size_t s, const StageRow& r) {
    const std::string& stage = map_.stages[i].name;
    double y = sub_heading(i, s, lanes_[kTouchpoints].y + 6 + segment_block(kTouchpoints, s));
    std::vector<const StageRow*> named;
    std::int64_t unnamed = 0;
    for (const StageRow& t : segments_[s]->by_touchpoint.rows) {
      if (t.stage != stage || t.group.empty()) continue;
      if (t.group[0].empty() || t.group[0] == "none")
        unnamed += t.events_n;
      else
        named.push_back(&t);
    }
    std::stable_sort(named.begin(), named.end(), [](const StageRow* a, const StageRow* b) {
      if (a->events_n != b->events_n) return a->events_n > b->events_n;
      return a->group[0] < b->group[0];
    });
    std::int64_t rest_n = 0;
    std::size_t rest = 0;
    for (std::size_t k = 0; k < named.size(); ++k) {
      const StageRow& t = *named[k];
      if (k >= kTopTouchpoints) {
        rest_n += t.events_n;
        ++rest;
        continue;
      }
      const double share =
          r.events_n > 0 ? static_cast<double>(t.events_n) / static_cast<double>(r.events_n) : 0;
      out_ << "<g class=\"touchpoint\" data-touchpoint=\"" << html_escape(t.group[0]) << "\" data-events=\""
           << t.events_n << "\" data-feedback=\"" << t.feedback_n << "\">\n";
      bar_row(i, s, y, t.group[0], cat(std::to_string(t.events_n), " \u00b7 ", percent(share)), share);
      out_ << "</g>\n";
      y += kRowH;
    }
    std::string tail;
    if (rest > 0) tail = cat(std::to_string(rest), " more: ", std::to_string(rest_n));
    if (unnamed > 0) tail += cat(tail.empty() ? "" : " \u00b7 ", "none named: ", std::to_string(unnamed));
    if (named.empty() && unnamed == 0) tail = "no touchpoint figures";
    if (!tail.empty()) text(column_x(i) + kInset, y + 11, "muted", tail);
  }

  void write_pains(std::size_t i, std::size_t s, const StageRow& r) {
    double y = sub_heading(i, s, lanes_[kPains].y + 6 + segment_block(kPains, s));
    // The same choice as top_pains_text: rate above zero, highest first, ties
    // in pain_kinds() order.
    std::vector<std::size_t> order;
    for (std::size_t k = 0; k < r.pain_rate.size() && k < pain_kinds().size(); ++k)
      if (r.pain_rate[k] > 0) order.push_back(k);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return r.pain_rate[a] > r.pain_rate[b]; });
    if (order.size() > kTopPains) order.resize(kTopPains);
    for (std::size_t k : order) {
      out_ << "<g class=\"pain\" data-pain=\"" << html_escape(pain_kinds()[k]) << "\" data-rate=\""
           << num(r.pain_rate[k], 3) << "\">\n";
      bar_row(i, s, y, pain_kinds()[k], percent(r.pain_rate[k]), r.pain_rate[k]);
      out_ << "</g>\n";
      y += kRowH;
    }
    if (order.empty()) text(column_x(i) + kInset, y + 11, "muted", "no pain points");
  }

  void write_quotes(std::size_t i, std::size_t s, const StageRow& r) {
    double y = sub_heading(i, s, lanes_[kQuotes].y + 6 + segment_block(kQuotes, s));
    const bool same = r.most_negative && r.most_positive &&
                      r.most_negative->feedback_id == r.most_positive->feedback_id &&
                      r.most_negative->ordinal == r.most_positive->ordinal;
    if (!r.most_negative && !r.most_positive) {
      text(column_x(i) + kInset, y + 11, "muted", "no quotes");
      return;
    }
    if (r.most_negative) {
      write_quote(i, y, same ? "only sentence" : "most negative", "negative", same ? "#6b7280" : "#dc2626",
                  *r.most_negative);
      y += kQuoteH;
    }
    if (r.most_positive && !same) write_quote(i, y, "most positive", "positive", "#16a34a", *r.most_positive);
  }

  void write_quote(std::size_t i, double y, std::string_view caption, std::string_view kind,
                   const char* accent, const StageQuote& q) {
    const double x0 = column_x(i) + kInset;
    const auto lines = wrap(q.sentence, kQuoteChars, kQuoteLines);
    out_ << "<g class=\"quote " << kind << "\" data-feedback-id=\"" << html_escape(q.feedback_id)
         << "\" data-ordinal=\"" << q.ordinal << "\" data-compound=\"" << num(q.compound, 3) << "\"><title>"
         << html_escape(q.sentence) << "</title>\n";
    out_ << "<rect x=\"" << num(x0) << "\" y=\"" << num(y + 2) << "\" width=\"3\" height=\""
         << num(16 + static_cast<double>(lines.size()) * kQuoteLineH + 10) << "\" fill=\"" << accent
         << "\"/>\n";
    text(x0 + 8, y + 11, "meta", cat(caption, " \u00b7 ", signed2(q.compound)));
    double ly = y + 16 + 11;
    for (std::size_t k = 0; k < lines.size(); ++k) {
      std::string line = lines[k];
      if (k == 0) line = cat("\u201c", line);
      if (k + 1 == lines.size()) line += "\u201d";
      text(x0 + 8, ly, "quote-text", line);
      ly += kQuoteLineH;
    }
    // Where it comes from, for `cxmap show`.
    text(x0 + 8, ly + 1, "meta", cat("feedback ", q.feedback_id, " #", std::to_string(q.ordinal)));
    out_ << "</g>\n";
  }

  // Offset of segment s's block inside a lane whose blocks stack per segment.
  double segment_block(std::size_t lane, std::size_t s) const {
    const double sub = compare_ ? kSubH : 0;
    double block = 0;
    switch (lane) {
      case kFeelings:
        block = sub + (kTopEmotions + 1) * kRowH;
        break;
      case kTouchpoints:
        block = sub + (kTopTouchpoints + 1) * kRowH;
        break;
      case kPains:
        block = sub + kTopPains * kRowH;
        break;
      case kQuotes:
        block = sub + 2 * kQuoteH;
        break;
      default:
        break;
    }
    return block * static_cast<double>(s);
  }

  void write_notes() {
    // Sentences whose stage is not a column (no stage cue: "none") are
    // counted here, so the map's totals reconcile with the export.
    for (std::size_t s = 0; s < segments_.size(); ++s) {
      const JourneyMapSegment& seg = *segments_[s];
      std::int64_t unplaced = 0;
      std::vector<std::string> names;
      for (const StageRow& r : seg.by_stage.rows) {
        if (!r.group.empty()) continue;
        const bool column = std::any_of(map_.stages.begin(), map_.stages.end(),
                                        [&](const JourneyMapStage& st) { return st.name == r.stage; });
        if (column) continue;
        unplaced += r.events_n;
        names.push_back(r.stage);
      }
      std::string stages;
      for (const std::string& n : names) stages += cat(stages.empty() ? "" : ", ", n);
      out_ << "<p class=\"unplaced\" data-segment=\"" << s << "\" data-events=\"" << unplaced << "\">"
           << html_escape(seg.label) << ": " << unplaced << " customer sentences are not on the map"
           << (unplaced > 0 ? cat(" (stage ", html_escape(stages), ": no stage cue)") : std::string())
           << ".</p>\n";
    }
    out_ << "<p>The band around each curve is the 95% confidence interval of the mean (normal "
            "approximation, mean \u00b1 1.96 sd / \u221an). Feelings are the shares of sentences whose "
            "dominant emotion is that one. Pain points are the shares of sentences that reveal them. Hover "
            "a point or a quote for its full text.</p>\n";
  }

  const JourneyMap& map_;
  std::ostream& out_;
  std::vector<const JourneyMapSegment*> segments_;
  bool compare_ = false;
  std::vector<Lane> lanes_;
  double width_ = 0, height_ = 0;
  Scale scale_;
};

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
      case '\n':
      case '\r':
        out += c;
        break;
      default:
        // Control characters are not allowed in XML and mean nothing on a map.
        out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
    }
  }
  return out;
}

void write_journey_map(const JourneyMap& map, std::ostream& out) {
  Renderer(map, out).write();
}

}  // namespace cxmap
