// Router: the route table. Maps (method, path) to a synchronous handler.
//
// Patterns are "/"-separated segments, each a literal or a whole-segment
// parameter "{name}": "/v1/citizens/{id}/history". Matching is by decoded
// segment; a literal beats a parameter at the same position, with
// backtracking (so "/a/new/x" can still reach "/a/{id}/x" when "/a/new" has
// no "/x" below it). The first path node that matches and has any route
// decides: if it has no route for the method the result is 405 with Allow.
// Trailing slashes and empty segments are significant ("/a/" != "/a").
//
// Add() throws std::invalid_argument for a malformed pattern, a duplicate
// (method, pattern), or two parameter names at one position
// ("/a/{id}" vs "/a/{key}/b"): these are start-up configuration bugs.
//
// Thread safety: build the table with Add() before serving; after that,
// Match() and Dispatch() are const and safe from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/verb.hpp>

#include "http/request_context.h"
#include "http/response.h"

namespace dancu::http {

using Handler = std::function<Response(RequestContext&)>;

// Who may call a route. kPublic: anyone. kAuthenticated (the default):
// register staff (the admin token) only; an agency, officer or citizen
// principal gets 403 auth.forbidden. kOfficer: staff and officers, the
// register routes opened to officers (the handler then checks the officer's
// role and area, identity/officer_roles.h); agencies and citizens get 403.
// kAgency: staff and agencies (verification, match and reconcile routes);
// officers and citizens get 403. So a new principal kind reaches only the
// routes explicitly opened to it. Add() wraps the handler to enforce this
// (401 auth.unauthenticated for an anonymous caller on a kAgency route, 403
// as above), so the policy holds whoever dispatches; the server also answers
// 401 before the handler (and before storing any upload) for every
// non-public route.
enum class Access { kPublic, kAuthenticated, kOfficer, kAgency };

// How the server reads a route's request body. kBuffered: into memory, up to
// the server's body limit (RequestContext::body()). kFile: streamed to a
// temporary file of any size (up to ServerOptions::upload_limit), after the
// request has been authenticated; the handler reads
// RequestContext::body_file() and must move the file to keep it (the server
// deletes it once the handler returns).
enum class BodyMode { kBuffered, kFile };

struct Route {
  boost::beast::http::verb method;
  std::string pattern;
  Handler handler;
  Access access;
  BodyMode body_mode;
  size_t index;  // 0..Router::size()-1 in Add order, for per-route state
};

struct RouteMatch {
  const Route* route = nullptr;  // the path and the method matched
  std::string_view allow;        // path matched, method did not: "GET, POST"
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  void Add(boost::beast::http::verb method, std::string pattern,
           Handler handler, Access access = Access::kAuthenticated,
           BodyMode body_mode = BodyMode::kBuffered);

  // On a match, fills ctx's path parameters and route pattern. Neither
  // route nor allow set means 404.
  RouteMatch Match(RequestContext& ctx) const;

  // Match, then 404 (request.not_found) / 405 (request.method_not_allowed,
  // with Allow) problems, else the handler's response. No authentication and
  // no exception handling: that is the server's job. Meant for handler tests.
  Response Dispatch(RequestContext& ctx) const;

  // The 404/405 problem for a match without a route (Dispatch and the server
  // answer unmatched requests identically).
  static Response UnmatchedResponse(const RouteMatch& match,
                                    const RequestContext& ctx);

  size_t size() const { return routes_.size(); }
  const Route& route(size_t i) const { return *routes_[i]; }

  // Runs after the handler of every kAgency route when the caller is an
  // agency, on the response it returned: the hub's data minimization
  // (api/agency_access.h). Applies to routes added before and after the
  // call. Set once, before serving.
  using ResponseFilter = std::function<void(const RequestContext&, Response&)>;
  void SetAgencyResponseFilter(ResponseFilter filter) { *agency_filter_ = std::move(filter); }

 private:
  struct Node;
  const Node* MatchFrom(const Node& node, size_t depth,
                        RequestContext& ctx) const;

  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
  std::shared_ptr<ResponseFilter> agency_filter_ = std::make_shared<ResponseFilter>();
};

}  // namespace dancu::http
