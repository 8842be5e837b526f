/**
 * The wrk Lua scripts of `npm run bench:hosts`. Each wrk thread is sent to one host of the list
 * (`thread.addr`), in turn, with that host's `Host` header, so one wrk process spreads its
 * connections over several hosts: with one host, every thread goes to it (the same script, the
 * same cost to wrk, in every configuration).
 */
import { writeFileSync } from 'node:fs'

const lua = (value: string) => JSON.stringify(value) // a JSON string is a Lua string here (ASCII, no control characters)
const list = (values: (string | number)[]) => `{ ${values.map((value) => (typeof value === 'number' ? String(value) : lua(value))).join(', ')} }`

/** Sends thread i to hosts[i mod n]; `host` is that thread's "name:port". */
const spreadThreads = (hosts: string[]) => `local hosts = ${list(hosts)}
local started = 0
local threads = {}
function setup(thread)
  started = started + 1
  local host = hosts[((started - 1) % #hosts) + 1]
  local name, port = host:match("^(.+):(%d+)$")
  thread.addr = wrk.lookup(name, port)[1]
  thread:set("id", started)
  thread:set("host", host)
  table.insert(threads, thread)
end
`

/** GETs of `paths` in turn (one path: the same request every time), spread over `hosts`. */
export function writeGetScript(file: string, hosts: string[], paths: string[]): void {
  const rotate =
    paths.length > 1
      ? `local paths = ${list(paths)}
local i = 0
function request()
  i = i + 1
  return wrk.format(nil, paths[(i % #paths) + 1])
end
`
      : ''
  writeFileSync(
    file,
    `${spreadThreads(hosts)}
function init(args)
  wrk.headers["Host"] = host
end
${rotate}`,
  )
}

export interface CheckoutScript {
  hosts: string[]
  /** One session cookie per wrk thread (a signed-up shopper each): thread i is shopper i. */
  cookies: string[]
  /** What the shoppers buy, one at a time, each thread through the list from its own place. */
  productIds: number[]
  /** Before every Idempotency-Key: unique per wrk run, so no key is ever sent twice. */
  keyPrefix: string
}

/**
 * Checkouts: each wrk thread has one connection and is one signed-in shopper, who adds one product
 * to the cart (`POST /api/cart/items`) and then checks out (`POST /api/orders`, a fresh
 * Idempotency-Key each time, the test card that pays), again and again. A thread's next request
 * is made after the answer to its last one (wrk without pipelining), so the two steps never
 * overlap; the step moves on with the answer, not with the request (wrk builds one request to
 * check the script before the run). `done` prints `CHECKOUTS created=… failed=… carts-failed=… seconds=…` and one
 * `CHECKOUT-STATUS <status> <count>` line per answer that was not a new order; only a 201 without
 * `Idempotent-Replayed` counts as created.
 */
export function writeCheckoutScript(file: string, { hosts, cookies, productIds, keyPrefix }: CheckoutScript): void {
  const order = JSON.stringify({
    shipping: { name: 'Bench Shopper', line1: '1 Load Street', city: 'Benchton', postalCode: 'BN1 1AA', country: 'GB' },
    card: { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' },
  })
  writeFileSync(
    file,
    `${spreadThreads(hosts)}
local cookies = ${list(cookies)}
local products = ${list(productIds)}
local order = ${lua(order)}

function init(args)
  step = 0 -- even: add to the cart; odd: check out
  created = 0
  failed = 0
  cartsFailed = 0
  statuses = {}
end

local function headers(extra)
  local h = { ["Host"] = host, ["Origin"] = "http://" .. host, ["Content-Type"] = "application/json", ["Cookie"] = cookies[id] }
  for name, value in pairs(extra) do h[name] = value end
  return h
end

-- The request for the current step; only an answer moves to the next (wrk also calls this once
-- to check the script, and again for a request lost with its connection: the same key again).
function request()
  if step % 2 == 0 then
    local product = products[((id * 7 + step / 2) % #products) + 1]
    return wrk.format("POST", "/api/cart/items", headers({}), '{"productId":' .. product .. ',"quantity":1}')
  end
  return wrk.format("POST", "/api/orders", headers({ ["Idempotency-Key"] = ${lua(keyPrefix)} .. "-" .. id .. "-" .. step }), order)
end

function response(status, headers, body)
  if step % 2 == 0 then
    if status ~= 201 then
      cartsFailed = cartsFailed + 1
      local key = "cart " .. status .. " " .. (body:match('"code":"([%w_]+)"') or "-")
      statuses[key] = (statuses[key] or 0) + 1
    end
  elseif status == 201 and not (headers["Idempotent-Replayed"] or headers["idempotent-replayed"]) then
    created = created + 1
  else
    failed = failed + 1
    local key = "order " .. status .. " " .. (body:match('"code":"([%w_]+)"') or (status == 201 and "replayed" or "-"))
    statuses[key] = (statuses[key] or 0) + 1
  end
  step = step + 1
end

function done(summary, latency, requests)
  local c, f, cf, all = 0, 0, 0, {}
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    f = f + thread:get("failed")
    cf = cf + thread:get("cartsFailed")
    for status, n in pairs(thread:get("statuses")) do all[status] = (all[status] or 0) + n end
  end
  io.write(string.format("CHECKOUTS created=%d failed=%d carts-failed=%d seconds=%.3f\\n", c, f, cf, summary.duration / 1000000))
  for status, n in pairs(all) do io.write(string.format("CHECKOUT-STATUS %s %d\\n", status, n)) end
end
`,
  )
}

/** What a checkout script's `done` printed. */
export function readCheckouts(output: string): { created: number; failed: number; cartsFailed: number; seconds: number; statuses: Record<string, number> } {
  const line = /CHECKOUTS created=(\d+) failed=(\d+) carts-failed=(\d+) seconds=([\d.]+)/.exec(output)
  if (!line) throw new Error(`The checkout script printed no summary:\n${output}`)
  const statuses = Object.fromEntries([...output.matchAll(/^CHECKOUT-STATUS (\w+ \d+ \S+) (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]))
  return { created: Number(line[1]), failed: Number(line[2]), cartsFailed: Number(line[3]), seconds: Number(line[4]), statuses }
}
