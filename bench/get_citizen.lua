-- wrk script: GET /v1/citizens/{id} for random ids from IDS_FILE, with the
-- admin token, over keep-alive connections.
local ids = {}
local token = os.getenv("DANCU_ADMIN_TOKEN") or ""

function init(args)
  local path = os.getenv("IDS_FILE")
  for line in io.lines(path) do ids[#ids + 1] = line end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/v1/citizens/" .. id, { ["Authorization"] = "Bearer " .. token })
end

local non200 = 0
function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, non-2xx %d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.status.status_errors or 0))
end
