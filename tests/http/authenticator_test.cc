#include "http/authenticator.h"

#include <gtest/gtest.h>

namespace dancu::http {
namespace {

namespace bhttp = boost::beast::http;

RequestContext WithAuthorization(std::optional<std::string> value) {
  Request req{bhttp::verb::get, "/v1/x", 11};
  if (value) req.set(bhttp::field::authorization, *value);
  return RequestContext::MakeForTest(std::move(req));
}

TEST(AdminTokenAuthenticatorTest, AcceptsOnlyTheConfiguredToken) {
  AdminTokenAuthenticator auth("s3cret-token");
  struct Case {
    std::optional<std::string> header;
    bool ok;
  };
  const Case cases[] = {
      {"Bearer s3cret-token", true},
      {"bearer s3cret-token", true},   // scheme is case-insensitive
      {"Bearer   s3cret-token ", true}, // extra whitespace
      {"Bearer s3cret-tokeN", false},
      {"Bearer s3cret-token2", false},  // longer
      {"Bearer s3cret", false},         // prefix
      {"Bearer ", false},
      {"Basic s3cret-token", false},
      {"s3cret-token", false},
      {std::nullopt, false},
  };
  for (const Case& c : cases) {
    auto p = auth.Authenticate(WithAuthorization(c.header));
    EXPECT_EQ(p.has_value(), c.ok) << c.header.value_or("<none>");
    if (p) {
      EXPECT_EQ(p->kind, Principal::Kind::kAdmin);
      EXPECT_EQ(p->id, "admin");
    }
  }
}

TEST(AdminTokenAuthenticatorTest, EmptyConfiguredTokenAuthenticatesNobody) {
  AdminTokenAuthenticator auth("");
  EXPECT_FALSE(auth.Authenticate(WithAuthorization("Bearer ")).has_value());
  EXPECT_FALSE(auth.Authenticate(WithAuthorization("Bearer x")).has_value());
  EXPECT_FALSE(auth.Authenticate(WithAuthorization(std::nullopt)).has_value());
}

class FixedAuthenticator final : public Authenticator {
 public:
  FixedAuthenticator(std::string token, Principal p)
      : token_(std::move(token)), principal_(std::move(p)) {}
  std::optional<Principal> Authenticate(
      const RequestContext& ctx) const override {
    if (BearerToken(ctx) == std::optional<std::string_view>(token_)) {
      return principal_;
    }
    return std::nullopt;
  }

 private:
  std::string token_;
  Principal principal_;
};

TEST(ChainAuthenticatorTest, FirstMatchWins) {
  ChainAuthenticator chain;
  EXPECT_FALSE(chain.Authenticate(WithAuthorization("Bearer a")).has_value());
  chain.Add(std::make_unique<AdminTokenAuthenticator>("admin-token"));
  chain.Add(std::make_unique<FixedAuthenticator>(
      "agency-token", Principal{Principal::Kind::kAgency, "bhxh"}));
  auto admin = chain.Authenticate(WithAuthorization("Bearer admin-token"));
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->kind, Principal::Kind::kAdmin);
  auto agency = chain.Authenticate(WithAuthorization("Bearer agency-token"));
  ASSERT_TRUE(agency.has_value());
  EXPECT_EQ(agency->kind, Principal::Kind::kAgency);
  EXPECT_EQ(agency->id, "bhxh");
  EXPECT_FALSE(chain.Authenticate(WithAuthorization("Bearer nope")).has_value());
}

TEST(ApiKeyAuthenticatorTest, HandsKeysWithThePrefixToTheLookup) {
  std::vector<std::string> asked;
  ApiKeyAuthenticator auth("dancu_ak_", [&asked](std::string_view key) -> std::optional<Principal> {
    asked.emplace_back(key);
    if (key == "dancu_ak_good") return Principal{Principal::Kind::kAgency, "bhxh"};
    return std::nullopt;
  });
  auto p = auth.Authenticate(WithAuthorization("Bearer dancu_ak_good"));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->kind, Principal::Kind::kAgency);
  EXPECT_EQ(p->id, "bhxh");
  EXPECT_FALSE(auth.Authenticate(WithAuthorization("Bearer dancu_ak_bad")).has_value());
  // Not this authenticator's: the lookup is not even asked.
  EXPECT_FALSE(auth.Authenticate(WithAuthorization("Bearer admin-token")).has_value());
  EXPECT_FALSE(auth.Authenticate(WithAuthorization("Basic dancu_ak_good")).has_value());
  EXPECT_FALSE(auth.Authenticate(WithAuthorization(std::nullopt)).has_value());
  EXPECT_EQ(asked, (std::vector<std::string>{"dancu_ak_good", "dancu_ak_bad"}));
}

TEST(ApiKeyAuthenticatorTest, ChainedAfterTheAdminToken) {
  ChainAuthenticator chain;
  chain.Add(std::make_unique<AdminTokenAuthenticator>("admin-token"));
  chain.Add(std::make_unique<ApiKeyAuthenticator>(
      "dancu_ak_", [](std::string_view key) -> std::optional<Principal> {
        if (key == "dancu_ak_k") return Principal{Principal::Kind::kAgency, "vcb"};
        return std::nullopt;
      }));
  EXPECT_EQ(chain.Authenticate(WithAuthorization("Bearer admin-token"))->kind,
            Principal::Kind::kAdmin);
  EXPECT_EQ(chain.Authenticate(WithAuthorization("Bearer dancu_ak_k"))->id, "vcb");
  EXPECT_FALSE(chain.Authenticate(WithAuthorization("Bearer dancu_ak_x")).has_value());
}

}  // namespace
}  // namespace dancu::http
