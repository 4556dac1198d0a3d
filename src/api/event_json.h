// The JSON form of a change-feed event, shared by /v1/feed and
// /v1/citizens/{id}/history.
#pragma once

#include <boost/json/object.hpp>

#include "registry/registry.h"

namespace dancu::api {

boost::json::object FeedEventToJson(const registry::FeedEvent& e);

}  // namespace dancu::api
