-- wrk script: cycle through the main pages, in both languages, with and without filters.
local paths = {
  "/en/", "/ko/", "/en/map/", "/en/timeline/", "/en/agreements/",
  "/en/agreements/?mineral=lithium", "/ko/agreements/kr-mn-rare-metal-cooperation-center/",
  "/en/countries/mn/", "/en/minerals/rare-earths/", "/en/coverage/", "/health/",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
