#include "hub/merkle.h"

#include <openssl/evp.h>

#include <bit>
#include <cstdlib>
#include <stdexcept>

namespace dancu::hub {
namespace {

// SHA-256 with a digest fetched once and one context per thread. The log
// hashes two to three times per appended entry and up to ~2 log n times per
// verified proof; crypto::Sha256 (EVP_Digest with an implicit fetch and a
// fresh context per call) costs several times more per 65-byte message.
class Hasher {
 public:
  Hasher() : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr) std::abort();
  }
  ~Hasher() { EVP_MD_CTX_free(ctx_); }

  Hash Digest(uint8_t prefix, std::string_view a, std::string_view b) {
    static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (md == nullptr) std::abort();  // OpenSSL without SHA-256: a broken install
    Hash out;
    unsigned int len = 0;
    if (EVP_DigestInit_ex2(ctx_, md, nullptr) != 1 || EVP_DigestUpdate(ctx_, &prefix, 1) != 1 ||
        EVP_DigestUpdate(ctx_, a.data(), a.size()) != 1 ||
        EVP_DigestUpdate(ctx_, b.data(), b.size()) != 1 ||
        EVP_DigestFinal_ex(ctx_, out.data(), &len) != 1 || len != out.size()) {
      std::abort();
    }
    return out;
  }

 private:
  EVP_MD_CTX* ctx_;
};

Hasher& ThreadHasher() {
  thread_local Hasher h;
  return h;
}

bool IsPowerOfTwo(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

// PATH(m, D[begin, begin + n)) of RFC 6962 §2.1.1, bottom first.
void Path(const NodeSource& nodes, uint64_t m, uint64_t begin, uint64_t n, std::vector<Hash>& out) {
  if (n <= 1) return;
  if (IsPowerOfTwo(n)) {
    // Inside a perfect subtree every sibling is a stored node.
    unsigned levels = static_cast<unsigned>(std::countr_zero(n));
    uint64_t leaf = begin + m;
    for (unsigned l = 0; l < levels; ++l) out.push_back(nodes.Node(l, (leaf >> l) ^ 1));
    return;
  }
  uint64_t k = SplitPoint(n);
  if (m < k) {
    Path(nodes, m, begin, k, out);
    out.push_back(RangeHash(nodes, begin + k, begin + n));
  } else {
    Path(nodes, m - k, begin + k, n - k, out);
    out.push_back(RangeHash(nodes, begin, begin + k));
  }
}

// SUBPROOF(m, D[begin, begin + n), b) of RFC 6962 §2.1.2.
void SubProof(const NodeSource& nodes, uint64_t m, uint64_t begin, uint64_t n, bool whole,
              std::vector<Hash>& out) {
  if (m == n) {
    if (!whole) out.push_back(RangeHash(nodes, begin, begin + n));
    return;
  }
  uint64_t k = SplitPoint(n);
  if (m <= k) {
    SubProof(nodes, m, begin, k, whole, out);
    out.push_back(RangeHash(nodes, begin + k, begin + n));
  } else {
    SubProof(nodes, m - k, begin + k, n - k, false, out);
    out.push_back(RangeHash(nodes, begin, begin + k));
  }
}

Hash ReferenceRange(std::span<const Hash> leaves) {
  if (leaves.size() == 1) return leaves[0];
  uint64_t k = SplitPoint(leaves.size());
  return NodeHash(ReferenceRange(leaves.first(k)), ReferenceRange(leaves.subspan(k)));
}

}  // namespace

Hash LeafHash(std::string_view entry) { return ThreadHasher().Digest(0x00, entry, {}); }

Hash NodeHash(const Hash& left, const Hash& right) {
  return ThreadHasher().Digest(0x01, AsBytes(left), AsBytes(right));
}

Hash EmptyTreeHash() {
  // SHA-256 of the empty string (RFC 6962 §2.1: MTH({}) = SHA-256()).
  static const Hash kEmpty = [] {
    Hash h;
    unsigned int len = 0;
    if (EVP_Digest("", 0, h.data(), &len, EVP_sha256(), nullptr) != 1) std::abort();
    return h;
  }();
  return kEmpty;
}

uint64_t SplitPoint(uint64_t n) {
  if (n < 2) throw std::invalid_argument("SplitPoint needs n >= 2");
  return std::bit_floor(n - 1);
}

Hash RangeHash(const NodeSource& nodes, uint64_t begin, uint64_t end) {
  if (end <= begin) throw std::invalid_argument("RangeHash of an empty range");
  uint64_t n = end - begin;
  if (IsPowerOfTwo(n)) {
    unsigned level = static_cast<unsigned>(std::countr_zero(n));
    if (begin % n != 0) throw std::invalid_argument("RangeHash of an unaligned range");
    return nodes.Node(level, begin >> level);
  }
  // The left part is perfect (one read); only the right part recurses.
  uint64_t k = SplitPoint(n);
  return NodeHash(RangeHash(nodes, begin, begin + k), RangeHash(nodes, begin + k, end));
}

std::vector<Hash> InclusionProof(const NodeSource& nodes, uint64_t index, uint64_t size) {
  if (index >= size) throw std::invalid_argument("InclusionProof needs index < size");
  std::vector<Hash> out;
  out.reserve(64);
  Path(nodes, index, 0, size, out);
  return out;
}

std::vector<Hash> ConsistencyProof(const NodeSource& nodes, uint64_t first, uint64_t second) {
  if (first == 0 || first > second) {
    throw std::invalid_argument("ConsistencyProof needs 0 < first <= second");
  }
  std::vector<Hash> out;
  out.reserve(64);
  SubProof(nodes, first, 0, second, true, out);
  return out;
}

bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                     std::span<const Hash> path, const Hash& root) {
  // RFC 9162 §2.1.3.2, step by step.
  if (index >= size) return false;
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : path) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(uint64_t first, uint64_t second, const Hash& first_root,
                       const Hash& second_root, std::span<const Hash> proof) {
  if (first == 0 || first > second) return false;
  if (first == second) return proof.empty() && first_root == second_root;
  // RFC 9162 §2.1.4.2, step by step.
  if (proof.empty()) return false;
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (IsPowerOfTwo(first)) path.push_back(first_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = first - 1;
  uint64_t sn = second - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == first_root && sr == second_root && sn == 0;
}

Hash ReferenceRoot(std::span<const Hash> leaves) {
  return leaves.empty() ? EmptyTreeHash() : ReferenceRange(leaves);
}

}  // namespace dancu::hub
