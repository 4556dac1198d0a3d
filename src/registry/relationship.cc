#include <array>
#include <utility>

#include "registry/citizen.h"

namespace dancu::registry {
namespace {

constexpr std::array<std::pair<Relationship, std::string_view>, 10> kNames = {{
    {Relationship::kHead, "head"},
    {Relationship::kSpouse, "spouse"},
    {Relationship::kChild, "child"},
    {Relationship::kParent, "parent"},
    {Relationship::kSibling, "sibling"},
    {Relationship::kGrandchild, "grandchild"},
    {Relationship::kGrandparent, "grandparent"},
    {Relationship::kChildInLaw, "child_in_law"},
    {Relationship::kOtherRelative, "other_relative"},
    {Relationship::kOther, "other"},
}};

}  // namespace

std::string_view ToString(Relationship r) {
  for (const auto& [rel, name] : kNames) {
    if (rel == r) return name;
  }
  return "other";
}

std::optional<Relationship> ParseRelationship(std::string_view text) {
  for (const auto& [rel, name] : kNames) {
    if (name == text) return rel;
  }
  return std::nullopt;
}

}  // namespace dancu::registry
