// The client's driver loop (src/bindings/drive.rs): it owns fetch, timers and the caller's signal, and feeds
// what happens to `job.step(kind, id, a, b)`, which runs the machine and returns what to do next, flat. The
// numbers are drive.rs's. Events are fed one at a time, in order: one that comes while a step runs (a
// callback that aborts the signal) waits for it. An answer to an effect that was cancelled is dropped.
export function runJob(job) {
  return new Promise((resolve, reject) => {
    const pending = new Map();
    const queue = [];
    const signal = job.signal;
    let busy = false;
    let done = false;
    const onAbort = () => feed(1, 0, signal.reason);
    const finish = (settle, value) => {
      done = true;
      for (const stop of pending.values()) stop?.();
      signal?.removeEventListener('abort', onAbort);
      job.free();
      settle(value);
    };
    const answer = (id) => (kind, a, b) => feed(kind, id, a, b);
    function perform(fx) {
      for (let i = 0; i < fx.length && !done; ) {
        const op = fx[i++];
        if (op === 6 || op === 7) return finish(op === 6 ? resolve : reject, fx[i]);
        const id = fx[i++];
        const to = answer(id);
        if (op === 1) {
          const [url, init, f] = [fx[i++], fx[i++], fx[i++] ?? globalThis.fetch];
          const controller = new AbortController();
          init.signal = controller.signal;
          pending.set(id, () => controller.abort());
          if (typeof f !== 'function') {
            Promise.resolve().then(() => to(3));
            continue;
          }
          let started;
          try {
            started = Promise.resolve(f(url, init));
          } catch (e) {
            Promise.resolve().then(() => to(4, e));
            continue;
          }
          started.then(
            (r) => {
              let text;
              try {
                text = r?.text;
              } catch {}
              if (typeof text !== 'function') return to(7, r, undefined);
              new Promise((ok) => ok(text.call(r))).then(
                (t) => to(6, r, t),
                (e) => to(7, r, e),
              );
            },
            (e) => to(5, e),
          );
        } else if (op === 2) {
          const timer = setTimeout(() => to(2), fx[i++]);
          pending.set(id, () => clearTimeout(timer));
        } else if (op === 3) {
          const stop = pending.get(id);
          pending.delete(id);
          stop?.();
        } else if (op === 4) {
          // One provider call in flight per client, shared by its concurrent calls; whoever sees it
          // settle clears it, so a failure is retried by the next call.
          const [provider, shared] = [fx[i++], fx[i++]];
          pending.set(id, undefined);
          let call = shared.inflight;
          if (call === undefined) {
            try {
              call = Promise.resolve(provider());
            } catch (e) {
              Promise.resolve().then(() => to(9, e));
              continue;
            }
            shared.inflight = call;
            const clear = () => {
              if (shared.inflight === call) shared.inflight = undefined;
            };
            call.then(clear, clear);
          }
          call.then(
            (v) => to(8, v),
            (e) => to(10, e),
          );
        } else if (op === 5) {
          pending.set(id, undefined);
          fx[i++].then(
            () => to(11),
            (e) => to(12, e),
          );
        }
      }
    }
    function feed(kind, id, a, b) {
      queue.push([kind, id, a, b]);
      if (busy) return;
      busy = true;
      try {
        while (queue.length && !done) {
          const [k, i, x, y] = queue.shift();
          // START and ABORT answer nothing; the rest answer the effect `i`, unless it was cancelled.
          if (k >= 2 && !pending.delete(i)) continue;
          perform(job.step(k, i, x, y));
        }
      } catch (e) {
        // A trap in the wasm: nothing more can be asked of it.
        if (!done) {
          done = true;
          for (const stop of pending.values()) stop?.();
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        }
      } finally {
        busy = false;
      }
    }
    if (signal?.aborted) {
      feed(1, 0, signal.reason);
    } else {
      signal?.addEventListener('abort', onAbort);
      feed(0, 0);
    }
  });
}
