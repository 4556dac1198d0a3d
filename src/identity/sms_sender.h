// SmsSender: how one-time codes reach a citizen's phone.
//
// The interface is what production implements against an operator's SMS
// gateway. DevSmsSender is the DEVELOPMENT sender: it sends nothing; it
// appends one JSON line per message to <data>/outbox/sms.jsonl,
//   {"to":"+84912345678","text":"...","code":"123456","at":"2026-...Z"}
// and flushes it, so the demo (`make run`) and the tests can read the code.
// Never use it where real citizens register: anyone who can read the file
// can complete anyone's registration.
//
// Errors: sms.send_failed (DevSmsSender: the file cannot be opened or
// written).
// Thread safety: Send may be called from any thread (DevSmsSender holds a
// mutex around each append).
#pragma once

#include <filesystem>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "core/error.h"

namespace dancu::identity {

struct SmsMessage {
  std::string to;    // E.164, "+84..."
  std::string text;  // what the citizen reads
  std::string code;  // the one-time code inside `text` (for the dev outbox)
};

class SmsSender {
 public:
  virtual ~SmsSender() = default;
  virtual Status Send(const SmsMessage& message) = 0;
};

// <data>/outbox/sms.jsonl
inline std::filesystem::path DevSmsOutboxPath(const std::filesystem::path& data_dir) {
  return data_dir / "outbox" / "sms.jsonl";
}

// The development sender (above). Creates the outbox directory on first send.
class DevSmsSender final : public SmsSender {
 public:
  DevSmsSender(std::filesystem::path file, const Clock& clock)
      : file_(std::move(file)), clock_(clock) {}
  Status Send(const SmsMessage& message) override;
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  const Clock& clock_;
  std::mutex mu_;
};

}  // namespace dancu::identity
