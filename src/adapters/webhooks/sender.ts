/**
 * Posts outbox events to their endpoints, signed: `X-Botctl-Signature: t=<unix seconds>,v1=<hex>`
 * where the hex is HMAC-SHA256 with the endpoint's secret over `<t>.<raw body>` (the timestamp
 * lets a receiver refuse replays of old deliveries; `v1` names the scheme so a later one can sit
 * beside it). Node's own fetch and crypto, no SDK. Errors name an HTTP status or a network code,
 * never the URL (it may hold a token) and never the secret.
 */
import { createHmac } from 'node:crypto';
import type { EventSender, WebhookOutcome } from '../../domain/ports/index.js';

export interface WebhookEndpoint {
  name: string;
  url: string;
  secret: string;
}

export const SIGNATURE_HEADER = 'x-botctl-signature';

/** The header value for a body sent at `seconds` (unix time). */
export function signature(secret: string, seconds: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${seconds}.${body}`).digest('hex');
  return `t=${seconds},v1=${v1}`;
}

export function createWebhookSender(
  endpoints: readonly WebhookEndpoint[],
  options: { timeoutMs?: number; userAgent: string; now?: () => number },
): EventSender {
  const byName = new Map(endpoints.map((endpoint) => [endpoint.name, endpoint]));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  return {
    async send(name, event): Promise<WebhookOutcome> {
      const endpoint = byName.get(name);
      if (endpoint === undefined) return { ok: false, error: 'endpoint not configured' };
      let response: Response;
      try {
        response = await fetch(endpoint.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': options.userAgent,
            [SIGNATURE_HEADER]: signature(endpoint.secret, Math.floor(now() / 1000), event.body),
            'x-botctl-event-id': event.eventId,
            'x-botctl-event-type': event.type,
          },
          body: event.body,
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        return { ok: false, error: `not reachable (${cause ?? (error as Error).name})` };
      }
      await response.body?.cancel();
      return response.ok ? { ok: true } : { ok: false, error: `HTTP ${response.status}` };
    },
  };
}
