// dancu get: one citizen as JSON.
#include <boost/json/serialize.hpp>
#include <cstdio>

#include "app/commands.h"
#include "app/register_files.h"
#include "registry/citizen_json.h"

namespace dancu::app {

int Get(const std::string& data_dir, const std::string& id_text) {
  auto id = CitizenId::Parse(id_text);
  if (!id) {
    std::fprintf(stderr, "dancu: %s (%s)\n", id.error().message.c_str(), id.error().code.c_str());
    return 1;
  }
  auto reg = OpenRegisterIn(data_dir, /*create=*/false);
  if (!reg) return 1;
  auto c = reg->registry->GetCitizen(*id);
  if (!c) {
    std::fprintf(stderr, "dancu: %s\n", c.error().message.c_str());
    return 1;
  }
  std::printf("%s\n", boost::json::serialize(registry::CitizenToJson(*c)).c_str());
  return 0;
}

}  // namespace dancu::app
