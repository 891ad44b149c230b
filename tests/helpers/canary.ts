/**
 * Canaries for the hostile-input corpus: an HTTP server that payloads point at and a secret
 * file that payloads try to read. A run is clean only when the server saw zero TCP connections
 * and the file's token appears in no output, stdout or stderr.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A listening canary server. */
export interface CanaryServer {
  /** `http://127.0.0.1:<port>`, substituted for `{{CANARY_URL}}` in payloads. */
  url: string;
  port: number;
  /** Every TCP connection accepted so far (counted on `connection`, before any HTTP parsing). */
  connections(): number;
  /** What each connection sent first (for the failure message), trimmed. */
  firstBytes(): string[];
  close(): Promise<void>;
}

/**
 * Start a canary on 127.0.0.1 with a random port. A raw TCP server rather than `http`: a
 * half-open probe, a TLS hello or a WebSocket upgrade all count, not only well-formed requests.
 */
export async function startCanaryServer(): Promise<CanaryServer> {
  let count = 0;
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.once('data', (chunk) => {
      seen.push(chunk.toString('latin1').split('\r\n')[0]?.slice(0, 200) ?? '');
      // Answer like a web server so a client that got this far does not retry in a loop.
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('canary server has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    connections: () => count,
    firstBytes: () => [...seen],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A secret file outside every case directory. */
export interface CanaryFile {
  /** Absolute path, substituted for `{{CANARY_FILE}}` in payloads. */
  path: string;
  /** Random token that is the file's content; it must never show up in any output. */
  token: string;
  /**
   * The first 12 hex digits of the file's sha256: a hash of the secret is a leak too (an oracle
   * that confirms a guess), so it must never show up either.
   */
  digest: string;
  /** The folder holding the file (with an empty `nested/` folder), substituted for `{{CANARY_DIR}}`. */
  dir: string;
  remove(): void;
}

/** Create a canary file holding a fresh random token, in its own temp directory. */
export function createCanaryFile(): CanaryFile {
  const dir = mkdtempSync(join(tmpdir(), 'auditmark-canary-'));
  const token = `AUDITMARK-CANARY-${randomBytes(16).toString('hex')}`;
  const path = join(dir, 'secret.txt');
  // The token on several lines and inside Markdown/HTML-looking text, so it leaks whatever
  // way a payload manages to include it (raw include, image, stylesheet, template include).
  const content = `${token}\n# ${token}\n<p>${token}</p>\n`;
  writeFileSync(path, content, { mode: 0o600 });
  // A folder next to the secret, so `<link to nested>/../secret.txt` reaches it physically.
  mkdirSync(join(dir, 'nested'));
  const digest = createHash('sha256').update(content).digest('hex').slice(0, 12);
  return { path, token, digest, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Replace the harness placeholders in one text. Only these three; all other `{{` stays literal. */
export function substituteCanaries(text: string, server: Pick<CanaryServer, 'url'>, file: Pick<CanaryFile, 'path' | 'dir'>): string {
  return text.split('{{CANARY_URL}}').join(server.url).split('{{CANARY_FILE}}').join(file.path).split('{{CANARY_DIR}}').join(file.dir);
}
