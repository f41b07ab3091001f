/** A loopback HTTP server standing in for a Slack incoming webhook: records each JSON body posted. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackReceiver {
  /** The webhook URL to configure (its path looks like Slack's, a secret to botctl). */
  readonly url: string;
  readonly posts: { text: string; blocks?: { type: string; text?: { type: string; text: string } }[] }[];
  /** The HTTP status to answer with (200 by default; Slack answers "ok"). */
  status: number;
  close(): Promise<void>;
}

export async function startSlackReceiver(): Promise<SlackReceiver> {
  const posts: SlackReceiver['posts'] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.headers['content-type'] === 'application/json') {
        posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as SlackReceiver['posts'][number]);
      }
      response
        .writeHead(receiver.status, { 'content-type': 'text/plain' })
        .end(receiver.status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: SlackReceiver = {
    url: `http://127.0.0.1:${port}/services/T000/B000/secretHookToken123`,
    posts,
    status: 200,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return receiver;
}
