// dancu export: the register as CSV (registry/citizen_csv.h).
#include <cstdio>
#include <fstream>
#include <iostream>

#include "app/commands.h"
#include "app/progress.h"
#include "app/register_files.h"
#include "registry/citizen_csv.h"

namespace dancu::app {

int Export(const ExportOptions& o) {
  auto reg = OpenRegisterIn(o.data_dir, /*create=*/false);
  if (!reg) return 1;
  std::ofstream file;
  std::ostream* out = &std::cout;
  std::string tmp = o.out + ".tmp";
  if (!o.out.empty()) {
    // Written to a temporary file and renamed, so a failed export never
    // leaves a truncated file under the requested name.
    file.open(tmp, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::fprintf(stderr, "dancu: cannot write %s\n", tmp.c_str());
      return 1;
    }
    out = &file;
  }
  auto total = reg->registry->CountCitizens();
  Progress progress("export", total.value_or(0));
  std::string buf = registry::CitizenCsvHeader() + "\n";
  int64_t n = 0;
  auto s = reg->registry->ScanCitizens([&](const registry::Citizen& c) -> Status {
    registry::AppendCitizenCsv(buf, c);
    if (buf.size() > (1 << 20)) {
      out->write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
      if (!*out) return Fail("io.write", "write failed");
    }
    progress.Update(++n);
    return {};
  });
  out->write(buf.data(), static_cast<std::streamsize>(buf.size()));
  out->flush();
  if (!s || !*out) {
    std::fprintf(stderr, "dancu: export failed: %s\n", s ? "write failed" : s.error().message.c_str());
    if (!o.out.empty()) std::remove(tmp.c_str());
    return 1;
  }
  progress.Finish(n);
  if (!o.out.empty()) {
    file.close();
    if (std::rename(tmp.c_str(), o.out.c_str()) != 0) {
      std::fprintf(stderr, "dancu: cannot rename %s to %s\n", tmp.c_str(), o.out.c_str());
      return 1;
    }
    std::fprintf(stderr, "exported %lld citizens to %s\n", static_cast<long long>(n), o.out.c_str());
  }
  return 0;
}

}  // namespace dancu::app
