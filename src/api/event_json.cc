#include "api/event_json.h"

#include <boost/json/parse.hpp>

namespace dancu::api {

boost::json::object FeedEventToJson(const registry::FeedEvent& e) {
  boost::json::object o;
  o["seq"] = e.seq;
  o["type"] = e.type;
  if (e.citizen_id) {
    o["citizen_id"] = e.citizen_id->ToString();
  } else {
    o["citizen_id"] = nullptr;
  }
  o["at"] = e.at;
  o["actor"] = e.actor;
  o["reason"] = e.reason;
  o["data"] = boost::json::parse(e.data_json);
  return o;
}

}  // namespace dancu::api
