// dancu generate: a synthetic population, loaded in one transaction.
#include <chrono>
#include <cstdio>

#include "app/commands.h"
#include "app/progress.h"
#include "app/register_files.h"
#include "registry/bulk_loader.h"
#include "synth/population_generator.h"

namespace dancu::app {

int Generate(const GenerateOptions& o) {
  if (o.count <= 0) {
    std::fprintf(stderr, "dancu: --count must be positive\n");
    return 2;
  }
  auto reg = OpenRegisterIn(o.data_dir, /*create=*/true);
  if (!reg) return 1;
  auto start = std::chrono::steady_clock::now();
  auto loader = reg->registry->BeginBulkLoad(registry::WriteContext{"cli:generate", "synthetic population", {}, {}});
  if (!loader) {
    std::fprintf(stderr, "dancu: %s\n", loader.error().message.c_str());
    return 1;
  }
  synth::GeneratorOptions options{o.count, o.seed, reg->clock.Today()};
  Progress progress("generate", o.count);
  auto s = synth::GenerateInto(**loader, options, [&](int64_t done) { progress.Update(done); });
  if (!s) {
    std::fprintf(stderr, "dancu: generate failed: %s\n", s.error().message.c_str());
    return 1;
  }
  progress.Finish((*loader)->added());
  auto loaded = std::chrono::steady_clock::now();
  std::vector<registry::BulkProblem> problems;
  auto done = (*loader)->Finish(problems, "generate seed=" + std::to_string(o.seed));
  if (!done) {
    std::fprintf(stderr, "dancu: generate failed: %s\n", done.error().message.c_str());
    for (size_t i = 0; i < problems.size() && i < 20; ++i) {
      std::fprintf(stderr, "  %s: %s\n", problems[i].id.ToString().c_str(),
                   problems[i].error.message.c_str());
    }
    return 1;
  }
  auto end = std::chrono::steady_clock::now();
  double secs = std::chrono::duration<double>(end - start).count();
  double load_secs = std::chrono::duration<double>(loaded - start).count();
  std::printf("generated %lld citizens in %.1f s (%.0f citizens/s; rows %.1f s, checks and "
              "indexes %.1f s), seed %llu, feed seq %lld\n",
              static_cast<long long>(o.count), secs, o.count / secs, load_secs, secs - load_secs,
              static_cast<unsigned long long>(o.seed), static_cast<long long>(done->seq));
  return 0;
}

}  // namespace dancu::app
