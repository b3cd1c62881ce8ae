-- wrk script: POST a valid SKM submission per request with a distinct Idempotency-Key
-- (UUID-shaped), a distinct X-Device-Id and the gateway's app key; counts statuses.
--
-- Environment: BENCH_PATH (default /api/v1/feedback/feedback), BENCH_SLUGS (comma-separated
-- service point slugs), BENCH_VISIT_DATE (YYYY-MM-DD), BENCH_APP_KEY, BENCH_SPREAD_ADDRESSES
-- (1: a distinct X-Forwarded-For per request, as many citizens behind one gateway would be),
-- BENCH_GATEWAY_ASSERTION (sent as X-Gateway-Assertion: a long-lived one for calling the
-- feedback service straight, without the gateway).

local path = os.getenv("BENCH_PATH") or "/api/v1/feedback/feedback"
local app_key = os.getenv("BENCH_APP_KEY") or "kinerja-dev-app-key"
local visit = os.getenv("BENCH_VISIT_DATE") or "2026-01-01"
local spread = os.getenv("BENCH_SPREAD_ADDRESSES") == "1"
local assertion = os.getenv("BENCH_GATEWAY_ASSERTION")
local slugs = {}
for slug in string.gmatch(os.getenv("BENCH_SLUGS") or "bench", "[^,]+") do
  slugs[#slugs + 1] = slug
end

local threads = {}
local counter = 0
statuses = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() * 1000 + thread_id * 7919 + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
end

local function hex(n)
  local t = {}
  for i = 1, n do t[i] = string.format("%x", math.random(0, 15)) end
  return table.concat(t)
end

local function uuid4()
  return hex(8) .. "-" .. hex(4) .. "-4" .. hex(3) .. "-" ..
    string.format("%x", math.random(8, 11)) .. hex(3) .. "-" .. hex(12)
end

function request()
  counter = counter + 1
  local n = counter
  local answers = {}
  for i = 1, 9 do answers[i] = string.format('"U%d": %d', i, (n + i) % 4 + 1) end
  local body = string.format(
    '{"service_point": "%s", "visit_date": "%s", "answers": {%s}, "overall_rating": %d, "channel": "app"}',
    slugs[n % #slugs + 1], visit, table.concat(answers, ", "), n % 5 + 1)
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-App-Key"] = app_key,
    ["Idempotency-Key"] = uuid4(),
    ["X-Device-Id"] = "bench-" .. hex(16),
  }
  if assertion then
    headers["X-Gateway-Assertion"] = assertion
  end
  if spread then
    headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255),
      math.random(0, 255), math.random(1, 254))
  end
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, count in pairs(counts) do
      merged[status] = (merged[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(merged) do
    parts[#parts + 1] = string.format('"%d": %d', status, count)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"statuses": {%s}, "latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ", "),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
