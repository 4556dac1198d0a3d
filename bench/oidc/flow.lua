-- One complete flow per iteration for an already signed-in user:
-- authorize (with the session cookie) -> code -> token (code + PKCE
-- verifier, client_secret_basic) -> userinfo. Run with one connection per
-- wrk thread (-tN -cN): each thread is one sequential worker.
-- Environment: FLOW_AUTHORIZE (path and query), FLOW_TOKEN, FLOW_USERINFO
-- (paths), FLOW_COOKIE, FLOW_BASIC (base64 client_id:secret),
-- FLOW_VERIFIER, FLOW_REDIRECT_URI_ENC (form-encoded redirect URI).
local authorize = os.getenv("FLOW_AUTHORIZE")
local token_path = os.getenv("FLOW_TOKEN")
local userinfo = os.getenv("FLOW_USERINFO")
local cookie = os.getenv("FLOW_COOKIE")
local basic = "Basic " .. os.getenv("FLOW_BASIC")
local token_tail = "&redirect_uri=" .. os.getenv("FLOW_REDIRECT_URI_ENC") ..
                   "&code_verifier=" .. os.getenv("FLOW_VERIFIER")

local threads = {}
function setup(thread) table.insert(threads, thread) end

step, code, access = 0, nil, nil
flows, errors, last_error = 0, 0, ""

function request()
  if step == 0 then
    return wrk.format("GET", authorize, { Cookie = cookie })
  elseif step == 1 then
    return wrk.format("POST", token_path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      Authorization = basic,
    }, "grant_type=authorization_code&code=" .. code .. token_tail)
  else
    return wrk.format("GET", userinfo, { Authorization = "Bearer " .. access })
  end
end

local function fail(what, status, body)
  errors = errors + 1
  last_error = what .. " " .. status .. " " .. string.sub(body or "", 1, 200)
  step = 0
end

function response(status, headers, body)
  if step == 0 then
    local loc = headers["Location"] or headers["location"] or ""
    code = string.match(loc, "[?&]code=([^&]+)")
    if code then step = 1 else fail("authorize", status, loc) end
  elseif step == 1 then
    access = string.match(body, '"access_token"%s*:%s*"([^"]+)"')
    if status == 200 and access then step = 2 else fail("token", status, body) end
  else
    if status == 200 then flows = flows + 1; step = 0 else fail("userinfo", status, body) end
  end
end

function done(summary, latency, requests)
  local f, e, le = 0, 0, ""
  for _, t in ipairs(threads) do
    f = f + t:get("flows"); e = e + t:get("errors")
    if t:get("last_error") ~= "" then le = t:get("last_error") end
  end
  local secs = summary.duration / 1e6
  io.write(string.format("FLOWS %d errors %d in %.1f s: %.0f flows/s (%d requests)\n",
                         f, e, secs, f / secs, summary.requests))
  if le ~= "" then io.write("last error: " .. le .. "\n") end
end
