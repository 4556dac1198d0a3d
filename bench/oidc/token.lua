-- POST /oidc/token (authorization_code + PKCE, client_secret_basic) with the
-- codes minted by mint.lua: wrk thread N uses CODES_DIR/codes.N, each code
-- once. Run with the same thread count as mint.lua.
-- Environment: FLOW_TOKEN, FLOW_BASIC, FLOW_VERIFIER, FLOW_REDIRECT_URI_ENC, CODES_DIR.
local token_path = os.getenv("FLOW_TOKEN")
local basic = "Basic " .. os.getenv("FLOW_BASIC")
local tail = "&redirect_uri=" .. os.getenv("FLOW_REDIRECT_URI_ENC") ..
             "&code_verifier=" .. os.getenv("FLOW_VERIFIER")
local dir = os.getenv("CODES_DIR")

local threads, n = {}, 0
function setup(thread)
  n = n + 1
  thread:set("tid", n)
  table.insert(threads, thread)
end

codes, next_code, ok, errors, exhausted, last_error = {}, 1, 0, 0, 0, ""
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded", Authorization = basic }

function init(args)
  for line in io.lines(dir .. "/codes." .. tid) do codes[#codes + 1] = line end
end

function request()
  local code = codes[next_code]
  if code == nil then exhausted = exhausted + 1; code = "exhausted" end
  next_code = next_code + 1
  return wrk.format("POST", token_path, headers, "grant_type=authorization_code&code=" .. code .. tail)
end

function response(status, headers, body)
  if status == 200 and string.find(body, '"id_token"', 1, true) then
    ok = ok + 1
  else
    errors = errors + 1
    last_error = status .. " " .. string.sub(body, 1, 200)
  end
end

function done(summary, latency, requests)
  local o, e, x, le = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    o = o + t:get("ok"); e = e + t:get("errors"); x = x + t:get("exhausted")
    if t:get("last_error") ~= "" then le = t:get("last_error") end
  end
  local secs = summary.duration / 1e6
  io.write(string.format("TOKENS %d ok, %d errors in %.1f s: %.0f code exchanges/s; p50 %.2f ms, p99 %.2f ms\n",
                         o, e, secs, o / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  if x > 0 then io.write(string.format("WARNING: ran out of codes %d times (mint more: BENCH_MINT_SECONDS)\n", x)) end
  if le ~= "" and e > x then io.write("last error: " .. le .. "\n") end
end
