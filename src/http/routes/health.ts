/** Liveness, readiness and Prometheus metrics. */
import type { FastifyPluginAsync } from 'fastify';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface HealthDeps {
  readiness: () => Promise<ReadinessReport>;
  metrics: () => Promise<{ contentType: string; body: string }>;
}

export function healthRoutes(deps: HealthDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/readyz', async (_request, reply) => {
      const report = await deps.readiness();
      return reply.code(report.ready ? 200 : 503).send(report);
    });
    app.get('/metrics', async (_request, reply) => {
      const { contentType, body } = await deps.metrics();
      return reply.header('content-type', contentType).send(body);
    });
  };
}
