/**
 * Posts to a Slack incoming webhook (https://api.slack.com/messaging/webhooks): a JSON body with
 * `text` (the notification line) and one mrkdwn section block. Node's own fetch, no SDK. The URL
 * is the secret: errors name the HTTP status, never the URL.
 */
export interface SlackMessage {
  title: string;
  text: string;
}

export function createSlackWebhook(url: string, options: { timeoutMs?: number } = {}) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async post(message: SlackMessage): Promise<void> {
      const body = {
        text: `${message.title}: ${message.text}`,
        blocks: [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: `*${escape(message.title)}*\n${escape(message.text)}` },
          },
        ],
      };
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        throw new Error(`Slack webhook not reachable (${reason})`, { cause: error });
      }
      await response.body?.cancel();
      if (!response.ok) throw new Error(`Slack webhook answered HTTP ${response.status}`);
    },
  };
}

/** Slack mrkdwn treats these three as markup. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
