#include "http/router.h"

#include <optional>
#include <stdexcept>

namespace dancu::http {

namespace http = boost::beast::http;

struct Router::Node {
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
  std::unique_ptr<Node> param;
  std::string param_name;
  std::vector<const Route*> routes;  // a handful at most: linear search
  std::string allow;
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

namespace {

std::vector<std::string_view> SplitPattern(std::string_view pattern) {
  if (pattern.empty() || pattern[0] != '/') {
    throw std::invalid_argument("route pattern must start with '/': " +
                                std::string(pattern));
  }
  std::vector<std::string_view> segments;
  if (pattern == "/") return segments;
  std::string_view rest = pattern.substr(1);
  for (;;) {
    size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    if (seg.empty()) {
      throw std::invalid_argument("empty segment in route pattern: " +
                                  std::string(pattern));
    }
    bool opens = seg.front() == '{', closes = seg.back() == '}';
    if (opens != closes || (opens && seg.size() < 3) ||
        seg.substr(opens ? 1 : 0, seg.size() - (opens ? 2 : 0))
                .find_first_of("{}") != std::string_view::npos) {
      throw std::invalid_argument("bad segment '" + std::string(seg) +
                                  "' in route pattern " + std::string(pattern));
    }
    segments.push_back(seg);
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  return segments;
}

// 403 for a principal kind that `access` does not admit (anonymous callers
// are the server's to refuse, or kAgency's 401 below).
std::optional<Response> Forbidden(Access access, Principal::Kind kind) {
  using K = Principal::Kind;
  if (kind == K::kAnonymous || kind == K::kAdmin) return std::nullopt;
  if (kind == K::kOfficer && access == Access::kOfficer) return std::nullopt;
  if (kind == K::kAgency && access == Access::kAgency) return std::nullopt;
  const char* detail = kind == K::kAgency    ? "agency clients may call only the agency routes"
                       : kind == K::kOfficer ? "officers may call only the officer routes"
                                             : "this route is for register staff";
  return ProblemResponse(403, "auth.forbidden", detail);
}

// The access policy of router.h, around the handler.
Handler EnforceAccess(Access access, Handler handler,
                      std::shared_ptr<Router::ResponseFilter> agency_filter) {
  switch (access) {
    case Access::kPublic:
      return handler;
    case Access::kAuthenticated:
    case Access::kOfficer:
      return [h = std::move(handler), access](RequestContext& ctx) {
        if (auto denied = Forbidden(access, ctx.principal.kind)) return std::move(*denied);
        return h(ctx);
      };
    case Access::kAgency:
      return [h = std::move(handler), agency_filter](RequestContext& ctx) {
        if (auto denied = Forbidden(Access::kAgency, ctx.principal.kind)) {
          return std::move(*denied);
        }
        if (ctx.principal.kind == Principal::Kind::kAnonymous) {
          Response r = ProblemResponse(401, "auth.unauthenticated",
                                       "this endpoint requires authentication");
          r.headers.emplace_back("WWW-Authenticate", "Bearer");
          return r;
        }
        Response r = h(ctx);
        if (ctx.principal.kind == Principal::Kind::kAgency && *agency_filter) {
          (*agency_filter)(ctx, r);
        }
        return r;
      };
  }
  return handler;
}

}  // namespace

void Router::Add(http::verb method, std::string pattern, Handler handler,
                 Access access, BodyMode body_mode) {
  if (!handler) throw std::invalid_argument("empty handler for " + pattern);
  handler = EnforceAccess(access, std::move(handler), agency_filter_);
  Node* node = root_.get();
  for (std::string_view seg : SplitPattern(pattern)) {
    if (seg.front() == '{') {
      std::string_view name = seg.substr(1, seg.size() - 2);
      if (!node->param) {
        node->param = std::make_unique<Node>();
        node->param_name = std::string(name);
      } else if (node->param_name != name) {
        throw std::invalid_argument("route " + pattern + " names parameter {" +
                                    std::string(name) + "} where another "
                                    "route has {" + node->param_name + "}");
      }
      node = node->param.get();
    } else {
      Node* next = nullptr;
      for (auto& [lit, child] : node->literals) {
        if (lit == seg) next = child.get();
      }
      if (next == nullptr) {
        node->literals.emplace_back(std::string(seg), std::make_unique<Node>());
        next = node->literals.back().second.get();
      }
      node = next;
    }
  }
  for (const Route* r : node->routes) {
    if (r->method == method) {
      throw std::invalid_argument("duplicate route " +
                                  std::string(http::to_string(method)) + " " +
                                  pattern);
    }
  }
  auto route = std::make_unique<Route>(Route{
      method, std::move(pattern), std::move(handler), access, body_mode,
      routes_.size()});
  node->routes.push_back(route.get());
  if (!node->allow.empty()) node->allow += ", ";
  node->allow += http::to_string(method);
  routes_.push_back(std::move(route));
}

const Router::Node* Router::MatchFrom(const Node& node, size_t depth,
                                      RequestContext& ctx) const {
  if (depth == ctx.segment_count()) {
    return node.routes.empty() ? nullptr : &node;
  }
  std::string_view seg = ctx.segment(depth);
  for (const auto& [lit, child] : node.literals) {
    if (lit == seg) {
      if (const Node* n = MatchFrom(*child, depth + 1, ctx)) return n;
      break;
    }
  }
  if (node.param && !seg.empty()) {  // "{id}" never matches ""
    ctx.params_.emplace_back(node.param_name, seg);
    if (const Node* n = MatchFrom(*node.param, depth + 1, ctx)) return n;
    ctx.params_.pop_back();
  }
  return nullptr;
}

RouteMatch Router::Match(RequestContext& ctx) const {
  ctx.params_.clear();
  ctx.route_pattern_ = {};
  const Node* node = MatchFrom(*root_, 0, ctx);
  if (node == nullptr) return {};
  for (const Route* r : node->routes) {
    if (r->method == ctx.method()) {
      ctx.route_pattern_ = r->pattern;
      return {r, {}};
    }
  }
  ctx.params_.clear();
  return {nullptr, node->allow};
}

Response Router::Dispatch(RequestContext& ctx) const {
  RouteMatch m = Match(ctx);
  if (m.route != nullptr) return m.route->handler(ctx);
  return UnmatchedResponse(m, ctx);
}

Response Router::UnmatchedResponse(const RouteMatch& m,
                                   const RequestContext& ctx) {
  if (!m.allow.empty()) {
    Response r = ProblemResponse(
        405, "request.method_not_allowed",
        std::string(http::to_string(ctx.method())) + " is not allowed here");
    r.headers.emplace_back("Allow", std::string(m.allow));
    return r;
  }
  return ProblemResponse(404, "request.not_found",
                         "no route for " + std::string(ctx.path()));
}

}  // namespace dancu::http
