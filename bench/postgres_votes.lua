-- wrk script: POST /api/votes with distinct valid EPIC voter IDs.
-- EPIC_PREFIX (three letters) keeps voters of parallel wrk runs apart.
local prefix = os.getenv("EPIC_PREFIX") or "BAA"
local parties = { "bjp", "congress", "aap", "nota" }
local n = 0

local function epic(k)
  local body = string.format("%06d", k % 1000000)
  for check = 0, 9 do
    local s = body .. check
    local sum = 0
    for i = 0, 6 do
      local d = tonumber(s:sub(7 - i, 7 - i))
      if i % 2 == 1 then
        d = d * 2
        if d > 9 then d = d - 9 end
      end
      sum = sum + d
    end
    if sum % 10 == 0 then return prefix .. s end
  end
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  n = n + 1
  local body = string.format(
    '{"name":"Bench Voter","age":30,"address":"1 Bench Road","voterId":"%s","party":"%s"}',
    epic(n), parties[n % 4 + 1])
  return wrk.format(nil, "/api/votes", nil, body)
end
