-- GET /v1/me with a valid access token (TOKEN environment variable).
wrk.method = "GET"
wrk.path = "/v1/me"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
