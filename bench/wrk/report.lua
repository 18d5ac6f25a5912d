-- Shared by every scenario. Counts the answers that are not a clean success (an HTTP status
-- other than 200, or a GraphQL answer with "errors"), keeps the first one as a sample, and
-- prints the figures as one JSON line that bench/run.py reads.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

failures = 0
sample = ""

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    failures = failures + 1
    if sample == "" then
      sample = string.format("HTTP %d: %s", status, string.sub(body, 1, 400))
    end
  end
end

local function json_string(text)
  return '"' .. string.gsub(text, '[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end) .. '"'
end

function done(summary, latency, requests)
  local failed, first = 0, ""
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
    local text = thread:get("sample")
    if first == "" and text ~= "" then
      first = text
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"mean_us":%.1f,'
      .. '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"connect_errors":%d,'
      .. '"read_errors":%d,"write_errors":%d,"timeouts":%d,"non_2xx":%d,'
      .. '"failed_answers":%d,"sample":%s}\n',
    summary.requests, summary.duration, summary.bytes, latency.mean,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status,
    failed, json_string(first)))
end
