// `node serve.mjs --port N`: PostGraphile (graphile.config.mjs) on 127.0.0.1:N, GraphQL at
// /graphql, and GET /healthz answering 200 once the schema is built.
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import preset from "./graphile.config.mjs";

const at = process.argv.indexOf("--port");
const port = Number(at > 0 ? process.argv[at + 1] : 5678);
const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const handler = serv.createHandler();
let ready = false;

const server = createServer((request, response) => {
  if (request.url === "/healthz") {
    response.writeHead(ready ? 200 : 503).end();
    return;
  }
  handler(request, response);
});
await pgl.getSchema();
ready = true;
server.listen(port, "127.0.0.1");

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close();
    pgl.release().finally(() => process.exit(0));
  });
}
