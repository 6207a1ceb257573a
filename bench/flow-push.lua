-- wrk script: unique Klaviyo flow pushes to one account's flow webhook, counting the answers.
-- wrk -s bench/flow-push.lua URL -- <accountId> <flowToken> <listId>
local threads = {}
local next_thread = 1

function setup(thread)
    thread:set("thread_number", next_thread)
    next_thread = next_thread + 1
    table.insert(threads, thread)
end

function init(args)
    account, token, list = args[1], args[2], args[3]
    sent, accepted, unavailable, other = 0, 0, 0, 0
    path = "/webhooks/klaviyo/" .. account .. "/flow"
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["X-Gateway-Token"] = token
end

function request()
    sent = sent + 1
    -- A profile id of Klaviyo's form (26 ULID characters), unique per thread and request.
    local profile = string.format("01JW%02d%020d", thread_number, sent)
    local body = string.format(
        '{"list_id":"%s","profile_id":"%s","email":"","phone_number":"+1415%07d","first_name":"Bench","last_name":"%d"}',
        list, profile, 2000000 + (thread_number * 1000000 + sent) % 8000000, sent)
    return wrk.format(nil, path, nil, body)
end

function response(status, headers, body)
    if status == 202 then
        accepted = accepted + 1
    elseif status == 503 then
        unavailable = unavailable + 1
    else
        other = other + 1
    end
end

function done(summary, latency, requests)
    local totals = { accepted = 0, unavailable = 0, other = 0 }
    for _, thread in ipairs(threads) do
        totals.accepted = totals.accepted + thread:get("accepted")
        totals.unavailable = totals.unavailable + thread:get("unavailable")
        totals.other = totals.other + thread:get("other")
    end
    io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f accepted=%d unavailable=%d other=%d errors=%d\n",
        summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
        totals.accepted, totals.unavailable, totals.other,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
