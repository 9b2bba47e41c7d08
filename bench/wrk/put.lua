-- PUT /v1/flows/$FLOW with the document in $DOC, renamed each time, If-Match from the previous answer's ETag
-- (run with one connection, so answers arrive in order).
local version = 1
local n = 0
local f = assert(io.open(os.getenv("DOC"), "rb"))
local doc = f:read("*a")
f:close()
wrk.method = "PUT"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local body = doc:gsub('"name": "[^"]*"', '"name": "Renamed ' .. n .. '"', 1)
  -- wrk.format uses the headers given instead of wrk.headers, so pass them all
  local headers = {["If-Match"] = '"' .. version .. '"'}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  return wrk.format(nil, "/v1/flows/" .. os.getenv("FLOW"), headers, body)
end
response = function(status, headers, body)
  local etag = headers["ETag"] or headers["etag"]
  if etag then version = tonumber(etag:match("%d+")) end
end
