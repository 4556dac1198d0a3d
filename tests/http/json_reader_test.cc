#include "http/json_reader.h"

#include <gtest/gtest.h>

namespace dancu::http {
namespace {

boost::json::object Parse(std::string_view s) {
  auto r = ParseJsonObject(s);
  EXPECT_TRUE(r.has_value()) << s;
  return r ? *r : boost::json::object{};
}

TEST(ParseJsonObjectTest, AcceptsAnObject) {
  auto o = Parse(R"( {"a": 1, "b": "x"} )");
  EXPECT_EQ(o.size(), 2u);
}

TEST(ParseJsonObjectTest, RejectsMalformedWithPosition) {
  struct Case {
    std::string_view body;
    std::string_view position;
  };
  const Case cases[] = {
      {R"({"a": 1,})", "byte 8"},  // trailing comma
      {R"({"a": )", ""},           // truncated
      {"", ""},                    // empty body
      {R"({"a": 1} x)", "byte 9"}, // trailing garbage
      {"{\"a\": \"\xff\"}", ""},   // invalid UTF-8
  };
  for (const Case& c : cases) {
    auto r = ParseJsonObject(c.body);
    ASSERT_FALSE(r.has_value()) << c.body;
    EXPECT_EQ(r.error().code, "request.malformed_json") << c.body;
    EXPECT_NE(r.error().message.find(c.position), std::string::npos)
        << r.error().message;
  }
}

TEST(ParseJsonObjectTest, RejectsNonObjects) {
  for (std::string_view body : {"[1,2]", "\"s\"", "42", "null"}) {
    auto r = ParseJsonObject(body);
    ASSERT_FALSE(r.has_value()) << body;
    EXPECT_EQ(r.error().code, "request.wrong_type") << body;
  }
}

TEST(JsonFieldsTest, ReadsKnownFieldsAndFinishes) {
  auto o = Parse(R"({"name": "Nguyễn Văn A", "age": 30, "ok": true,
                     "addr": {"commune": "x"}, "tags": [1], "note": null})");
  JsonFields f(o);
  EXPECT_EQ(f.RequireString("name").value(), "Nguyễn Văn A");
  EXPECT_EQ(f.OptionalInt("age").value(), 30);
  EXPECT_EQ(f.OptionalBool("ok").value(), true);
  auto addr = f.OptionalObject("addr");
  ASSERT_TRUE(addr.has_value());
  ASSERT_NE(*addr, nullptr);
  EXPECT_EQ((*addr)->at("commune").as_string(), "x");
  EXPECT_NE(f.OptionalArray("tags").value(), nullptr);
  EXPECT_EQ(f.OptionalString("note").value(), std::nullopt);  // null = absent
  EXPECT_TRUE(f.Finish().has_value());
}

TEST(JsonFieldsTest, AbsentOptionalsAreEmpty) {
  auto o = Parse("{}");
  JsonFields f(o);
  EXPECT_EQ(f.OptionalString("x").value(), std::nullopt);
  EXPECT_EQ(f.OptionalInt("x").value(), std::nullopt);
  EXPECT_EQ(f.OptionalBool("x").value(), std::nullopt);
  EXPECT_EQ(f.OptionalObject("x").value(), nullptr);
  EXPECT_EQ(f.OptionalArray("x").value(), nullptr);
  EXPECT_TRUE(f.Finish().has_value());
}

TEST(JsonFieldsTest, UnknownFieldNamesFirstUnaskedKey) {
  auto o = Parse(R"({"name": "a", "nmae": "b", "zzz": 1})");
  JsonFields f(o);
  ASSERT_TRUE(f.RequireString("name").has_value());
  auto s = f.Finish();
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, "request.unknown_field");
  EXPECT_EQ(s.error().field, "nmae");
}

TEST(JsonFieldsTest, WrongTypeNamesTheField) {
  auto o = Parse(R"({"s": 1, "i": "1", "d": 1.5, "b": "true", "o": [], "a": {},
                     "big": 18446744073709551615})");
  JsonFields f(o);
  auto check = [](const Error& e, std::string_view field) {
    EXPECT_EQ(e.code, "request.wrong_type");
    EXPECT_EQ(e.field, field);
  };
  check(f.RequireString("s").error(), "s");
  check(f.OptionalString("s").error(), "s");
  check(f.OptionalInt("i").error(), "i");
  check(f.OptionalInt("d").error(), "d");
  check(f.OptionalInt("big").error(), "big");
  check(f.OptionalBool("b").error(), "b");
  check(f.OptionalObject("o").error(), "o");
  check(f.OptionalArray("a").error(), "a");
  // Asked for, even with the wrong type: not also "unknown".
  EXPECT_TRUE(f.Finish().has_value());
}

TEST(JsonFieldsTest, MissingAndNullRequiredFields) {
  auto o = Parse(R"({"b": null})");
  JsonFields f(o);
  auto a = f.RequireString("a");
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code, "request.missing_field");
  EXPECT_EQ(a.error().field, "a");
  auto b = f.RequireInt("b");
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code, "request.missing_field");
  EXPECT_EQ(b.error().field, "b");
}

TEST(JsonFieldsTest, NestedPrefixInFieldNames) {
  auto o = Parse(R"({"address": {"commune": 5, "extra": 1}})");
  JsonFields f(o);
  const boost::json::object* addr = f.RequireObject("address").value();
  JsonFields inner(*addr, "address");
  EXPECT_EQ(inner.RequireString("commune").error().field, "address.commune");
  EXPECT_EQ(inner.Finish().error().field, "address.extra");
  EXPECT_TRUE(f.Finish().has_value());
}

TEST(JsonFieldsTest, IntegersInRange) {
  auto o = Parse(R"({"neg": -5, "max": 9223372036854775807, "zero": 0})");
  JsonFields f(o);
  EXPECT_EQ(f.OptionalInt("neg").value(), -5);
  EXPECT_EQ(f.OptionalInt("max").value(), INT64_MAX);
  EXPECT_EQ(f.RequireInt("zero").value(), 0);
}

}  // namespace
}  // namespace dancu::http
