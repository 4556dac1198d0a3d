-- Password sign-ins (POST of the sign-in form, Argon2id-bound): each
-- request signs one of the prepared accounts in with its right password.
-- Environment: SIGNIN_PATH (the form's action), SIGNIN_COOKIE (the CSRF
-- cookie), SIGNIN_BODIES (a file: one form-encoded body per line, each with
-- the CSRF field).
local path = os.getenv("SIGNIN_PATH")
local headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  Cookie = os.getenv("SIGNIN_COOKIE"),
}
local file = os.getenv("SIGNIN_BODIES")

local threads = {}
function setup(thread) table.insert(threads, thread) end

bodies, i, ok, errors, last_error = {}, 0, 0, 0, ""

function init(args)
  for line in io.lines(file) do bodies[#bodies + 1] = line end
end

function request()
  i = i % #bodies + 1
  return wrk.format("POST", path, headers, bodies[i])
end

function response(status, headers, body)
  local loc = headers["Location"] or headers["location"] or ""
  if (status == 302 or status == 303) and not string.find(loc, "signin", 1, true) then
    ok = ok + 1
  else
    errors = errors + 1
    last_error = status .. " " .. loc .. " " .. string.sub(body, 1, 200)
  end
end

function done(summary, latency, requests)
  local o, e, le = 0, 0, ""
  for _, t in ipairs(threads) do
    o = o + t:get("ok"); e = e + t:get("errors")
    if t:get("last_error") ~= "" then le = t:get("last_error") end
  end
  local secs = summary.duration / 1e6
  io.write(string.format("SIGNINS %d ok, %d errors in %.1f s: %.1f sign-ins/s; p50 %.1f ms\n",
                         o, e, secs, o / secs, latency:percentile(50) / 1000))
  if le ~= "" then io.write("last error: " .. le .. "\n") end
end
