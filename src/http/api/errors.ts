/**
 * Every admin API error is `{ error: { code, message } }`: the code a client can branch on, a
 * message meant for people. Coded errors keep their message (ours, written for operators);
 * anything else is logged and answered with a generic one, so no stack, SQL or path leaks.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isBotctlError, type ErrorCode } from '../../domain/errors.js';

/** How the coded errors a use case throws map to HTTP; unlisted codes are a 500. */
const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  USAGE: 400,
  NOT_FOUND: 404,
  LOCKED: 409,
  INPUT_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  CONFIG_MISSING: 503,
  DATABASE_UNREACHABLE: 503,
};

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const errorBody = (code: string, message: string) => ({ error: { code, message } });

/** The code for a bare HTTP status: 404 -> NOT_FOUND, 413 -> PAYLOAD_TOO_LARGE. */
export const httpCode = (status: number) =>
  (STATUS_CODES[status] ?? 'error').toUpperCase().replace(/[^A-Z]+/g, '_');

export function sendApiError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const send = (status: number, code: string, message: string) => {
    if (status >= 500)
      request.log.error({ err: error, route: request.routeOptions.url }, 'admin API request failed');
    return reply.code(status).send(errorBody(code, message));
  };
  if (error instanceof ApiError) return send(error.statusCode, error.code, error.message);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as FastifyError).validationContext ?? 'request';
    const first = error.validation[0];
    const path = first?.instancePath ? first.instancePath.replace(/^\//, '').replaceAll('/', '.') : '';
    return send(
      400,
      'BAD_REQUEST',
      `Invalid ${where}${path ? ` ${path}` : ''}: ${first?.message ?? 'does not match the schema'}`,
    );
  }
  if (isResponseSerializationError(error)) return send(500, 'INTERNAL', 'Internal error');
  if (isBotctlError(error)) {
    const status = STATUS_OF[error.code] ?? 500;
    return status >= 500 && status !== 503
      ? send(status, 'INTERNAL', 'Internal error')
      : send(status, error.code, error.message.split('\n')[0] ?? error.code);
  }
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    // Fastify's own refusals (bad JSON, wrong content type, body too large): their text names no internals.
    const message =
      (error as FastifyError).code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      (error as Error).name === 'SyntaxError'
        ? 'The body is not valid JSON'
        : (STATUS_CODES[status] ?? 'Bad request');
    return send(status, httpCode(status), message);
  }
  return send(500, 'INTERNAL', 'Internal error');
}
