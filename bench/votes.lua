-- wrk script: every request is a distinct, valid vote (a fresh EPIC voter ID).
-- The first letter of the IDs comes from VOTER_PREFIX so runs can be told apart.
local first = os.getenv("VOTER_PREFIX") or "B"
local parties = { "bjp", "congress", "aap", "nota" }
local counter = 0

local function letter(n)
  return string.char(65 + n % 26)
end

-- The Luhn check digit that completes six digits.
local function check_digit(body)
  local sum = 0
  for i = #body, 1, -1 do
    local d = tonumber(body:sub(i, i))
    if (#body - i) % 2 == 0 then
      d = d * 2
      if d > 9 then d = d - 9 end
    end
    sum = sum + d
  end
  return (10 - sum % 10) % 10
end

request = function()
  counter = counter + 1
  local body = string.format("%06d", counter % 1000000)
  local block = math.floor(counter / 1000000)
  local id = first .. letter(math.floor(block / 26)) .. letter(block) .. body .. check_digit(body)
  local party = parties[counter % 4 + 1]
  local json = '{"name":"Bench Voter","age":30,"address":"1 Load Lane","voterId":"' .. id ..
    '","party":"' .. party .. '"}'
  return wrk.format("POST", "/api/votes", { ["Content-Type"] = "application/json" }, json)
end
