#include "hub/audit_entry.h"

#include <array>
#include <cstdio>

namespace dancu::hub {
namespace {

constexpr std::array<std::string_view, 5> kKinds = {"staff", "agency", "officer", "citizen",
                                                    "system"};

// JSON string escaping with one spelling per character, so the leaf is a
// function of the entry: '"' and '\' backslashed, control characters as
// \u00XX (lower-case hex), everything else (UTF-8 included) as is.
void AppendString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
}

}  // namespace

std::string_view ToString(ActorKind k) { return kKinds[static_cast<size_t>(k)]; }

std::optional<ActorKind> ParseActorKind(std::string_view s) {
  for (size_t i = 0; i < kKinds.size(); ++i) {
    if (kKinds[i] == s) return static_cast<ActorKind>(i);
  }
  return std::nullopt;
}

std::string LeafData(const AuditEntry& e) {
  std::string out;
  out.reserve(160 + e.actor.size() + e.fields.size() + e.purpose.size() + e.outcome.size());
  out += "{\"v\":1,\"index\":";
  out += std::to_string(e.index);
  out += ",\"time\":";
  AppendString(out, e.time);
  out += ",\"actor\":{\"kind\":";
  AppendString(out, ToString(e.actor_kind));
  out += ",\"id\":";
  AppendString(out, e.actor);
  out += "},\"subject\":";
  AppendString(out, e.subject);
  out += ",\"operation\":";
  AppendString(out, e.operation);
  out += ",\"fields\":[";
  std::string_view rest = e.fields;
  bool first = true;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view name = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (name.empty()) continue;
    if (!first) out.push_back(',');
    first = false;
    AppendString(out, name);
  }
  out += "],\"purpose\":";
  AppendString(out, e.purpose);
  out += ",\"outcome\":";
  AppendString(out, e.outcome);
  out += "}";
  return out;
}

}  // namespace dancu::hub
