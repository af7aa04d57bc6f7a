-- The part of a fixed document that a quick fix changed, with 3 lines of context either side:
-- the lines between the longest common prefix and the longest common suffix of the original
-- and the fixed lines, joined with "\n" and ending in "\n". Same as
-- tests/clients/node/fix_region.js; tests/data/clients/*.expected hold such regions.
local CONTEXT = 3

return function(a, b)
  local prefix = 0
  while prefix < #a and prefix < #b and a[prefix + 1] == b[prefix + 1] do
    prefix = prefix + 1
  end
  local suffix = 0
  while suffix < #a - prefix and suffix < #b - prefix and a[#a - suffix] == b[#b - suffix] do
    suffix = suffix + 1
  end
  local first = math.max(0, prefix - CONTEXT) -- 0-based, inclusive
  local last = math.min(#b, #b - suffix + CONTEXT) -- 0-based, exclusive
  local region = {}
  for i = first + 1, last do
    region[#region + 1] = b[i]
  end
  return table.concat(region, '\n') .. '\n'
end
