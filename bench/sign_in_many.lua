-- wrk script: wrong administrator passwords, each from a new address (X-Forwarded-For,
-- believed with --trust-proxy 127.0.0.1), so the per-address throttle lets every one be checked.
math.randomseed(os.time())
request = function()
  local from = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255),
    math.random(1, 254))
  return wrk.format("POST", "/admin/login", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Forwarded-For"] = from,
  }, "password=not-the-password")
end
