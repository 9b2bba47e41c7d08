-- GET $URL_PATH with a valid access token (TOKEN).
wrk.method = "GET"
wrk.path = os.getenv("URL_PATH")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
