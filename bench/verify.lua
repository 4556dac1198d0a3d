-- wrk script: POST /v1/verify with bodies drawn at random from BODIES_FILE
-- (one JSON query per line), with $VERIFY_TOKEN (bench/policy.sh: an agency
-- access token) or else the admin token, over keep-alive connections.
local bodies = {}
local token = os.getenv("VERIFY_TOKEN") or os.getenv("DANCU_ADMIN_TOKEN") or ""
local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }

function init(args)
  for line in io.lines(os.getenv("BODIES_FILE")) do bodies[#bodies + 1] = line end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  return wrk.format("POST", "/v1/verify", headers, bodies[math.random(#bodies)])
end
