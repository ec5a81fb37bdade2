// GET /api/feedback/{id}: one feedback with each sentence's tags, as
// `cxmap show --json`; 404 when no feedback has that id.
#include <sstream>

#include "server/json_views.h"
#include "server/routes.h"

namespace cxmap {

namespace {

class FeedbackHandler final : public RouteHandler {
 public:
  explicit FeedbackHandler(const ServerConfig& config) : config_(config) {}

  Reply handle(const Request& request) const override {
    const std::string id = request.param("id");
    auto store = open_request_store(config_);
    if (!store) return error_reply(store.error());
    auto fb = store->feedback(id);
    if (!fb) return error_reply(fb.error());
    if (!*fb) return error_reply(404, "no feedback with id " + id);
    auto events = store->events_of(id);
    if (!events) return error_reply(events.error());
    std::ostringstream out;
    write_feedback_json(**fb, *events, out, false);
    return json_reply(out.str());
  }

 private:
  const ServerConfig& config_;
};

}  // namespace

std::shared_ptr<const RouteHandler> make_feedback_handler(const ServerConfig& config) {
  return std::make_shared<FeedbackHandler>(config);
}

}  // namespace cxmap
