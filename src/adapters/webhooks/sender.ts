/**
 * Posts outbox events to their endpoints, signed: `X-Botctl-Signature: sha256=<hex>`, the
 * HMAC-SHA256 of the raw body with the endpoint's secret (the format the issue and GitHub-style
 * receivers expect). The body carries the event's `id` and `occurred_at`, so the signature also
 * covers them: a receiver deduplicates by id and may refuse old events. Node's own fetch and
 * crypto, no SDK. Errors name an HTTP status or a network code, never the URL (it may hold a
 * token) and never the secret.
 */
import { createHmac } from 'node:crypto';
import type { EventSender, WebhookOutcome } from '../../domain/ports/index.js';

export interface WebhookEndpoint {
  name: string;
  url: string;
  secret: string;
}

export const SIGNATURE_HEADER = 'x-botctl-signature';

/** The header value for a body: `sha256=` and the hex HMAC-SHA256 of the raw body. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function createWebhookSender(
  endpoints: readonly WebhookEndpoint[],
  options: { timeoutMs?: number; userAgent: string },
): EventSender {
  const byName = new Map(endpoints.map((endpoint) => [endpoint.name, endpoint]));
  const timeoutMs = options.timeoutMs ?? 10_000;
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
            [SIGNATURE_HEADER]: signature(endpoint.secret, event.body),
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
