// Query parser: the QueryParser set-up of the search language.
#include "search/query_parser.h"

#include "db/fields.h"

namespace cxmap {

Xapian::QueryParser make_query_parser(const Xapian::Database& db) {
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_default_op(Xapian::Query::OP_AND);
  for (const Field& f : kFilterFields) qp.add_boolean_prefix(std::string(f.name), std::string(f.term_prefix));
  qp.add_rangeprocessor((new Xapian::DateRangeProcessor(slot_date, "date:", Xapian::RP_REPEATED))->release());
  qp.add_rangeprocessor((new Xapian::NumberRangeProcessor(slot_nps, "nps:", Xapian::RP_REPEATED))->release());
  qp.add_rangeprocessor((new Xapian::NumberRangeProcessor(slot_csat, "csat:", Xapian::RP_REPEATED))->release());
  qp.add_rangeprocessor((new Xapian::NumberRangeProcessor(slot_compound, "score:", Xapian::RP_REPEATED))->release());
  return qp;
}

Xapian::Query parse_query_text(const Xapian::Database& db, const std::string& text) {
  if (text.find_first_not_of(" \t") == std::string::npos) return Xapian::Query::MatchAll;
  Xapian::Query q = make_query_parser(db).parse_query(text, kQueryParseFlags);
  return q.empty() ? Xapian::Query::MatchAll : q;
}

}  // namespace cxmap
