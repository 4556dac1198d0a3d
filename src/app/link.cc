// dancu link LEFT.csv RIGHT.csv --fields col:type,...: pairs of records, one
// from each file, that are the same person. The work is dedupe.cc's
// RunLinkage with two files.
#include "app/commands.h"

namespace dancu::app {

int Link(const LinkageOptions& o) { return RunLinkage(o); }

}  // namespace dancu::app
