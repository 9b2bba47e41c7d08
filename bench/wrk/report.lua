-- Shared by the scripts: one summary line with requests/s and latency percentiles, and non-2xx counts.
done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("RESULT requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, non2xx, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
