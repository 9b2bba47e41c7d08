-- POST /v1/flows/$FLOW/ops: each request renames one node, based on the version the previous answer's ETag gave
-- (run with one connection, so answers arrive in order).
local version = 1
local n = 0
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local body = string.format('{"base_version":%d,"ops":[{"op":"update_node","id":"n%d","set":{"label":"Step %d"}}]}',
    version, n % 190 + 1, n)
  return wrk.format(nil, "/v1/flows/" .. os.getenv("FLOW") .. "/ops", nil, body)
end
response = function(status, headers, body)
  local etag = headers["ETag"] or headers["etag"]
  if etag then version = tonumber(etag:match("%d+")) end
end
