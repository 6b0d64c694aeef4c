// The default transport in Node: `fetch(url, init)`'s contract, for the members the core uses,
// on node:http and node:https. Node 20's fetch (undici and WHATWG streams) costs about a third
// more CPU per call than node:http for the same request; see BENCHMARKS.md.
// Resolves once the whole body is in, decompressed and decoded, so `text()` has nothing left to do.
// node:http, node:https and node:zlib are loaded on first use: loading them takes ~11 ms, which
// would double the package's import time for programs that never call or never use https.
// process.getBuiltinModule (Node 20.16+, 22.3+) loads them synchronously; older Node imports them.
const builtin = globalThis.process?.getBuiltinModule;
const load = (name) => (builtin ? builtin(name) : import(name).then((m) => m.default ?? m));
const clients = {};

/** The module and keep-alive agent for a protocol (idle sockets do not keep the process alive). */
function client(protocol) {
  const name = protocol === 'https:' ? 'node:https' : protocol === 'http:' ? 'node:http' : null;
  if (!name) throw new TypeError(`unsupported protocol ${protocol}`);
  return (clients[name] ??= Promise.resolve(load(name)).then((mod) => ({ mod, agent: new mod.Agent({ keepAlive: true }) })));
}

/** zlib's streaming decoder for each Content-Encoding the transport asks for. */
const DECODERS = { gzip: 'createGunzip', 'x-gzip': 'createGunzip', deflate: 'createInflate', br: 'createBrotliDecompress' };

/**
 * Reads a response body as UTF-8 text while it arrives, decompressing it on the way; calls
 * `done(text)` at its end or `fail(error)`. Decoding chunk by chunk keeps the body in V8's heap:
 * collecting Buffers and concatenating them made one ~100 KB malloc per listing, and the C heap
 * then grew and shrank by 5–14 MiB at random (BENCHMARKS.md, change 14).
 */
function readText(res, done, fail) {
  const decoder = DECODERS[String(res.headers['content-encoding'] ?? '').trim().toLowerCase()];
  if (!decoder) return collect(res, done);
  res.pause(); // until zlib is loaded (at once with process.getBuiltinModule)
  Promise.resolve(load('node:zlib')).then((zlib) => {
    let plain = null; // made on the first byte: an empty body is empty text, not a zlib error
    res.on('data', (chunk) => {
      if (!plain) {
        plain = zlib[decoder]();
        plain.on('error', (error) => fail(new Error(`cannot decompress the response: ${error.message}`)));
        collect(plain, done);
      }
      plain.write(chunk);
    });
    res.on('end', () => (plain ? plain.end() : done('')));
    res.resume();
  }, fail);
}

/** Appends a readable's chunks as UTF-8 text (split characters are joined across chunks). */
function collect(stream, done) {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (part) => { text += part; });
  stream.on('end', () => done(text));
}

/**
 * `fetch(url, init)` for Node: method, headers (plain object), string body, signal; never follows
 * redirects. It also takes `init.timeout` (ms, for the whole response): the core then passes no
 * AbortController and timer of its own, which cost Node more than this one timer.
 */
export async function nodeFetch(url, init = {}) {
  const target = new URL(url);
  const { mod, agent } = await client(target.protocol);
  let timer;
  const reply = await new Promise((resolve, reject) => {
    const headers = { 'Accept-Encoding': 'gzip, deflate, br', ...init.headers };
    const body = init.body ?? undefined;
    if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
    const req = mod.request(target, { method: init.method ?? 'GET', headers, agent, signal: init.signal ?? undefined });
    req.on('error', reject);
    req.on('response', (res) => {
      res.on('error', reject);
      // 'close' without 'end': the connection broke (or the signal fired) mid-body.
      res.on('close', () => {
        if (!res.complete) reject(init.signal?.aborted ? init.signal.reason : new Error('the connection closed before the response was complete'));
      });
      readText(res, (text) => resolve({ res, text }), reject);
    });
    if (init.timeout > 0) {
      timer = setTimeout(() => {
        const error = new Error(`no complete response within ${init.timeout} ms`);
        error.name = 'TimeoutError';
        req.destroy(error);
        reject(error);
      }, init.timeout);
    }
    req.end(body);
  }).finally(() => clearTimeout(timer));
  return new NodeReply(reply.res, reply.text);
}

// Read by the core: this fetch enforces init.timeout and rejects with a TimeoutError.
nodeFetch.handlesTimeout = true;

/** What `nodeFetch` resolves to: the few `Response` members the core reads. */
class NodeReply {
  constructor(res, text) {
    this.status = res.statusCode;
    this.statusText = res.statusMessage ?? '';
    this.type = 'basic';
    this.headers = new NodeHeaders(res.headers);
    this._text = text;
  }

  get ok() {
    return this.status >= 200 && this.status < 300;
  }

  /** The body as UTF-8 text, without a byte-order mark (as fetch decodes it). */
  text() {
    const text = this._text;
    return Promise.resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
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

  /** [name, value] pairs, as iterating `Headers` gives them. */
  *[Symbol.iterator]() {
    for (const name of Object.keys(this._raw)) yield [name, this.get(name)];
  }
}
