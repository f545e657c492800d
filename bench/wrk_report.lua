-- wrk script: optional POST (form body and CSRF token from the arguments) and a
-- one-line JSON summary with the percentiles that `make load` prints.
local method, body, token = "GET", nil, nil

init = function(args)
  if args[1] == "POST" then
    method, body, token = "POST", args[2], args[3]
  end
end

request = function()
  if method == "POST" then
    return wrk.format("POST", nil, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-CSRFToken"] = token,
      ["Cookie"] = (wrk.headers["Cookie"] or "") .. "; csrftoken=" .. token,
    }, body)
  end
  return wrk.format()
end

done = function(summary, latency, requests)
  io.write(string.format(
    'WRK-JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_us":%d,"p95_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
