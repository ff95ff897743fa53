// raw.mjs: speaks HTTP over a plain socket, for what fetch() will not send
// (bad paths, unknown methods, partial bodies, idle connections).
import net from 'node:net';

/** Opens a socket to 127.0.0.1:port; resolves once connected. */
export function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Collects everything the server sends until it closes or `ms` pass.
 *  Resolves to { text, closed } (closed: the server ended the socket). */
export function readAll(sock, ms = 5000) {
  return new Promise((resolve) => {
    let text = '';
    let done = false;
    const finish = (closed) => {
      if (done) return;
      done = true;
      clearTimeout(t);
      resolve({ text, closed });
    };
    const t = setTimeout(() => finish(false), ms);
    sock.on('data', (d) => { text += d.toString('latin1'); });
    sock.on('end', () => finish(true));
    sock.on('close', () => finish(true));
    sock.on('error', () => finish(true));
  });
}

/** Sends a whole raw request (with Connection: close) and returns
 *  { status, headers (lower-case names), body, text }. */
export async function rawRequest(port, request, ms = 5000) {
  const sock = await connect(port);
  const reading = readAll(sock, ms);
  sock.write(request);
  const { text } = await reading;
  sock.destroy();
  return parseResponse(text);
}

/** Parses one HTTP/1.1 response from text. */
export function parseResponse(text) {
  const end = text.indexOf('\r\n\r\n');
  const head = end >= 0 ? text.slice(0, end) : text;
  const lines = head.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] || '');
  const headers = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: m ? Number(m[1]) : 0, headers, body: end >= 0 ? text.slice(end + 4) : '', text };
}
