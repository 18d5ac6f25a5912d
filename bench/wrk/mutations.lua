-- Licence changes, one after another on each connection: every other request sets the
-- licence count to a random number the organisation can take (ORG.low to ORG.high), the
-- others give or remove a random person's login access, accepting the auto-increase. Each
-- request has an idempotency key of its own, as integrations send them.
--
-- From the preamble: ORGS (each with token, first resource id, people, low and high), NONCE
-- (makes the keys of one script unlike those of any other) and the two GraphQL documents, each
-- already a JSON string (SET_COUNT, TOGGLE_ACCESS).

local counter = 0
local run = 0

function init(args)
  -- The warm-up and the measured run use the same script: the start time keeps their keys
  -- apart, else the measured run would send the warm-up's requests again and get replays.
  run = os.time()
  math.randomseed(run + 7919 * id)
end

local ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

local function base64url(text)
  -- Unpadded base64url, as the API writes ids (server/api/ids.py).
  local out = {}
  for i = 1, #text, 3 do
    local a, b, c = text:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = b == nil and 2 or (c == nil and 3 or 4)
    for k = 1, chars do
      local index = math.floor(n / 2 ^ (6 * (4 - k))) % 64
      out[#out + 1] = ALPHABET:sub(index + 1, index + 1)
    end
  end
  return table.concat(out)
end

local function person(org)
  -- Not the administrator (index 0), nor a terminated person (every tenth, index 9, 19, …).
  while true do
    local index = math.random(1, org.people - 1)
    if index % 10 ~= 9 then
      return base64url("Resource:" .. (org.first + index))
    end
  end
end

function request()
  counter = counter + 1
  local org = ORGS[(counter * 7 + id) % #ORGS + 1]
  local key = string.format("bench-%d-%d-%d-%d", NONCE, run, id, counter)
  local body
  if counter % 2 == 0 then
    body = string.format(
      '{"query":%s,"variables":{"count":%d,"key":"%s"}}',
      SET_COUNT, math.random(org.low, org.high), key)
  else
    body = string.format(
      '{"query":%s,"variables":{"id":"%s","enabled":%s,"key":"%s"}}',
      TOGGLE_ACCESS, person(org), math.random(0, 1) == 1 and "true" or "false", key)
  end
  return wrk.format("POST", "/graphql", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. org.token,
  }, body)
end
