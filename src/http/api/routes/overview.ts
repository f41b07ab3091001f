/** /stats (the numbers of `botctl stats --json`), /health (readiness) and /audit (who did what). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parsePeriod } from '../../../domain/stats-period.js';
import type { AdminApiDeps } from '../deps.js';
import {
  AUTH_ERRORS,
  AuditEntry,
  AuditQuery,
  ErrorBody,
  Readiness,
  StatsQuery,
  StatsReport,
} from '../schemas.js';
import { decodeCursor, doc, encodeCursor, typed } from './route-kit.js';

export function overviewRoutes(app: FastifyInstance, deps: AdminApiDeps) {
  const api = typed(app);
  api.get(
    '/stats',
    {
      config: { scope: 'read' },
      schema: {
        ...doc(
          'overview',
          'Users, messages, tokens, cost, latency and errors over a period (default: 30 days), with a row per day',
          'read',
        ),
        querystring: StatsQuery,
        response: { 200: StatsReport, 400: ErrorBody, ...AUTH_ERRORS },
      },
    },
    async (request) => {
      const period = parsePeriod(request.query, new Date());
      return (await deps.stats()).report(period);
    },
  );

  api.get(
    '/health',
    {
      config: { scope: 'read' },
      schema: {
        ...doc('overview', 'Readiness: database, cache, Telegram (503 when not ready)', 'read'),
        response: { 200: Readiness, 503: Readiness, ...AUTH_ERRORS },
      },
    },
    async (_request, reply) => {
      const report = await deps.readiness();
      return reply.code(report.ready ? 200 : 503).send(report);
    },
  );

  api.get(
    '/audit',
    {
      config: { scope: 'read' },
      schema: {
        ...doc('overview', 'The audit log, newest first: who changed what, when and from where', 'read'),
        querystring: AuditQuery,
        response: {
          200: z.object({ entries: z.array(AuditEntry), next: z.string().nullable() }),
          400: ErrorBody,
          ...AUTH_ERRORS,
        },
      },
    },
    async (request) => {
      const before = decodeCursor(request.query.cursor);
      const page = await (
        await deps.audit()
      ).page({
        limit: request.query.limit,
        ...(before === undefined ? {} : { before }),
      });
      return { entries: page.entries, next: encodeCursor(page.next) };
    },
  );
}
