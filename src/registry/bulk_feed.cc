#include "registry/bulk_feed.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "registry/bulk_loader.h"

namespace dancu::registry {

// Batches from the producer's thread to the loading thread, and spent
// batches back.
class BulkQueue {
 public:
  struct Batch {
    std::vector<Citizen> rows;  // rows[0, size) are filled
    std::vector<int64_t> name_hashes;
    size_t size = 0;
  };

  // Producer: waits for room; false if the consumer has stopped.
  bool Push(Batch&& b) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return full_.size() < BulkFeed::kQueueBatches || stopped_; });
    if (stopped_) return false;
    full_.push_back(std::move(b));
    not_empty_.notify_one();
    return true;
  }
  // Producer: a recycled batch, or an empty one.
  Batch TakeFree() {
    std::lock_guard lock(mu_);
    if (free_.empty()) return {};
    Batch b = std::move(free_.back());
    free_.pop_back();
    return b;
  }
  void Close(Status status) {
    std::lock_guard lock(mu_);
    closed_ = true;
    producer_status_ = std::move(status);
    not_empty_.notify_one();
  }
  // Consumer: false when the producer is done and the queue is drained.
  bool Pop(Batch& out) {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !full_.empty() || closed_; });
    if (full_.empty()) return false;
    out = std::move(full_.front());
    full_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void Recycle(Batch&& b) {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(b));
  }
  // Consumer: lets a producer blocked on a full queue return.
  void Stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    not_full_.notify_all();
  }
  Status producer_status() {
    std::lock_guard lock(mu_);
    return producer_status_;
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Batch> full_;
  std::vector<Batch> free_;
  bool stopped_ = false;
  bool closed_ = false;
  Status producer_status_;
};

BulkFeed::BulkFeed(BulkQueue& queue) : queue_(queue) {}

Citizen& BulkFeed::Slot() {
  if (used_ == batch_.size()) {
    if (batch_.empty()) {
      batch_.reserve(kBatchSize);
      name_hashes_.resize(kBatchSize);
    }
    batch_.emplace_back();
  }
  return batch_[used_];
}

bool BulkFeed::Push(const Citizen& c) {
  Slot() = c;  // assignment into a used slot reuses its strings' capacity
  return Filled();
}

bool BulkFeed::Push(Citizen&& c) {
  Slot() = std::move(c);
  return Filled();
}

bool BulkFeed::Filled() {
  name_hashes_[used_] = FoldedKeyHash(batch_[used_].full_name.folded());
  ++used_;
  ++pushed_;
  return Ship(false);
}

bool BulkFeed::Ship(bool force) {
  if (used_ < kBatchSize && !(force && used_ > 0)) return true;
  bool ok = queue_.Push(BulkQueue::Batch{std::move(batch_), std::move(name_hashes_), used_});
  BulkQueue::Batch next = queue_.TakeFree();
  batch_ = std::move(next.rows);
  name_hashes_ = std::move(next.name_hashes);
  used_ = 0;
  return ok;
}

Status BulkLoader::AddFrom(const std::function<Status(BulkFeed&)>& produce,
                           const BulkFeedOptions& options) {
  BulkQueue queue;
  std::thread worker([&queue, &produce] {
    Status status;
    try {
      BulkFeed feed(queue);
      status = produce(feed);
      if (status) feed.Ship(/*force=*/true);
    } catch (const std::exception& e) {
      status =
          Fail("internal.producer", std::string("the bulk load's producer failed: ") + e.what());
    }
    queue.Close(std::move(status));
  });

  Status result;
  int64_t index = 0;  // of the next row, in the order the producer pushed them
  BulkQueue::Batch batch;
  try {
    while (result && queue.Pop(batch)) {
      for (size_t i = 0; i < batch.size; ++i) {
        if (auto s = Add(batch.rows[i], batch.name_hashes[i]); !s) {
          if (!options.reject || !s.error().code.starts_with("conflict.")) {
            result = std::move(s);
            break;
          }
          options.reject(index, s.error());
        }
        ++index;
        if (index % kProgressEvery == 0 && options.progress) options.progress(index);
      }
      queue.Recycle(std::move(batch));
    }
  } catch (...) {
    queue.Stop();
    worker.join();
    throw;
  }
  queue.Stop();
  worker.join();
  if (!result) return result;
  if (auto s = queue.producer_status(); !s) return s;
  if (options.progress && index % kProgressEvery != 0) options.progress(index);
  return {};
}

}  // namespace dancu::registry
