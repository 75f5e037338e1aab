#!/usr/bin/env node
// A registry further away, for benchmarks: forwards every request to the upstream registry after a fixed delay.
// The machine the benchmarks ran on reaches its registry in about 33 ms a request; users far from theirs wait
// several times that, which changes what a cold scan waits for (the resolution is a chain of round trips).
// Usage: node test/bench/slow-registry.js [--port 18765] [--delay-ms 100] [--upstream https://registry.npmjs.org]
// then, for example: npm run bench:ab -- HEAD . --mode cold --env-a npm_config_registry=http://127.0.0.1:18765/
//   --env-b npm_config_registry=http://127.0.0.1:18765/
// (npm and pacote send tarball downloads of registry.npmjs.org through the configured registry too).
import http from 'node:http';
import https from 'node:https';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '18765' },
    'delay-ms': { type: 'string', default: '100' },
    upstream: { type: 'string', default: 'https://registry.npmjs.org' },
  },
});
const upstream = new URL(values.upstream);
const delay = Number(values['delay-ms']);
const client = upstream.protocol === 'https:' ? https : http;
const agent = new client.Agent({ keepAlive: true, maxSockets: 64 });

http
  .createServer((req, res) => {
    setTimeout(() => {
      const headers = { ...req.headers, host: upstream.host };
      delete headers.connection;
      const forwarded = client.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers, agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forwarded.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      req.pipe(forwarded);
    }, delay);
  })
  .listen(Number(values.port), '127.0.0.1', () =>
    console.error(`http://127.0.0.1:${values.port}/ -> ${upstream.href}, ${delay} ms added to each request`),
  );
