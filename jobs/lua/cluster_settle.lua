-- Every report joins its story (J) or opens one (O) (cluster_lib.lua: the layout, JOIN, OPEN).
local replies = {}
for r, s in ipairs(slices()) do
  if s[3] == 'J' then replies[r] = join(s[1], s[2]) else replies[r] = open(s[1], s[2]) end
end
return replies
