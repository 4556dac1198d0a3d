#include "http/request_context.h"

#include <stdexcept>

#include <boost/url/parse.hpp>
#include <openssl/rand.h>

namespace dancu::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Appends the decoding of `s`, which Boost.URL already validated (every '%'
// is followed by two hex digits).
void AppendDecoded(std::string& out, std::string_view s, bool plus_is_space) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
        HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
}

bool IsSaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' ||
              c == '-';
    if (!ok) return false;
  }
  return true;
}

// Request ids need to be unique, not secret: a per-thread SplitMix64 stream
// seeded once from the OS avoids both locks and a syscall per request.
uint64_t NextRequestIdBits() {
  thread_local uint64_t state = [] {
    uint64_t seed = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed) != 1) {
      seed = reinterpret_cast<uintptr_t>(&seed) ^ 0x9e3779b97f4a7c15ull;
    }
    return seed;
  }();
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void AssignGeneratedId(std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t bits = NextRequestIdBits();
  out.resize(16);
  for (int i = 15; i >= 0; --i) {
    out[i] = kHex[bits & 0xf];
    bits >>= 4;
  }
}

}  // namespace

std::string NewRequestId() {
  std::string id;
  AssignGeneratedId(id);
  return id;
}

RequestContext::RequestContext(std::string remote_address)
    : remote_address_(std::move(remote_address)) {}
RequestContext::RequestContext(RequestContext&&) noexcept = default;
RequestContext& RequestContext::operator=(RequestContext&&) noexcept = default;
RequestContext::~RequestContext() = default;

Status RequestContext::Reset(const Request& request) {
  request_ = &request;
  principal = Principal{};
  params_.clear();
  route_pattern_ = {};
  body_file_.clear();
  path_.clear();
  segments_.clear();
  query_ = {};

  auto id = header("X-Request-Id");
  if (id && IsSaneRequestId(*id)) {
    request_id_.assign(id->data(), id->size());
  } else {
    AssignGeneratedId(request_id_);
  }

  auto raw = request.target();
  auto url = boost::urls::parse_origin_form(
      boost::core::string_view(raw.data(), raw.size()));
  if (!url) {
    path_ = "/";
    return Fail("request.bad_parameter",
                "request target is not a valid origin-form URI");
  }
  for (auto seg : url->encoded_segments()) {
    path_ += '/';
    uint32_t begin = static_cast<uint32_t>(path_.size());
    AppendDecoded(path_, std::string_view(seg.data(), seg.size()),
                  /*plus_is_space=*/false);
    segments_.emplace_back(begin, static_cast<uint32_t>(path_.size()) - begin);
  }
  if (path_.empty()) path_ = "/";
  if (url->has_query()) {
    auto q = url->encoded_query();
    query_ = std::string_view(q.data(), q.size());
  }
  return {};
}

RequestContext RequestContext::MakeForTest(Request request,
                                           std::string remote_address) {
  RequestContext ctx(std::move(remote_address));
  ctx.owned_ = std::make_unique<Request>(std::move(request));
  if (auto s = ctx.Reset(*ctx.owned_); !s) {
    throw std::invalid_argument("MakeForTest: " + s.error().message);
  }
  return ctx;
}

void RequestContext::SetPathParamForTest(std::string name, std::string value) {
  params_.emplace_back(std::move(name), std::move(value));
}

boost::beast::http::verb RequestContext::method() const {
  return request_->method();
}

std::string_view RequestContext::target() const {
  auto t = request_->target();
  return std::string_view(t.data(), t.size());
}

std::optional<std::string> RequestContext::query(std::string_view key) const {
  std::string_view rest = query_;
  std::string decoded_key;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    size_t eq = pair.find('=');
    std::string_view k = pair.substr(0, eq);
    decoded_key.clear();
    AppendDecoded(decoded_key, k, /*plus_is_space=*/true);
    if (decoded_key != key) continue;
    std::string value;
    if (eq != std::string_view::npos) {
      AppendDecoded(value, pair.substr(eq + 1), /*plus_is_space=*/true);
    }
    return value;
  }
  return std::nullopt;
}

std::string_view RequestContext::path_param(std::string_view name) const {
  for (const auto& [k, v] : params_) {
    if (k == name) return v;
  }
  return {};
}

std::optional<std::string_view> RequestContext::header(
    std::string_view name) const {
  auto it = request_->find(boost::beast::string_view(name.data(), name.size()));
  if (it == request_->end()) return std::nullopt;
  auto v = it->value();
  return std::string_view(v.data(), v.size());
}

const std::string& RequestContext::body() const { return request_->body(); }

}  // namespace dancu::http
