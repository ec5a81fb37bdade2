// Single-attempt HTTP(S) GETs over Poco::Net; see http_client.h.
#include "connectors/chat/http_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <istream>
#include <mutex>

namespace cxmap::chat {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

std::string seconds_text(double s) {
  std::string t = std::to_string(s);
  while (!t.empty() && t.back() == '0') t.pop_back();
  if (!t.empty() && t.back() == '.') t.pop_back();
  return t + " s";
}

}  // namespace

struct HttpClient::Impl {
  std::string scheme, host;
  Poco::UInt16 port = 0;
  HttpOptions options;
  Poco::Net::Context::Ptr context;  // https only
  std::unique_ptr<Poco::Net::HTTPClientSession> session;

  std::string origin() const { return scheme + "://" + host + ":" + std::to_string(port); }

  void open() {
    if (scheme == "https")
      session = std::make_unique<Poco::Net::HTTPSClientSession>(host, port, context);
    else
      session = std::make_unique<Poco::Net::HTTPClientSession>(host, port);
    session->setKeepAlive(true);
    session->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(options.timeout_seconds * 1e6)));
  }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;
HttpClient::~HttpClient() = default;

Result<HttpClient> HttpClient::make(const std::string& url, const HttpOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  try {
    Poco::URI uri(url);
    impl->scheme = lower(uri.getScheme());
    impl->host = uri.getHost();
    impl->port = uri.getPort();
    if ((impl->scheme != "http" && impl->scheme != "https") || impl->host.empty())
      return make_error(ErrorKind::config, "not an absolute http(s) URL: " + url);
    if (impl->scheme == "https") {
      static std::once_flag ssl_once;
      std::call_once(ssl_once, [] { Poco::Net::initializeSSL(); });
      Poco::Net::Context::Params params;
      params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;  // the server's certificate is checked
      params.loadDefaultCAs = true;
      params.caLocation = options.ca_file;
      impl->context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
      impl->context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    }
  } catch (const Poco::Exception& e) {
    return make_error(ErrorKind::config, url + ": " + e.displayText());
  }
  return HttpClient(std::move(impl));
}

bool HttpClient::same_origin(const std::string& url) const {
  try {
    Poco::URI uri(url);
    return lower(uri.getScheme()) == impl_->scheme && lower(uri.getHost()) == lower(impl_->host) &&
           uri.getPort() == impl_->port;
  } catch (const Poco::Exception&) {
    return false;
  }
}

HttpReply HttpClient::get(const std::string& url,
                          const std::vector<std::pair<std::string, std::string>>& headers) {
  HttpReply r;
  Impl& c = *impl_;
  if (!same_origin(url)) {
    r.error = "refusing " + url + ": not on " + c.origin();
    return r;
  }
  try {
    Poco::URI uri(url);
    std::string target = uri.getPathAndQuery();
    if (target.empty()) target.push_back('/');  // (not = "/": GCC 12 -Wrestrict false positive)
    if (!c.session) c.open();
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    for (const auto& [name, value] : headers) request.set(name, value);
    c.session->sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = c.session->receiveResponse(response);
    r.connected = true;
    r.status = static_cast<int>(response.getStatus());
    r.reason = response.getReason();
    r.retry_after = response.get("Retry-After", "");
    in.exceptions(std::ios::badbit);  // a read error rethrows the Poco exception behind it
    char buf[16384];
    for (;;) {
      in.read(buf, sizeof buf);
      r.body.append(buf, static_cast<std::size_t>(in.gcount()));
      if (r.body.size() > c.options.max_body_bytes) {
        r.error = "body larger than " + std::to_string(c.options.max_body_bytes) + " bytes";
        c.session.reset();
        return r;
      }
      if (!in) break;
    }
    if (response.hasContentLength() && response.getContentLength64() >= 0 &&
        r.body.size() < static_cast<std::size_t>(response.getContentLength64())) {
      r.error = "truncated body: " + std::to_string(r.body.size()) + " of " +
                std::to_string(response.getContentLength64()) + " bytes";
      c.session.reset();
      return r;
    }
    r.body_complete = true;
    if (!response.getKeepAlive()) c.session.reset();
    return r;
  } catch (const Poco::TimeoutException&) {
    r.error = std::string(r.connected ? "timed out reading the body" : "no answer") + " within " +
              seconds_text(c.options.timeout_seconds);
  } catch (const Poco::Exception& e) {
    r.error = (r.connected ? "reading the body: " : "") + e.displayText();
  } catch (const std::exception& e) {
    r.error = (r.connected ? "reading the body: " : "") + std::string(e.what());
  }
  c.session.reset();
  return r;
}

}  // namespace cxmap::chat
