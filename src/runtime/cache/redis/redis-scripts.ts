/**
 * The two Lua scripts of the session hot path. Each does in one command what Microsoft's RedisCache does in two,
 * on the same hash layout and with the same TTL arithmetic, so a .NET application sharing the keys sees no
 * difference; the server runs each one atomically, which the .NET pair of commands is not.
 *
 * Ticks exceed 2^53 and Lua numbers are doubles, so the scripts never hold a tick count as a number: dropping the
 * last four digits of the decimal text divides it by 10,000 exactly, leaving milliseconds well inside 2^53.
 */
import { createHash } from 'node:crypto';

export interface LuaScript {
  readonly source: string;
  readonly sha1: string;
}

function luaScript(source: string): LuaScript {
  return Object.freeze({ source, sha1: createHash('sha1').update(source).digest('hex') });
}

/**
 * KEYS[1] the entry, ARGV[1] now in Unix milliseconds. Returns the entry's data (nil when it has none), after sliding
 * the TTL of an entry with a sliding window to min(absolute − now, sliding): EXPIRE for whole seconds, PEXPIRE
 * otherwise, as StackExchange.Redis's KeyExpire sends it. Only the data travels back: a reply of one bulk string
 * costs the client less to decode than the three fields. An expiry field that is not a tick count (what .NET writes
 * for a long) fails the call with the same message the command pairs give.
 */
export const GET_AND_REFRESH = luaScript(`
local fields = redis.call('HMGET', KEYS[1], 'absexp', 'sldexp', 'data')
local names = { 'absexp', 'sldexp' }
for index = 1, 2 do
  local ticks = fields[index]
  if ticks then
    local digits = string.match(ticks, '^%-?(%d+)$')
    if digits == nil or #digits > 19 then
      return redis.error_reply("Redis key '" .. KEYS[1] .. "' holds a malformed '" .. names[index] .. "' field; expected .NET ticks.")
    end
  end
end
local function milliseconds(ticks)
  if type(ticks) ~= 'string' or not string.match(ticks, '^%d+$') then return nil end
  return tonumber(string.sub(ticks, 1, -5)) or 0
end
local expiry = milliseconds(fields[2])
if expiry ~= nil then
  local absolute = milliseconds(fields[1])
  if absolute ~= nil then
    local remaining = absolute - 62135596800000 - tonumber(ARGV[1])
    if remaining < expiry then expiry = remaining end
  end
  if expiry % 1000 == 0 then
    redis.call('EXPIRE', KEYS[1], string.format('%d', expiry / 1000))
  else
    redis.call('PEXPIRE', KEYS[1], string.format('%d', expiry))
  end
end
return fields[3]
`);

/** KEYS[1] the entry, ARGV absexp, sldexp, data and the TTL in seconds ('' for none: the TTL is left as it was). */
export const SET_ENTRY = luaScript(`
redis.call('HSET', KEYS[1], 'absexp', ARGV[1], 'sldexp', ARGV[2], 'data', ARGV[3])
if ARGV[4] ~= '' then redis.call('EXPIRE', KEYS[1], ARGV[4]) end
return 1
`);

/** Errors that mean the server (or the user's ACL) will not run scripts at all, rather than a failed call. */
export function refusesScripts(message: string): boolean {
  return /^NOPERM|^ERR unknown command|scripting is disabled|^ERR .*not allowed/i.test(message);
}
