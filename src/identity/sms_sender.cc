#include "identity/sms_sender.h"

#include <cstdio>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace dancu::identity {

Status DevSmsSender::Send(const SmsMessage& message) {
  boost::json::object line;
  line["to"] = message.to;
  line["text"] = message.text;
  line["code"] = message.code;
  line["at"] = FormatTimestamp(clock_.Now());
  std::string text = boost::json::serialize(line);
  text += '\n';

  std::lock_guard lock(mu_);
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  std::FILE* f = std::fopen(file_.c_str(), "a");
  if (f == nullptr) {
    return Fail("sms.send_failed", "cannot open the development SMS outbox " + file_.string());
  }
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fflush(f) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) return Fail("sms.send_failed", "cannot write the development SMS outbox " + file_.string());
  return {};
}

}  // namespace dancu::identity
