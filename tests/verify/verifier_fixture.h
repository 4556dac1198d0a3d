// VerifierTestBase: a register (registry_fixture.h's RegistryTest: a family
// in a temporary SQLite file) plus a Verifier built from it, for the tests of
// verification, reconciliation and its jobs.
#pragma once

#include <memory>

#include <gtest/gtest.h>

#include "registry/registry_fixture.h"
#include "verify/verifier.h"

namespace dancu::verify::testing {

class VerifierTestBase : public registry::testing::RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    if (HasFatalFailure()) return;
    auto v = Verifier::Create(*reg_);
    ASSERT_TRUE(v) << v.error().message;
    verifier_ = std::move(*v);
  }
  void TearDown() override { verifier_.reset(); }

  std::unique_ptr<Verifier> verifier_;
};

}  // namespace dancu::verify::testing
