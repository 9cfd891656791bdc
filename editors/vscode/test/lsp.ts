// A small language-server client for the tests: JSON-RPC with Content-Length framing over a
// child process's stdio, as VS Code speaks it. It answers the server's requests through
// `answer` and keeps every notification, so tests can wait for one.
import type { ChildProcessWithoutNullStreams } from "node:child_process";

export interface Message {
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

type Answer = (method: string, params: unknown) => unknown;

/** Longest wait for one reply; only a guard against a hung server, never a speed check. */
const HANG_GUARD_MS = 30_000;

export class Connection {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (message: Message) => void>();
  private readonly waiters: { method: string; accept: (params: unknown) => boolean; resolve: (params: unknown) => void }[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly serverRequests: { method: string; params: unknown }[] = [];

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly answer: Answer,
  ) {
    child.stdout.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    this.send({ id, method, params });
    return guard(
      new Promise((resolve, reject) => {
        this.pending.set(id, (message) => {
          if (message.error) {
            reject(new Error(`${method} failed: ${message.error.message}`));
          } else {
            resolve(message.result);
          }
        });
      }),
      `a reply to ${method}`,
    );
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  /** The first notification of `method` (already received or still to come) that `accept`s. */
  waitFor(method: string, accept: (params: unknown) => boolean = () => true): Promise<unknown> {
    const seen = this.notifications.find((n) => n.method === method && accept(n.params));
    if (seen) {
      return Promise.resolve(seen.params);
    }
    return guard(
      new Promise((resolve) => this.waiters.push({ method, accept, resolve })),
      `the notification ${method}`,
    );
  }

  private send(message: Message): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private drain(): void {
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) {
        return;
      }
      const header = this.buffer.subarray(0, headerEnd).toString("ascii");
      const length = /Content-Length: (\d+)/i.exec(header);
      if (!length) {
        throw new Error(`The server sent a message without Content-Length: ${header}`);
      }
      const start = headerEnd + 4;
      const end = start + Number(length[1]);
      if (this.buffer.length < end) {
        return;
      }
      const message = JSON.parse(this.buffer.subarray(start, end).toString("utf8")) as Message;
      this.buffer = this.buffer.subarray(end);
      this.handle(message);
    }
  }

  private handle(message: Message): void {
    if (message.method !== undefined && message.id !== undefined) {
      this.serverRequests.push({ method: message.method, params: message.params });
      this.send({ id: message.id, result: this.answer(message.method, message.params) ?? null });
    } else if (message.method !== undefined) {
      this.notifications.push({ method: message.method, params: message.params });
      for (const waiter of [...this.waiters]) {
        if (waiter.method === message.method && waiter.accept(message.params)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(message.params);
        }
      }
    } else if (typeof message.id === "number") {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    }
  }
}

function guard<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`The server did not send ${what} within ${HANG_GUARD_MS / 1000} s`)),
      HANG_GUARD_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface Position {
  line: number;
  character: number;
}

export interface TextEdit {
  range: { start: Position; end: Position };
  newText: string;
}

/** Applies LSP edits to `text` (UTF-16 columns, `\n` line ends), as the editor would. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\n") {
      lineStarts.push(i + 1);
    }
  }
  const offset = (p: Position) => (lineStarts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) {
    result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  }
  return result;
}
