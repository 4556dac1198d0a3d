// Boost.JSON is header-only in Debian's Boost 1.81 (no libboost_json): its
// implementation is compiled here, once, for every library above core.
// Do not include <boost/json/src.hpp> anywhere else.
#include <boost/json/src.hpp>
