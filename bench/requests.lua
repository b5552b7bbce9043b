-- wrk's side of bench/pages.py: one page's requests, read from the plan file that
-- SAATE_BENCH_PLAN names (a Lua table bench/pages.py writes):
--   requests = { {method=, path=, cookie=, body=}, ... }, each connection takes them in turn
--   once     = true: each request is sent once (a saate sent is gone); a thread stops
--              when its share has been answered
--   expect   = the status that counts as a page served (200, or 302 after a valid POST)
--   fresh_key = true: "KEY" in a body becomes a new 32-hex submission key per request
--   address  = the client address of a signed-in staff member (their session holds to it)
-- Every request comes from its own made-up client address (X-Forwarded-For, which the
-- app believes from one proxy, as behind nginx): many clients, as in production, so the
-- rate limits, still on, never stop the load.

local plan = dofile(os.getenv("SAATE_BENCH_PLAN"))
local threads = {}

-- A thread that has sent its share stops, but wrk's own duration still runs to its end:
-- "once" plans are timed from the first request to the last answer instead.
local ffi = require("ffi")
ffi.cdef [[
   typedef struct { long tv_sec; long tv_nsec; } saate_timespec;
   int clock_gettime(int clock, saate_timespec *now);
]]
local CLOCK_MONOTONIC = 1

local function now()
   local moment = ffi.new("saate_timespec")
   ffi.C.clock_gettime(CLOCK_MONOTONIC, moment)
   return tonumber(moment.tv_sec) + tonumber(moment.tv_nsec) / 1e9
end

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   served = 0
   unexpected = 0
   sent = 0
   math.randomseed(os.time() + id)
end

local function address()
   return string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255),
                        math.random(1, 254))
end

local function key()
   local digits = {}
   for i = 1, 32 do digits[i] = string.format("%x", math.random(0, 15)) end
   return table.concat(digits)
end

function request()
   if started == nil then started = now() end
   local count = #plan.requests
   local index
   if plan.once then
      index = math.min(id + 1 + sent * plan.threads, count)
   else
      index = sent % count + 1
   end
   sent = sent + 1
   local r = plan.requests[index]
   local headers = { ["X-Forwarded-For"] = r.address or address(), ["Accept-Language"] = "fi",
                     ["User-Agent"] = "Saate bench" }
   if r.cookie then headers["Cookie"] = r.cookie end
   local body = r.body
   if body then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      if plan.fresh_key then body = string.gsub(body, "KEY", key()) end
   end
   return wrk.format(r.method, r.path, headers, body)
end

function response(status, headers, body)
   finished = now()
   if status == plan.expect then
      served = served + 1
   else
      unexpected = unexpected + 1
   end
   if plan.once and served + unexpected >= plan.share then
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local total_served, total_unexpected = 0, 0
   local first, last = nil, nil
   for _, thread in ipairs(threads) do
      total_served = total_served + thread:get("served")
      total_unexpected = total_unexpected + thread:get("unexpected")
      local began, ended = thread:get("started"), thread:get("finished")
      if began and (first == nil or began < first) then first = began end
      if ended and (last == nil or ended > last) then last = ended end
   end
   local duration = summary.duration
   if plan.once and first and last and last > first then duration = (last - first) * 1e6 end
   io.write(string.format(
      "SAATE-BENCH served=%d unexpected=%d errors=%d duration_us=%d p50_us=%d p95_us=%d\n",
      total_served, total_unexpected,
      summary.errors.connect + summary.errors.read + summary.errors.write
         + summary.errors.timeout,
      duration, latency:percentile(50), latency:percentile(95)))
end
