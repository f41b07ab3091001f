/** Conversations: a user's list and one conversation; message content only for admin keys. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AdminApiDeps } from '../deps.js';
import {
  ConversationDetails,
  ConversationSummary,
  ConversationsQuery,
  ERRORS,
  IdParams,
  TelegramIdParams,
} from '../schemas.js';
import { doc, readsContent, typed } from './route-kit.js';

export function conversationRoutes(app: FastifyInstance, deps: AdminApiDeps) {
  const api = typed(app);
  api.get(
    '/users/:telegramId/conversations',
    {
      config: { scope: 'read' },
      schema: {
        ...doc('conversations', "A user's conversations, newest first (titles only for admin keys)", 'read'),
        params: TelegramIdParams,
        querystring: ConversationsQuery,
        response: { 200: z.object({ conversations: z.array(ConversationSummary) }), ...ERRORS },
      },
    },
    async (request) =>
      (await deps.conversations()).ofUser(request.params.telegramId, {
        ...request.query,
        content: readsContent(request),
      }),
  );

  api.get(
    '/conversations/:id',
    {
      config: { scope: 'read' },
      schema: {
        ...doc(
          'conversations',
          'One conversation and its messages (up to the newest 1000); message content only for admin keys',
          'read',
        ),
        params: IdParams,
        response: { 200: ConversationDetails, ...ERRORS },
      },
    },
    async (request) =>
      (await deps.conversations()).get(request.params.id, { content: readsContent(request) }),
  );
}
