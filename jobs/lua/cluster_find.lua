-- Every report's candidate stories (cluster_lib.lua: the layout and FIND).
local replies = {}
for r, s in ipairs(slices()) do replies[r] = find(s[1], s[2]) end
return replies
