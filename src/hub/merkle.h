// merkle: the Merkle tree of the access log, exactly as RFC 6962 §2.1 and
// RFC 9162 §2.1 define it, so any Certificate Transparency verifier can check
// our proofs.
//
//  - LeafHash(entry) = SHA-256(0x00 || entry); NodeHash(l, r) = SHA-256(0x01
//    || l || r); the hash of the empty tree is SHA-256("").
//  - The Merkle Tree Hash of n leaves splits at k, the largest power of two
//    below n. Every range that split visits starts at a multiple of its own
//    largest power of two, so each perfect range is a "stored node": the
//    root of the perfect subtree at (level, index) covering leaves
//    [index << level, (index + 1) << level). NodeSource gives those nodes;
//    the generators below read O(log n) of them per proof (at most one
//    incomplete right-edge range per proof is assembled from ≤ log n nodes),
//    never the leaves of a big subtree.
//  - InclusionProof / ConsistencyProof are RFC 9162 §2.1.3.1 / §2.1.4.1
//    (RFC 6962's PATH and PROOF); VerifyInclusion / VerifyConsistency are the
//    verification algorithms of RFC 9162 §2.1.3.2 / §2.1.4.2, as pure
//    functions of their inputs.
//
// Preconditions (callers check and report bad requests): InclusionProof
// needs index < size; ConsistencyProof needs 0 < first <= second; sizes up
// to the source's tree size. Violations are programming errors
// (std::invalid_argument). The verifiers never throw: any malformed or
// tampered input is simply false.
//
// Thread safety: pure functions; a NodeSource is called from the caller's
// thread only.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dancu::hub {

using Hash = std::array<uint8_t, 32>;

inline std::string_view AsBytes(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

Hash LeafHash(std::string_view entry);
Hash NodeHash(const Hash& left, const Hash& right);
Hash EmptyTreeHash();

// The largest power of two strictly below n (n >= 2).
uint64_t SplitPoint(uint64_t n);

// Reads stored nodes: the hash of the perfect subtree at (level, index).
class NodeSource {
 public:
  virtual ~NodeSource() = default;
  virtual Hash Node(unsigned level, uint64_t index) const = 0;
};

// The Merkle Tree Hash of leaves [begin, end), for a range the RFC's split
// reaches (begin a multiple of the largest power of two <= end - begin), such
// as [0, n) or any right part in a proof.
Hash RangeHash(const NodeSource& nodes, uint64_t begin, uint64_t end);
inline Hash RootHash(const NodeSource& nodes, uint64_t size) {
  return size == 0 ? EmptyTreeHash() : RangeHash(nodes, 0, size);
}

// The audit path of leaf `index` in the tree of the first `size` leaves,
// bottom first.
std::vector<Hash> InclusionProof(const NodeSource& nodes, uint64_t index, uint64_t size);
// The proof that the tree of `first` leaves is a prefix of the tree of
// `second` leaves (empty when first == second).
std::vector<Hash> ConsistencyProof(const NodeSource& nodes, uint64_t first, uint64_t second);

// RFC 9162 §2.1.3.2.
bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                     std::span<const Hash> path, const Hash& root);
// RFC 9162 §2.1.4.2, plus the trivial case first == second (an empty proof
// and equal roots). first == 0 is rejected (no proof is defined for it).
bool VerifyConsistency(uint64_t first, uint64_t second, const Hash& first_root,
                       const Hash& second_root, std::span<const Hash> proof);

// The reference definition (recursive MTH over all leaf hashes), for tests
// and for building small trees; O(n) hashes.
Hash ReferenceRoot(std::span<const Hash> leaves);

}  // namespace dancu::hub
