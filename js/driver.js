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
    // Provider calls still out: the job outlives the call until they settle, so that their credentials
    // are cached for the client's next call even when this one ended first (an abort).
    let providing = 0;
    const release = () => {
      if (providing === 0) {
        try {
          job.free();
        } catch {}
      }
    };
    const onAbort = () => feed(1, 0, signal.reason);
    const finish = (settle, value) => {
      done = true;
      queue.length = 0;
      for (const stop of pending.values()) stop?.();
      signal?.removeEventListener('abort', onAbort);
      settle(value);
      release();
    };
    const answer = (id) => (kind, a, b) => feed(kind, id, a, b);
    function send(id, url, init, f) {
      const to = answer(id);
      try {
        const controller = new AbortController();
        init.signal = controller.signal;
        pending.set(id, () => controller.abort());
      } catch {
        pending.set(id, undefined);
      }
      if (typeof f !== 'function') return Promise.resolve().then(() => to(3));
      let started;
      try {
        started = Promise.resolve(f(url, init));
      } catch (e) {
        return Promise.resolve().then(() => to(4, e));
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
    }
    // One provider call in flight per client, shared by its concurrent calls; whoever sees it settle clears
    // it, so a failure is retried by the next call.
    function provide(id, provider, shared) {
      const to = answer(id);
      pending.set(id, undefined);
      let call = shared.inflight;
      if (call === undefined) {
        try {
          call = Promise.resolve(provider());
        } catch (e) {
          return Promise.resolve().then(() => to(9, e));
        }
        shared.inflight = call;
        const clear = () => {
          if (shared.inflight === call) shared.inflight = undefined;
        };
        call.then(clear, clear);
      }
      providing++;
      const settled = (kind) => (v) => {
        providing--;
        if (!done) return to(kind, v);
        // This call is over: the credentials only go into the client's cache (a finished machine ignores them).
        if (kind === 8) {
          try {
            job.step(8, id, v, undefined);
          } catch {}
        }
        release();
      };
      call.then(settled(8), settled(10));
    }
    function perform(fx) {
      for (let i = 0; i < fx.length && !done; ) {
        const op = fx[i++];
        if (op === 6 || op === 7) return finish(op === 6 ? resolve : reject, fx[i]);
        const id = fx[i++];
        if (op === 1) {
          send(id, fx[i++], fx[i++], fx[i++] ?? globalThis.fetch);
        } else if (op === 2) {
          const to = answer(id);
          const timer = setTimeout(() => to(2), fx[i++]);
          pending.set(id, () => clearTimeout(timer));
        } else if (op === 3) {
          const stop = pending.get(id);
          pending.delete(id);
          stop?.();
        } else if (op === 4) {
          provide(id, fx[i++], fx[i++]);
        } else if (op === 5) {
          pending.set(id, undefined);
          const to = answer(id);
          fx[i++].then(
            () => to(11),
            (e) => to(12, e),
          );
        }
      }
    }
    function feed(kind, id, a, b) {
      if (done) return;
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
        // A trap in the wasm (or a throw converting its result): nothing more can be asked of this job.
        if (!done) finish(reject, e);
      } finally {
        busy = false;
      }
    }
    // The first step after the caller's method returned, as a Rust future would have started: a fetch or a
    // provider never runs inside the call that created the job.
    queueMicrotask(() => {
      if (signal?.aborted) {
        feed(1, 0, signal.reason);
      } else {
        signal?.addEventListener('abort', onAbort);
        feed(0, 0);
      }
    });
  });
}
