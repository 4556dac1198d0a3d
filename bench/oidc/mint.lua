-- Mints authorization codes for the token-endpoint benchmark: GET the
-- authorization URL with a signed-in session cookie (consent already
-- given) and write each code to CODES_DIR/codes.<thread>.
-- Environment: FLOW_AUTHORIZE, FLOW_COOKIE, CODES_DIR.
local authorize = os.getenv("FLOW_AUTHORIZE")
local cookie = os.getenv("FLOW_COOKIE")
local dir = os.getenv("CODES_DIR")

local threads, n = {}, 0
function setup(thread)
  n = n + 1
  thread:set("tid", n)
  table.insert(threads, thread)
end

minted, errors, fh = 0, 0, nil

function init(args)
  fh = io.open(dir .. "/codes." .. tid, "w")
  fh:setvbuf("line")
  req = wrk.format("GET", authorize, { Cookie = cookie })
end

function request() return req end

function response(status, headers, body)
  local loc = headers["Location"] or headers["location"] or ""
  local code = string.match(loc, "[?&]code=([^&]+)")
  if code then fh:write(code, "\n"); minted = minted + 1 else errors = errors + 1 end
end

function done(summary, latency, requests)
  local m, e = 0, 0
  for _, t in ipairs(threads) do m = m + t:get("minted"); e = e + t:get("errors") end
  io.write(string.format("MINTED %d codes (%d errors) in %.1f s: %.0f authorize/s\n",
                         m, e, summary.duration / 1e6, m / (summary.duration / 1e6)))
end
