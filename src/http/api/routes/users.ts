/** /users: list (filters, cursor pages), show, change the role, ban, unban, export, forget. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AdminApiDeps } from '../deps.js';
import {
  AUTH_ERRORS,
  ERRORS,
  ForgetReport,
  TelegramIdParams,
  UserChange,
  UserDetails,
  UserPatch,
  UserPatchResult,
  UsersPage,
  UsersQuery,
  ErrorBody,
} from '../schemas.js';
import { actorOf, decodeCursor, doc, encodeCursor, readsContent, typed } from './route-kit.js';

export function userRoutes(app: FastifyInstance, deps: AdminApiDeps) {
  const api = typed(app);
  const read = { scope: 'read' } as const;
  const write = { scope: 'write' } as const;

  api.get(
    '/users',
    {
      config: read,
      schema: {
        ...doc('users', 'List users in storage order, filtered, a cursor page at a time', 'read'),
        querystring: UsersQuery,
        response: { 200: UsersPage, 400: ErrorBody, ...AUTH_ERRORS },
      },
    },
    async (request) => {
      const { active, cursor, ...filter } = request.query;
      const after = decodeCursor(cursor);
      const page = await (
        await deps.users()
      ).page({
        ...filter,
        ...(active === undefined ? {} : { activeDays: active }),
        ...(after === undefined ? {} : { after }),
      });
      return { users: page.users, next: encodeCursor(page.next) };
    },
  );

  api.get(
    '/users/:telegramId',
    {
      config: read,
      schema: {
        ...doc('users', "A user's profile, settings, activity and today's quota", 'read'),
        params: TelegramIdParams,
        response: { 200: UserDetails, ...ERRORS },
      },
    },
    async (request) =>
      (await deps.users()).show(String(request.params.telegramId), { reveal: readsContent(request) }),
  );

  api.patch(
    '/users/:telegramId',
    {
      config: write,
      schema: {
        ...doc(
          'users',
          "Change a user's role and/or their own quota limits over the role's; each change audited",
          'write',
        ),
        params: TelegramIdParams,
        body: UserPatch,
        response: { 200: UserPatchResult, ...ERRORS, 413: ErrorBody },
      },
    },
    async (request) => {
      const users = await deps.users();
      const ref = String(request.params.telegramId);
      const by = actorOf(request);
      const { role, quota } = request.body;
      let changed = false;
      if (role !== undefined) changed = (await users.setRole(ref, role, by)).changed || changed;
      if (quota !== undefined) changed = (await users.setQuota(ref, quota, by)).changed || changed;
      return { changed, user: await users.show(ref, { reveal: readsContent(request) }) };
    },
  );

  for (const action of ['ban', 'unban'] as const) {
    api.post(
      `/users/:telegramId/${action}`,
      {
        config: write,
        schema: {
          ...doc(
            'users',
            action === 'ban'
              ? 'Ban a user: the bot answers once with a notice, then ignores them; audited'
              : 'Lift a ban; audited',
            'write',
          ),
          params: TelegramIdParams,
          response: { 200: UserChange, ...ERRORS },
        },
      },
      async (request) => (await deps.users())[action](String(request.params.telegramId), actorOf(request)),
    );
  }

  api.get(
    '/users/:telegramId/export',
    {
      config: { scope: 'admin' },
      schema: {
        ...doc('users', 'Everything stored about one user, messages included (decrypted)', 'admin'),
        params: TelegramIdParams,
        response: { 200: z.record(z.string(), z.unknown()), ...ERRORS },
      },
    },
    async (request) => {
      const privacy = await deps.privacy();
      const data = await privacy.collect(await privacy.byTelegramId(request.params.telegramId));
      await (
        await deps.audit()
      ).record({
        ...actorOf(request),
        action: 'user.export',
        target: `user:${request.params.telegramId}`,
        details: null,
      });
      return data as unknown as Record<string, unknown>;
    },
  );

  api.delete(
    '/users/:telegramId',
    {
      config: write,
      schema: {
        ...doc(
          'users',
          'Forget a user: delete everything stored about them (cannot be undone); audited',
          'write',
        ),
        params: TelegramIdParams,
        response: { 200: ForgetReport, ...ERRORS },
      },
    },
    async (request) => {
      const privacy = await deps.privacy();
      const report = await privacy.forget(await privacy.byTelegramId(request.params.telegramId));
      await (
        await deps.audit()
      ).record({
        ...actorOf(request),
        action: 'user.forget',
        target: `user:${report.telegramId}`,
        details: { conversations: report.conversations, messages: report.messages },
      });
      return report;
    },
  );
}
