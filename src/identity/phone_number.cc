#include "identity/phone_number.h"

namespace dancu::identity {

Result<std::string> NormalizeVietnamMobile(std::string_view text) {
  auto bad = [] {
    return Fail("identity.bad_phone",
                "a Vietnamese mobile number is 0 and 9 digits (0912345678) or +84 and 9 digits",
                "phone");
  };
  if (text.size() > 32) return bad();
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c != ' ' && c != '.' && c != '-') {
      return bad();
    }
  }
  std::string national;  // the 9 digits after the prefix
  if (!plus && digits.size() == 10 && digits[0] == '0') {
    national = digits.substr(1);
  } else if (digits.size() == 11 && digits.starts_with("84")) {
    national = digits.substr(2);
  } else {
    return bad();
  }
  if (std::string_view("35789").find(national[0]) == std::string_view::npos) return bad();
  return "+84" + national;
}

}  // namespace dancu::identity
