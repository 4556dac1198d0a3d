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

-- No response() hook: it would run Lua per response and slow wrk itself down.
-- wrk prints "Non-2xx or 3xx responses" when there are any.
