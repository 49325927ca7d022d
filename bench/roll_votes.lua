-- wrk script: votes by the voters of a roll, each with their one-time code, read from the
-- --codes-out CSV named by CODES_FILE (voter_id,name,code). Each voter votes once: a run
-- starts VOTER_OFFSET voters down the roll (0 by default), past those of earlier runs.
local voters = {}
local offset = tonumber(os.getenv("VOTER_OFFSET") or "0")
local parties = { "bjp", "congress", "aap", "nota" }
local counter = 0

for line in io.lines(os.getenv("CODES_FILE")) do
  local id, code = line:match("^([A-Z0-9]+),.*,([A-Z0-9%-]+)\r?$")
  if id and id ~= "voter_id" then voters[#voters + 1] = { id, code } end
end

request = function()
  counter = counter + 1
  local v = voters[(offset + counter - 1) % #voters + 1]
  local json = '{"voterId":"' .. v[1] .. '","code":"' .. v[2] .. '","party":"' ..
    parties[counter % 4 + 1] .. '"}'
  return wrk.format("POST", "/api/votes", { ["Content-Type"] = "application/json" }, json)
end
