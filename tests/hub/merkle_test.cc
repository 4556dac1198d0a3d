// RFC 6962/9162 Merkle tree: hashing, proofs from stored nodes checked
// against the reference definition for every (index, size) and (first,
// second) up to 64 leaves, the RFC 6962 test vectors, and the RFC 9162
// negative cases: every tampered proof is rejected.
#include "hub/merkle.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "crypto/encoding.h"

namespace dancu::hub {
namespace {

std::string Hex(const Hash& h) { return crypto::HexEncode(AsBytes(h)); }

// All perfect subtree hashes of a list of leaves, computed the slow way.
class MemoryNodes final : public NodeSource {
 public:
  explicit MemoryNodes(std::vector<Hash> leaves) : leaves_(std::move(leaves)) {}
  Hash Node(unsigned level, uint64_t index) const override {
    ++reads;
    uint64_t begin = index << level;
    uint64_t end = begin + (uint64_t{1} << level);
    EXPECT_LE(end, leaves_.size()) << "asked for a node outside the tree";
    if (end > leaves_.size()) return {};
    return ReferenceRoot(std::span(leaves_).subspan(begin, end - begin));
  }
  mutable size_t reads = 0;

 private:
  std::vector<Hash> leaves_;
};

std::vector<Hash> Leaves(size_t n) {
  std::vector<Hash> out;
  for (size_t i = 0; i < n; ++i) out.push_back(LeafHash("entry " + std::to_string(i)));
  return out;
}

// RFC 6962 §2.1.1 PATH, straight from the definition over leaf hashes.
std::vector<Hash> ReferencePath(uint64_t m, std::span<const Hash> d) {
  if (d.size() <= 1) return {};
  uint64_t k = SplitPoint(d.size());
  std::vector<Hash> out;
  if (m < k) {
    out = ReferencePath(m, d.first(k));
    out.push_back(ReferenceRoot(d.subspan(k)));
  } else {
    out = ReferencePath(m - k, d.subspan(k));
    out.push_back(ReferenceRoot(d.first(k)));
  }
  return out;
}

// RFC 6962 §2.1.2 SUBPROOF.
std::vector<Hash> ReferenceSubProof(uint64_t m, std::span<const Hash> d, bool b) {
  if (m == d.size()) return b ? std::vector<Hash>{} : std::vector<Hash>{ReferenceRoot(d)};
  uint64_t k = SplitPoint(d.size());
  std::vector<Hash> out;
  if (m <= k) {
    out = ReferenceSubProof(m, d.first(k), b);
    out.push_back(ReferenceRoot(d.subspan(k)));
  } else {
    out = ReferenceSubProof(m - k, d.subspan(k), false);
    out.push_back(ReferenceRoot(d.first(k)));
  }
  return out;
}

TEST(MerkleTest, HashesFollowRfc6962) {
  // SHA-256("") and SHA-256(0x00) from RFC 6962's reference test data.
  EXPECT_EQ(Hex(EmptyTreeHash()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(LeafHash("")), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  EXPECT_EQ(Hex(ReferenceRoot(std::vector<Hash>{})), Hex(EmptyTreeHash()));
}

TEST(MerkleTest, RootsOfTheRfc6962TestVectors) {
  // The eight leaves of the certificate-transparency-go / RFC 6962 test
  // data and the roots of each prefix.
  const std::vector<std::string> leaves = {
      "",
      std::string("\x00", 1),
      std::string("\x10", 1),
      std::string("\x20\x21", 2),
      std::string("\x30\x31", 2),
      std::string("\x40\x41\x42\x43", 4),
      std::string("\x50\x51\x52\x53\x54\x55\x56\x57", 8),
      std::string("\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f", 16)};
  const std::vector<std::string> roots = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  std::vector<Hash> hashes;
  for (size_t i = 0; i < leaves.size(); ++i) {
    hashes.push_back(LeafHash(leaves[i]));
    EXPECT_EQ(Hex(ReferenceRoot(hashes)), roots[i]) << "size " << i + 1;
    MemoryNodes nodes(hashes);
    EXPECT_EQ(Hex(RootHash(nodes, hashes.size())), roots[i]) << "size " << i + 1;
  }
}

TEST(MerkleTest, EveryInclusionProofUpTo64MatchesTheDefinitionAndVerifies) {
  const std::vector<Hash> all = Leaves(64);
  MemoryNodes nodes(all);
  for (uint64_t size = 1; size <= 64; ++size) {
    std::span<const Hash> d(all.data(), size);
    Hash root = ReferenceRoot(d);
    ASSERT_EQ(RootHash(nodes, size), root) << size;
    for (uint64_t i = 0; i < size; ++i) {
      std::vector<Hash> path = InclusionProof(nodes, i, size);
      ASSERT_EQ(path, ReferencePath(i, d)) << i << "/" << size;
      ASSERT_TRUE(VerifyInclusion(i, size, all[i], path, root)) << i << "/" << size;
    }
  }
}

TEST(MerkleTest, EveryConsistencyProofUpTo64MatchesTheDefinitionAndVerifies) {
  const std::vector<Hash> all = Leaves(64);
  MemoryNodes nodes(all);
  for (uint64_t second = 1; second <= 64; ++second) {
    Hash second_root = ReferenceRoot(std::span(all.data(), second));
    for (uint64_t first = 1; first <= second; ++first) {
      Hash first_root = ReferenceRoot(std::span(all.data(), first));
      std::vector<Hash> proof = ConsistencyProof(nodes, first, second);
      ASSERT_EQ(proof, ReferenceSubProof(first, std::span(all.data(), second), true))
          << first << "->" << second;
      ASSERT_TRUE(VerifyConsistency(first, second, first_root, second_root, proof))
          << first << "->" << second;
    }
  }
}

TEST(MerkleTest, ProofsReadOnlyLogarithmicallyManyNodes) {
  // The bound merkle.h promises: an inclusion proof reads at most about
  // 2 log2 n stored nodes, whatever the leaf.
  const std::vector<Hash> all = Leaves(1000);
  MemoryNodes nodes(all);
  for (uint64_t i : {0ull, 1ull, 500ull, 511ull, 512ull, 998ull, 999ull}) {
    nodes.reads = 0;
    InclusionProof(nodes, i, 1000);
    EXPECT_LE(nodes.reads, 2u * 10u) << i;
  }
}

Hash Flip(Hash h, size_t bit) {
  h[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  return h;
}

TEST(MerkleTest, EveryTamperedInclusionProofIsRejected) {
  // RFC 9162 negative cases for every (index, size) up to 32: a bit flipped
  // in any proof element, a wrong leaf, index ±1, size ×2 and ÷2, an extra
  // element at either end, a missing element at either end, a wrong root.
  const std::vector<Hash> all = Leaves(64);
  MemoryNodes nodes(all);
  size_t cases = 0;
  for (uint64_t size = 1; size <= 32; ++size) {
    Hash root = ReferenceRoot(std::span(all.data(), size));
    for (uint64_t i = 0; i < size; ++i) {
      const std::vector<Hash> path = InclusionProof(nodes, i, size);
      auto reject = [&](uint64_t index, uint64_t n, const Hash& leaf, const std::vector<Hash>& p,
                        const Hash& r, const char* what) {
        ++cases;
        EXPECT_FALSE(VerifyInclusion(index, n, leaf, p, r))
            << what << " accepted for leaf " << i << " of " << size;
      };
      for (size_t e = 0; e < path.size(); ++e) {
        for (size_t bit : {0u, 77u, 255u}) {
          std::vector<Hash> p = path;
          p[e] = Flip(p[e], bit);
          reject(i, size, all[i], p, root, "bit-flipped proof element");
        }
      }
      reject(i, size, Flip(all[i], 3), path, root, "bit-flipped leaf");
      reject(i, size, all[(i + 1) % 64], path, root, "wrong leaf");
      reject(i, size, all[i], path, Flip(root, 9), "wrong root");
      if (i + 1 < size) reject(i + 1, size, all[i], path, root, "index + 1");
      if (i > 0) reject(i - 1, size, all[i], path, root, "index - 1");
      reject(size, size, all[i], path, root, "index == size");
      reject(i, size * 2, all[i], path, root, "size x 2");
      if (size / 2 > i) reject(i, size / 2, all[i], path, root, "size / 2");
      reject(i, 0, all[i], path, root, "size 0");
      {
        std::vector<Hash> p = path;
        p.push_back(all[0]);
        reject(i, size, all[i], p, root, "extra element at the end");
        p = path;
        p.insert(p.begin(), all[0]);
        reject(i, size, all[i], p, root, "extra element at the start");
      }
      if (!path.empty()) {
        std::vector<Hash> p = path;
        p.pop_back();
        reject(i, size, all[i], p, root, "missing last element");
        p = path;
        p.erase(p.begin());
        reject(i, size, all[i], p, root, "missing first element");
      }
    }
  }
  EXPECT_GT(cases, 5000u);
}

TEST(MerkleTest, EveryTamperedConsistencyProofIsRejected) {
  const std::vector<Hash> all = Leaves(64);
  MemoryNodes nodes(all);
  std::map<uint64_t, Hash> roots;
  for (uint64_t n = 1; n <= 64; ++n) roots[n] = ReferenceRoot(std::span(all.data(), n));
  size_t cases = 0;
  for (uint64_t second = 1; second <= 32; ++second) {
    for (uint64_t first = 1; first <= second; ++first) {
      const std::vector<Hash> proof = ConsistencyProof(nodes, first, second);
      const Hash& r1 = roots[first];
      const Hash& r2 = roots[second];
      auto reject = [&](uint64_t m, uint64_t n, const Hash& a, const Hash& b,
                        const std::vector<Hash>& p, const char* what) {
        ++cases;
        EXPECT_FALSE(VerifyConsistency(m, n, a, b, p))
            << what << " accepted for " << first << " -> " << second;
      };
      for (size_t e = 0; e < proof.size(); ++e) {
        for (size_t bit : {0u, 100u, 255u}) {
          std::vector<Hash> p = proof;
          p[e] = Flip(p[e], bit);
          reject(first, second, r1, r2, p, "bit-flipped proof element");
        }
      }
      reject(first, second, Flip(r1, 1), r2, proof, "wrong first root");
      reject(first, second, r1, Flip(r2, 1), proof, "wrong second root");
      if (first > 1) reject(first - 1, second, r1, r2, proof, "first - 1");
      if (first < second) reject(first + 1, second, r1, r2, proof, "first + 1");
      // (second ± 1 is not among them: sizes whose right edges have the same
      // shape from the path's point of view cannot be told apart from the
      // proof alone — 1 -> 3 and 1 -> 4 take the same steps. The signature
      // binds a head's size to its root, which is why heads are signed.)
      reject(first, second * 2, r1, r2, proof, "second x 2");
      if (second / 2 >= first && second / 2 != second) {
        reject(first, second / 2, r1, r2, proof, "second / 2");
      }
      if (first * 2 <= second && first != second) {
        reject(first * 2, second, r1, r2, proof, "first x 2");
      }
      if (first / 2 >= 1 && first / 2 != first) {
        reject(first / 2, second, r1, r2, proof, "first / 2");
      }
      reject(0, second, r1, r2, proof, "first 0");
      reject(second + 1, second, r1, r2, proof, "first > second");
      {
        std::vector<Hash> p = proof;
        p.push_back(all[0]);
        reject(first, second, r1, r2, p, "extra element at the end");
        p = proof;
        p.insert(p.begin(), all[0]);
        reject(first, second, r1, r2, p, "extra element at the start");
      }
      if (!proof.empty()) {
        std::vector<Hash> p = proof;
        p.pop_back();
        reject(first, second, r1, r2, p, "missing last element");
        p = proof;
        p.erase(p.begin());
        reject(first, second, r1, r2, p, "missing first element");
      }
      if (first != second) {
        reject(first, second, r1, r2, {}, "empty proof");
        reject(first, second, r2, r1, proof, "roots swapped");
      }
    }
  }
  EXPECT_GT(cases, 3000u);
}

TEST(MerkleTest, ProofGeneratorsRejectImpossibleRequests) {
  MemoryNodes nodes(Leaves(4));
  EXPECT_THROW(InclusionProof(nodes, 4, 4), std::invalid_argument);
  EXPECT_THROW(ConsistencyProof(nodes, 0, 4), std::invalid_argument);
  EXPECT_THROW(ConsistencyProof(nodes, 3, 2), std::invalid_argument);
}

}  // namespace
}  // namespace dancu::hub
