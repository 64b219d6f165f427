/**
 * A server-sent event stream read as a page's EventSource would read it: `next(name)` waits for the next
 * event of that name. For `nianbao preview`'s /events, in the bench (its latency) and the tests (that an
 * event comes at all).
 */
export interface EventStream {
  /** the response's Content-Type */
  readonly contentType: string | null;
  /** The next event called `name`, its data; rejects after `timeoutMs` without one, or when the stream ends. */
  next(name: string, timeoutMs?: number): Promise<{ readonly data: string }>;
  close(): void;
}

export async function eventStream(url: string | URL): Promise<EventStream> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const next = async (name: string, timeoutMs = 30_000): Promise<{ data: string }> => {
    const start = Date.now();
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: (.*)$/m.exec(block)?.[1] === name) return { data: /^data: (.*)$/m.exec(block)?.[1] ?? '' };
        continue;
      }
      const left = timeoutMs - (Date.now() - start);
      if (left <= 0) throw new Error(`no "${name}" event within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no "${name}" event within ${timeoutMs} ms`)), left)));
      const chunk = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
      if (chunk.done) throw new Error('event stream ended');
      buffer += chunk.value;
    }
  };
  return { contentType: res.headers.get('content-type'), next, close: () => controller.abort() };
}
