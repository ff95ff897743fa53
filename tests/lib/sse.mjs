// sse.mjs: reads a server-sent event stream with fetch, for the event tests.
/**
 * Opens url as an event stream.  Returns { status, events, next(pred, ms),
 * close() }: `events` collects {event, data} as they arrive; next() waits
 * for the first event (already received or still to come) that pred accepts.
 */
export async function openStream(url, headers = {}) {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ac.signal });
  const events = [];
  const waiters = [];
  let ended = false;
  let resolveEnded;
  const endedP = new Promise((r) => { resolveEnded = r; });
  const check = () => {
    for (const w of waiters.slice()) {
      const e = events.find((x) => !x.taken && w.pred(x));
      if (e) { e.taken = true; waiters.splice(waiters.indexOf(w), 1); clearTimeout(w.t); w.resolve(e); }
    }
  };
  (async () => {
    if (res.status !== 200 || !res.body) { ended = true; resolveEnded(); return; }
    const dec = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of res.body) {
        text += dec.decode(chunk, { stream: true });
        let i;
        while ((i = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, i);
          text = text.slice(i + 2);
          const ev = { event: 'message', data: '' };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) { ev.event = line.slice(7); isEvent = true; }
            if (line.startsWith('data: ')) { ev.data += line.slice(6); isEvent = true; }
          }
          if (isEvent) { try { ev.json = JSON.parse(ev.data); } catch { /* not JSON */ } events.push(ev); check(); }
        }
      }
    } catch { /* aborted */ }
    ended = true;
    resolveEnded();
  })();
  return {
    status: res.status,
    headers: res.headers,
    events,
    ended: () => ended,
    whenEnded: endedP,
    next(pred = () => true, ms = 5000) {
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        w.t = setTimeout(() => { waiters.splice(waiters.indexOf(w), 1); reject(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events)}`)); }, ms);
        waiters.push(w);
        check();
      });
    },
    close() { ac.abort(); },
  };
}
