// BulkFeed: the producer's end of BulkLoader::AddFrom, which runs a producer
// (a generator, a CSV parser) on a worker thread and adds what it pushes on
// the calling thread, so producing and inserting use both cores.
//
// Citizens travel in batches of kBatchSize through a bounded queue of
// kQueueBatches; spent batches go back to the producer, so their strings keep
// their capacity and a steady load allocates almost nothing. The producer's
// thread also computes each name's index key, which would otherwise cost the
// inserting thread (the busier one) a SipHash per row.
//
// Thread safety: a BulkFeed belongs to the producer's thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "registry/citizen.h"

namespace dancu::registry {

class BulkQueue;

class BulkFeed {
 public:
  static constexpr size_t kBatchSize = 4096;
  static constexpr size_t kQueueBatches = 8;

  // Queues `c` for BulkLoader::Add. Its index, which AddFrom reports with
  // Add's errors, is pushed() before the call. Returns false once the loading
  // side has stopped (an Add failed): the producer should then return.
  bool Push(const Citizen& c);
  bool Push(Citizen&& c);
  int64_t pushed() const { return pushed_; }

  BulkFeed(const BulkFeed&) = delete;
  BulkFeed& operator=(const BulkFeed&) = delete;

 private:
  friend class BulkLoader;
  explicit BulkFeed(BulkQueue& queue);
  // The slot for the next citizen, taking a fresh batch when needed.
  Citizen& Slot();
  // Completes the slot just filled and hands the batch to the loader if it
  // is full.
  bool Filled();
  // Hands the batch being filled to the loader if it is full (or `force`).
  bool Ship(bool force);

  BulkQueue& queue_;
  std::vector<Citizen> batch_;
  std::vector<int64_t> name_hashes_;  // FoldedKeyHash of batch_[i]'s folded name
  size_t used_ = 0;
  int64_t pushed_ = 0;
};

}  // namespace dancu::registry
