-- One request, repeated: METHOD, PATH, BODY and HEADERS come from the preamble.

wrk.method = METHOD
wrk.path = PATH
wrk.body = BODY
for name, value in pairs(HEADERS) do
  wrk.headers[name] = value
end
