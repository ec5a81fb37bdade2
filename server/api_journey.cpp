// GET /api/journey/{customer}[?agents=1]: one customer's feedback across
// sources in time order with the links between them, as `cxmap journey
// --json`; 404 for a customer with no feedback. The customer is normalised
// the way the CLI does it (ServerConfig::customer_key).
#include <sstream>

#include "report/customer_journey.h"
#include "server/routes.h"

namespace cxmap {

namespace {

class JourneyHandler final : public RouteHandler {
 public:
  explicit JourneyHandler(const ServerConfig& config) : config_(config) {}

  Reply handle(const Request& request) const override {
    const std::string raw = request.param("customer");
    const std::string key = config_.customer_key ? config_.customer_key(raw) : raw;
    const std::string agents = request.arg("agents").value_or("0");
    if (agents != "0" && agents != "1") return error_reply(400, "agents must be 0 or 1");
    auto store = open_request_store(config_);
    if (!store) return error_reply(store.error());
    auto journey = load_customer_journey(*store, key);
    if (!journey) {
      // The only usage error here is "no feedback from customer ...".
      if (journey.error().kind == ErrorKind::usage) return error_reply(404, journey.error().message);
      return error_reply(journey.error());
    }
    std::ostringstream out;
    write_customer_journey_json(*journey, out, agents == "1");
    return json_reply(out.str());
  }

 private:
  const ServerConfig& config_;
};

}  // namespace

std::shared_ptr<const RouteHandler> make_journey_handler(const ServerConfig& config) {
  return std::make_shared<JourneyHandler>(config);
}

}  // namespace cxmap
