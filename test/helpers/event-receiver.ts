/**
 * A loopback HTTP server standing in for an integration that takes botctl's event webhooks. It
 * checks each delivery's signature the way README tells receivers to (HMAC-SHA256 over
 * `<t>.<raw body>`, compared in constant time), records every request, and deduplicates by
 * event id as a receiver should.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  id: string;
  type: string;
  version: number;
  occurred_at: string;
  data: Record<string, unknown>;
  /** The raw body, as signed. */
  raw: string;
  signatureValid: boolean;
  /** The status this request was answered with. */
  answered: number;
}

export interface EventReceiver {
  readonly url: string;
  readonly port: number;
  /** Every request, in arrival order (retries included). */
  readonly requests: Delivery[];
  /** Status for the next request (n: requests so far, 0-based); 200 by default. */
  status: (n: number, delivery: Delivery) => number;
  /** Delay before answering each request. */
  delayMs: number;
  /** Distinct event ids, in order of first arrival. */
  ids(): string[];
  /** The first accepted (2xx) delivery of each event id, in arrival order. */
  accepted(): Delivery[];
  close(): Promise<void>;
}

export function verify(secret: string, header: string | undefined, raw: string): boolean {
  const hex = /^sha256=([0-9a-f]{64})$/.exec(header ?? '')?.[1];
  if (hex === undefined) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  const given = Buffer.from(hex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startEventReceiver(secret: string, port = 0): Promise<EventReceiver> {
  const requests: Delivery[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = request.headers['x-botctl-signature'];
      const delivery = {
        ...(JSON.parse(raw) as Omit<Delivery, 'raw' | 'signatureValid' | 'answered'>),
        raw,
        signatureValid: verify(secret, typeof header === 'string' ? header : undefined, raw),
        answered: 0,
      };
      delivery.answered = receiver.status(requests.length, delivery);
      requests.push(delivery);
      setTimeout(() => response.writeHead(delivery.answered).end(), receiver.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const receiver: EventReceiver = {
    url: `http://127.0.0.1:${address.port}/hooks/botctl`,
    port: address.port,
    requests,
    status: () => 200,
    delayMs: 0,
    ids: () => [...new Set(requests.map((r) => r.id))],
    accepted() {
      const seen = new Set<string>();
      return requests.filter((r) => r.answered < 300 && !seen.has(r.id) && (seen.add(r.id), true));
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}
