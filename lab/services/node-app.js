// The lab's Node service (lab/services/node.sh): an HTTP server whose clients keep their
// connections alive, resolving names the way Node services do with dns.resolve*: through
// c-ares channels. GET /resolve?name=NAME asks the default channel (dns.promises.resolve4);
// &via=resolver asks a second channel the app made itself (new dns.promises.Resolver), as
// services with their own timeouts do. 200 with the address, 502 when NAME does not resolve.
'use strict';
const http = require('http');
const dns = require('dns');

const port = Number(process.env.PORT || 8084);
const own = new dns.promises.Resolver({ timeout: 2000, tries: 2 });

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/resolve') {
    const name = url.searchParams.get('name') || '';
    const via = url.searchParams.get('via') === 'resolver' ? own : dns.promises;
    try {
      const addrs = await via.resolve4(name);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(addrs.join(',') + '\n');
    } catch (e) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`${name}: ${e.code || e.message}\n`);
    }
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok\n');
});
server.keepAliveTimeout = 600000;
server.headersTimeout = 610000;
server.listen(port, '0.0.0.0'); // node.sh writes the pidfile once it listens
