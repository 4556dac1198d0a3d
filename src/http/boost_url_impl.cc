// Boost.URL is header-only on this platform (no libboost_url): its
// implementation is compiled here, once, for all of dancu.
#include <boost/url/src.hpp>
