// The default transport in Node: `fetch(url, init)`'s contract, for the members the core uses,
// on node:http and node:https. Node 20's fetch (undici and WHATWG streams) costs about a third
// more CPU per call than node:http for the same request; see BENCHMARKS.md.
// Resolves once the whole body is in (decompressed), so `json()` and `text()` only decode.
import { createRequire } from 'node:module';

// node:http, node:https and node:zlib are loaded on first use: importing them takes ~11 ms,
// which would double the package's import time for programs that never call or never use https.
const require = createRequire(import.meta.url);
const clients = {};
/** The module and keep-alive agent for a protocol (idle sockets do not keep the process alive). */
function client(protocol) {
  const name = protocol === 'https:' ? 'https' : protocol === 'http:' ? 'http' : null;
  if (!name) throw new TypeError(`unsupported protocol ${protocol}`);
  if (!clients[name]) {
    const mod = require(`node:${name}`);
    clients[name] = { mod, agent: new mod.Agent({ keepAlive: true }) };
  }
  return clients[name];
}

/** The decompressor for a Content-Encoding, if the body has one. */
function decoder(encoding) {
  const zlib = require('node:zlib');
  return { gzip: zlib.gunzip, 'x-gzip': zlib.gunzip, deflate: zlib.inflate, br: zlib.brotliDecompress }[encoding];
}

/** `fetch(url, init)` for Node: method, headers (plain object), string body, signal; never follows redirects. */
export function nodeFetch(url, init = {}) {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const { mod, agent } = client(target.protocol);
    const headers = { 'Accept-Encoding': 'gzip, deflate, br', ...init.headers };
    const body = init.body ?? undefined;
    if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
    const req = mod.request(target, { method: init.method ?? 'GET', headers, agent, signal: init.signal ?? undefined });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', reject);
      // 'close' without 'end': the connection broke (or the signal fired) mid-body.
      res.on('close', () => {
        if (!res.complete) reject(init.signal?.aborted ? init.signal.reason : new Error('the connection closed before the response was complete'));
      });
      res.on('end', () => {
        const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        const encoding = String(res.headers['content-encoding'] ?? '').trim().toLowerCase();
        const decode = encoding && encoding !== 'identity' && raw.length > 0 ? decoder(encoding) : undefined;
        if (!decode) return resolve(new NodeReply(res, raw));
        decode(raw, (error, plain) => (error ? reject(new Error(`cannot decompress the response: ${error.message}`)) : resolve(new NodeReply(res, plain))));
      });
    });
    req.end(body);
  });
}

/** What `nodeFetch` resolves to: the few `Response` members the core reads. */
class NodeReply {
  constructor(res, body) {
    this.status = res.statusCode;
    this.type = 'basic';
    this.headers = new NodeHeaders(res.headers);
    this._body = body;
  }

  get ok() {
    return this.status >= 200 && this.status < 300;
  }

  /** The body as UTF-8 text, without a byte-order mark (as fetch decodes it). */
  text() {
    const text = this._body.toString('utf8');
    return Promise.resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  }

  json() {
    return this.text().then(JSON.parse);
  }
}

/** `Headers.get` over node's lower-cased header object. */
class NodeHeaders {
  constructor(raw) {
    this._raw = raw;
  }

  get(name) {
    const value = this._raw[String(name).toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : String(value);
  }
}
