// Random: the injected source of randomness.
//
// SecureRandom draws from libsodium (randombytes_buf) and is what production
// uses for ID suffixes, keys and tokens. SeededRandom is deterministic
// (std::mt19937_64) and is for synthetic data and tests only: never use it for
// anything secret.
//
// Thread safety: SecureRandom is safe from any thread; SeededRandom is not.
#pragma once

#include <cstdint>
#include <random>

namespace dancu {

class Random {
 public:
  virtual ~Random() = default;
  virtual uint64_t Next() = 0;
  // Uniform in [0, bound). bound must be > 0.
  uint64_t Uniform(uint64_t bound);
  // Uniform in [0, 1).
  double UniformReal() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
};

class SecureRandom final : public Random {
 public:
  SecureRandom();
  uint64_t Next() override;
};

class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : engine_(seed) {}
  uint64_t Next() override { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace dancu
