/**
 * Broadcasts and backups: the same engines, records and locks as `botctl broadcast` and
 * `botctl backup` (a broadcast started here holds the broadcast lock a CLI run would, so two
 * never interleave). A broadcast runs in the background of the daemon; GET shows its progress.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Broadcast as BroadcastRow } from '../../../domain/entities.js';
import type { BroadcastReport as Report } from '../../../services/broadcast/index.js';
import type { BackupSummary as Backup } from '../../../services/backup/index.js';
import type { AdminApiDeps } from '../deps.js';
import {
  AUTH_ERRORS,
  BackupSummary,
  Broadcast,
  BroadcastIdParams,
  BroadcastReport,
  ERRORS,
  ErrorBody,
  NewBroadcast,
} from '../schemas.js';
import { actorOf, doc, typed } from './route-kit.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const broadcastView = (b: BroadcastRow) => ({
  ...b,
  createdAt: b.createdAt.toISOString(),
  startedAt: iso(b.startedAt),
  finishedAt: iso(b.finishedAt),
});
const reportView = (r: Report) => ({ broadcast: broadcastView(r.broadcast), counts: r.counts });
/** Without the file path: where backups live on the server is not the client's business. */
const backupView = <T extends Backup>({ path: _path, ...b }: T): Omit<T, 'path'> => b;

export function operationRoutes(app: FastifyInstance, deps: AdminApiDeps) {
  const api = typed(app);
  /** Broadcasts running in this daemon: stopped (left resumable) when the server closes. */
  const running = new Set<{ abort: AbortController; done: Promise<unknown> }>();
  app.addHook('onClose', async () => {
    for (const run of running) run.abort.abort();
    await Promise.all([...running].map((run) => run.done));
  });

  api.post(
    '/broadcasts',
    {
      config: { scope: 'write' },
      schema: {
        ...doc(
          'broadcasts',
          'Start a broadcast (202, it runs in the daemon), or with dryRun only count its audience; audited',
          'write',
        ),
        body: NewBroadcast,
        response: {
          200: z.object({ dryRun: z.literal(true), recipients: z.number() }),
          202: BroadcastReport,
          ...ERRORS,
          409: ErrorBody,
          413: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { dryRun, ratePerSecond, ...message } = request.body;
      const service = await deps.broadcasts();
      if (dryRun)
        return reply
          .code(200)
          .send({ dryRun: true as const, recipients: (await service.preview(message)).recipients });
      const by = actorOf(request);
      const lock = deps.lock('broadcast', 'a broadcast');
      let started = false;
      try {
        const { broadcast } = await service.create({
          ...message,
          ratePerSecond: ratePerSecond ?? deps.broadcastRate,
        });
        await (
          await deps.audit()
        ).record({
          ...by,
          action: 'broadcast.start',
          target: `broadcast:${broadcast.id}`,
          details: { audience: broadcast.audience, ratePerSecond: broadcast.ratePerSecond },
        });
        const abort = new AbortController();
        const run = {
          abort,
          done: service
            .run(broadcast.id, { signal: abort.signal })
            .catch((error: unknown) =>
              request.log.error({ err: error, broadcast: broadcast.id }, 'broadcast failed'),
            )
            .finally(() => {
              lock.release();
              running.delete(run);
            }),
        };
        running.add(run);
        started = true;
        // The run has recorded its recipients or is about to: the report shows the broadcast as created.
        return reply.code(202).send(reportView(await service.status(broadcast.id)));
      } finally {
        if (!started) lock.release();
      }
    },
  );

  api.get(
    '/broadcasts',
    {
      config: { scope: 'read' },
      schema: {
        ...doc('broadcasts', 'Every broadcast, newest first', 'read'),
        response: { 200: z.object({ broadcasts: z.array(Broadcast) }), ...AUTH_ERRORS },
      },
    },
    async () => ({ broadcasts: (await (await deps.broadcasts()).list()).map(broadcastView) }),
  );

  api.get(
    '/broadcasts/:id',
    {
      config: { scope: 'read' },
      schema: {
        ...doc('broadcasts', 'One broadcast and its delivery counts (live while it runs)', 'read'),
        params: BroadcastIdParams,
        response: { 200: BroadcastReport, ...ERRORS },
      },
    },
    async (request) => reportView(await (await deps.broadcasts()).status(request.params.id)),
  );

  api.post(
    '/broadcasts/:id/cancel',
    {
      config: { scope: 'write' },
      schema: {
        ...doc('broadcasts', 'Cancel a broadcast: a run stops within about a second; audited', 'write'),
        params: BroadcastIdParams,
        response: { 200: BroadcastReport, ...ERRORS },
      },
    },
    async (request) => {
      const report = await (await deps.broadcasts()).cancel(request.params.id);
      await (
        await deps.audit()
      ).record({
        ...actorOf(request),
        action: 'broadcast.cancel',
        target: `broadcast:${report.broadcast.id}`,
        details: { sent: report.counts.sent },
      });
      return reportView(report);
    },
  );

  api.get(
    '/backups',
    {
      config: { scope: 'read' },
      schema: {
        ...doc('backups', 'Stored backups, newest first', 'read'),
        response: {
          200: z.object({ backups: z.array(BackupSummary), unreadable: z.array(z.string()) }),
          ...AUTH_ERRORS,
        },
      },
    },
    async () => {
      const { backups, unreadable } = await (await deps.backups()).list();
      return {
        backups: backups.map(backupView),
        unreadable: unreadable.map((p) => p.split(/[\\/]/).at(-1) ?? p),
      };
    },
  );

  api.post(
    '/backups',
    {
      config: { scope: 'write' },
      schema: {
        ...doc(
          'backups',
          'Take a backup now, verified, under the lock `botctl backup` takes (409 while one runs); audited',
          'write',
        ),
        response: {
          201: BackupSummary.extend({ durationMs: z.number(), verified: z.boolean() }),
          ...AUTH_ERRORS,
          409: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const passphrase = deps.backupPassphrase?.();
      const created = await (await deps.backups()).create({ ...(passphrase ? { passphrase } : {}) });
      await (
        await deps.audit()
      ).record({
        ...actorOf(request),
        action: 'backup.create',
        target: `backup:${created.id}`,
        details: { bytes: created.bytes, encrypted: created.encrypted },
      });
      return reply.code(201).send(backupView(created));
    },
  );
}
